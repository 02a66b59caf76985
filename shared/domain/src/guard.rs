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
//! A booking's guard may also name the room the booking was read in ([`value_in_room`]): its rule
//! then refuses the write when the booking was moved since, because the writes decided on that
//! read (the room occupied at check-in, cleaned at checkout) are about the room it left.
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

/// The guard for a write to a booking decided on a read of its `status` and its room (`room_id`,
/// empty for none): the booking's rule also refuses the write when the booking was moved to
/// another room since (a check-in must not occupy the room the booking just left).
pub fn value_in_room(status: &str, room_id: &str, nonce: u64) -> String {
    format!("{status}|{room_id}|{nonce:016x}")
}

/// What a guard value says was read: the status, and the room for a booking's guard that names
/// one. `None` if it is not a guard value.
pub fn expected(value: &str) -> Option<Expected<'_>> {
    let (read, _nonce) = value.rsplit_once('|')?;
    Some(match read.split_once('|') {
        Some((status, room_id)) => Expected {
            status,
            room_id: Some(room_id),
        },
        None => Expected {
            status: read,
            room_id: None,
        },
    })
}

/// What a write was decided on, as its guard says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected<'a> {
    pub status: &'a str,
    /// A booking's room (an 18-character id, or empty for none), when the guard names one.
    pub room_id: Option<&'a str>,
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
        assert_eq!(
            expected(&guard),
            Some(Expected {
                status: "Checked In",
                room_id: None
            })
        );
        let in_room = value_in_room("Reserved", "a01000000000001AAA", 7);
        assert_eq!(
            expected(&in_room),
            Some(Expected {
                status: "Reserved",
                room_id: Some("a01000000000001AAA")
            })
        );
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
