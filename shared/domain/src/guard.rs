//! Compare-and-set on a record's status, enforced by Salesforce itself: no transition is applied
//! to a record whose status changed after it was read.
//!
//! Every guarded object has a text field, [`FIELD`]. A write computed from a read of the status
//! sends, beside its changes, `FIELD = "<status read>|<nonce>"` ([`value`]). A validation rule on
//! the object (shipped with the org's metadata) refuses the write when the field changes and the
//! part before `|` is not the record's status before the write (`PRIORVALUE`), with an error whose
//! message starts with [`STALE`]. Salesforce evaluates validation rules inside the write's own
//! transaction, under the record's lock, so two writes that read the same status cannot both pass,
//! however close together (Salesforce's `If-Unmodified-Since` compares to the second). Inside a
//! Composite `allOrNone` request the refusal rolls every subrequest back.
//!
//! The nonce makes every guarded write change the field, which is what tells the rule to check
//! (`ISCHANGED`): writes that do not send it (a person in Salesforce's own screens) are not checked.

use crate::objects::{booking, case, opportunity, room};

/// The guard field every guarded object has.
pub const FIELD: &str = "Hub_Status_Guard__c";

/// The guarded objects and the status field the guard compares.
pub const GUARDED: &[(&str, &str)] = &[
    (booking::OBJECT, booking::STATUS),
    (room::OBJECT, room::STATUS),
    (opportunity::OBJECT, opportunity::STAGE),
    (case::OBJECT, case::STATUS),
];

/// How the validation rule's error message starts.
pub const STALE: &str = "STALE_STATUS";

/// The guard for a write decided on a read of `status`, made unique by `nonce`.
pub fn value(status: &str, nonce: u64) -> String {
    format!("{status}|{nonce:016x}")
}

/// The status a guard value says was read, if it is one.
pub fn expected(value: &str) -> Option<&str> {
    value.rsplit_once('|').map(|(status, _)| status)
}

/// The status field `object` guards, if it is guarded.
pub fn status_field(object: &str) -> Option<&'static str> {
    GUARDED
        .iter()
        .find(|(o, _)| o.eq_ignore_ascii_case(object))
        .map(|(_, field)| *field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guard_names_the_status_read() {
        let guard = value("Checked In", 42);
        assert_eq!(guard, "Checked In|000000000000002a");
        assert_eq!(expected(&guard), Some("Checked In"));
        assert_ne!(
            value("Vacant", 1),
            value("Vacant", 2),
            "every write changes the field"
        );
        assert_eq!(expected("no bar"), None);
        assert_eq!(status_field("Opportunity"), Some("StageName"));
        assert_eq!(status_field("Contact"), None);
    }
}
