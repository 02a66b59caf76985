//! The audit trail of one invocation: every validation decision and every state transition, with
//! who asked and which record, logged as flat tracing events with target `audit` once the
//! invocation's outcome is known.
//!
//! Handlers record into [`Context::audit`](crate::Context::audit) at the check or the write
//! itself; the invoke path adds its own decisions (persona, guest scope, input, idempotency) and
//! emits the lot after the invocation's summary line, in the order they happened:
//!
//! ```text
//! {"target":"audit","audit":"decision","tool":"check_in_guest","actor":"…","check":"room_vacant",
//!  "outcome":"refused","record":"a01…","error_code":"ROOM_NOT_VACANT",…}
//! {"target":"audit","audit":"transition","tool":"check_in_guest","actor":"…","object":"Booking__c",
//!  "record":"a00…","field":"Status__c","before":"Reserved","after":"Checked In",…}
//! ```
//!
//! Rules that keep the trail true:
//! - a transition is recorded only once its write has succeeded (a write rolled back, refused or
//!   never sent changed nothing), and only when the value changes;
//! - a creation is a transition without `before`; a record with no status field (a Contact, a
//!   Stripe customer) has no `field` and `after` = `"created"`;
//! - records are named by their ids, never by a guest's email (personal data): the actor's subject
//!   says who, the record id says what.

use crate::caller::Caller;
use crate::spec::ToolSpec;
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::case::{self, CaseStatus};
use dewy_domain::objects::opportunity::{self, OpportunityStage};
use dewy_domain::objects::room::{self, RoomStatus};
use dewy_domain::{ErrorCode, Picklist, ToolError};
use std::sync::{Arc, Mutex, PoisonError};

/// The tracing target of audit events: one filter finds them all.
pub const TARGET: &str = "audit";

/// What a checked rule came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The rule holds; the invocation went on.
    Passed,
    /// The rule does not hold: the invocation was refused (with the error code), or the tool took
    /// another path (without one).
    Refused,
}

impl Verdict {
    /// `"passed"` or `"refused"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Refused => "refused",
        }
    }
}

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditEvent {
    /// A rule checked before going on.
    Decision {
        /// A short stable name, e.g. `room_vacant`.
        check: &'static str,
        /// Passed or refused.
        outcome: Verdict,
        /// The record the rule is about, when it is about one.
        record: Option<String>,
        /// The error answered, on a refusal that ended the invocation.
        error_code: Option<ErrorCode>,
    },
    /// A record written: a status changed, or a record created.
    Transition {
        /// The object, e.g. `Booking__c`, `PaymentIntent`.
        object: &'static str,
        /// The record's id.
        record: String,
        /// The field that changed, e.g. `Status__c`; none for a created record without a status.
        field: Option<&'static str>,
        /// The value before; none for a created record, or a value not read before the write
        /// (a Stripe confirmation).
        before: Option<String>,
        /// The value after.
        after: String,
    },
}

/// A status picklist and where it lives: lets a transition name its object and field from the
/// type alone.
pub trait StatusField: Picklist + PartialEq {
    /// The object, e.g. `Booking__c`.
    const OBJECT: &'static str;
    /// The status field, e.g. `Status__c`.
    const FIELD: &'static str;
}

impl StatusField for BookingStatus {
    const OBJECT: &'static str = booking::OBJECT;
    const FIELD: &'static str = booking::STATUS;
}

impl StatusField for RoomStatus {
    const OBJECT: &'static str = room::OBJECT;
    const FIELD: &'static str = room::STATUS;
}

impl StatusField for OpportunityStage {
    const OBJECT: &'static str = opportunity::OBJECT;
    const FIELD: &'static str = opportunity::STAGE;
}

impl StatusField for CaseStatus {
    const OBJECT: &'static str = case::OBJECT;
    const FIELD: &'static str = case::STATUS;
}

/// The audit events of one invocation, in order. Cheap to clone (one shared list), so parallel
/// reads and writes of a handler record into the same trail.
#[derive(Debug, Clone, Default)]
pub struct AuditTrail {
    events: Arc<Mutex<Vec<AuditEvent>>>,
}

impl AuditTrail {
    /// An empty trail.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `check` passed, about `record` if given.
    pub fn passed(&self, check: &'static str, record: Option<&str>) {
        self.decide(check, Verdict::Passed, record, None);
    }

    /// Records that `check` refused the invocation with `error`, about `record` if given.
    pub fn refused(&self, check: &'static str, record: Option<&str>, error: &ToolError) {
        self.decide(check, Verdict::Refused, record, Some(error.code));
    }

    /// Records a decision. A refusal without an error code is a rule that sent the tool down
    /// another path rather than ending the invocation (e.g. a compensation that leaves the stay).
    pub fn decide(
        &self,
        check: &'static str,
        outcome: Verdict,
        record: Option<&str>,
        error_code: Option<ErrorCode>,
    ) {
        self.push(AuditEvent::Decision {
            check,
            outcome,
            record: record.map(str::to_owned),
            error_code,
        });
    }

    /// Records `check` as `result` says (passed, or refused with its error) and hands the result
    /// back, so a check site stays one line: `ctx.audit().check("guest_found", found)?`.
    pub fn check<T>(&self, check: &'static str, result: Result<T, ToolError>) -> Result<T, ToolError> {
        self.record_result(check, None, result)
    }

    /// [`AuditTrail::check`] for a rule about `record`.
    pub fn check_on<T>(
        &self,
        check: &'static str,
        record: &str,
        result: Result<T, ToolError>,
    ) -> Result<T, ToolError> {
        self.record_result(check, Some(record), result)
    }

    fn record_result<T>(
        &self,
        check: &'static str,
        record: Option<&str>,
        result: Result<T, ToolError>,
    ) -> Result<T, ToolError> {
        match &result {
            Ok(_) => self.passed(check, record),
            Err(error) => self.refused(check, record, error),
        }
        result
    }

    /// Records that `record`'s status went from `before` to `after`, a write that has succeeded.
    /// Nothing is recorded when the status stays the same.
    pub fn transition<S: StatusField>(&self, record: &str, before: S, after: S) {
        if before != after {
            self.changed(
                S::OBJECT,
                record,
                Some(S::FIELD),
                Some(before.api_value()),
                after.api_value(),
            );
        }
    }

    /// Records that `record` was created with status `after`.
    pub fn created<S: StatusField>(&self, record: &str, after: S) {
        self.changed(S::OBJECT, record, Some(S::FIELD), None, after.api_value());
    }

    /// Records a created record that has no status (a Contact, a Stripe customer).
    pub fn created_record(&self, object: &'static str, record: &str) {
        self.changed(object, record, None, None, "created");
    }

    /// Records any written change: for values that are not one of the hotel's picklists (a Stripe
    /// payment's status, say).
    pub fn changed(
        &self,
        object: &'static str,
        record: &str,
        field: Option<&'static str>,
        before: Option<&str>,
        after: &str,
    ) {
        self.push(AuditEvent::Transition {
            object,
            record: record.to_owned(),
            field,
            before: before.map(str::to_owned),
            after: after.to_owned(),
        });
    }

    /// The events so far, in order.
    pub fn events(&self) -> Vec<AuditEvent> {
        self.lock().clone()
    }

    /// Whether a decision so far refused the invocation (a refusal with an error code).
    pub fn has_refusal(&self) -> bool {
        self.lock().iter().any(|event| {
            matches!(
                event,
                AuditEvent::Decision {
                    error_code: Some(_),
                    ..
                }
            )
        })
    }

    fn push(&self, event: AuditEvent) {
        self.lock().push(event);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<AuditEvent>> {
        // A panic while holding the lock cannot leave a half-pushed event: the list stays usable.
        self.events.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Logs every event, in order, as one INFO line each with target [`TARGET`], naming the tool,
    /// the actor (the token's subject), their personas, the operation's idempotency key and the
    /// caller's trace id (`trace_id`, when the request carried a trace context).
    pub(crate) fn emit(
        &self,
        spec: &ToolSpec,
        caller: &Caller,
        operation: Option<&str>,
        trace_id: Option<&str>,
    ) {
        let personas = caller.persona_names();
        for event in self.lock().iter() {
            match event {
                AuditEvent::Decision {
                    check,
                    outcome,
                    record,
                    error_code,
                } => tracing::info!(
                    target: TARGET,
                    audit = "decision",
                    tool = spec.name,
                    actor = %caller.subject,
                    personas = %personas,
                    operation,
                    trace_id,
                    check,
                    outcome = outcome.as_str(),
                    record = record.as_deref(),
                    error_code = error_code.map(ErrorCode::as_str),
                    "audit"
                ),
                AuditEvent::Transition {
                    object,
                    record,
                    field,
                    before,
                    after,
                } => tracing::info!(
                    target: TARGET,
                    audit = "transition",
                    tool = spec.name,
                    actor = %caller.subject,
                    personas = %personas,
                    operation,
                    trace_id,
                    object,
                    record = %record,
                    field,
                    before = before.as_deref(),
                    after = %after,
                    "audit"
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(
        check: &'static str,
        outcome: Verdict,
        record: Option<&str>,
        code: Option<ErrorCode>,
    ) -> AuditEvent {
        AuditEvent::Decision {
            check,
            outcome,
            record: record.map(str::to_owned),
            error_code: code,
        }
    }

    #[test]
    fn checks_record_their_verdict_and_hand_the_result_back() {
        let trail = AuditTrail::new();
        let found: Result<u8, ToolError> = trail.check("guest_found", Ok(7));
        assert_eq!(found, Ok(7));
        let vacant: Result<(), ToolError> = trail.check_on(
            "room_vacant",
            "a01",
            Err(ToolError::new(ErrorCode::RoomNotVacant, "cleaning")),
        );
        assert_eq!(vacant.unwrap_err().code, ErrorCode::RoomNotVacant);
        assert_eq!(
            trail.events(),
            vec![
                decision("guest_found", Verdict::Passed, None, None),
                decision(
                    "room_vacant",
                    Verdict::Refused,
                    Some("a01"),
                    Some(ErrorCode::RoomNotVacant)
                ),
            ]
        );
        assert!(trail.has_refusal());
    }

    #[test]
    fn transitions_name_object_and_field_from_the_status_type_and_skip_non_changes() {
        let trail = AuditTrail::new();
        trail.transition("a00", BookingStatus::Reserved, BookingStatus::CheckedIn);
        trail.transition("a01", RoomStatus::Occupied, RoomStatus::Occupied);
        trail.created("500", CaseStatus::New);
        trail.created_record("Contact", "003");
        let change =
            |object, record: &str, field, before: Option<&str>, after: &str| AuditEvent::Transition {
                object,
                record: record.to_owned(),
                field,
                before: before.map(str::to_owned),
                after: after.to_owned(),
            };
        assert_eq!(
            trail.events(),
            vec![
                change(
                    "Booking__c",
                    "a00",
                    Some("Status__c"),
                    Some("Reserved"),
                    "Checked In"
                ),
                change("Case", "500", Some("Status"), None, "New"),
                change("Contact", "003", None, None, "created"),
            ]
        );
        assert!(!trail.has_refusal());
    }

    #[test]
    fn clones_share_one_trail() {
        let trail = AuditTrail::new();
        let clone = trail.clone();
        clone.passed("input_valid", None);
        trail.decide("stay_revertible", Verdict::Refused, Some("a00"), None);
        assert_eq!(trail.events().len(), 2);
        assert_eq!(clone.events(), trail.events());
        assert!(
            !trail.has_refusal(),
            "a refusal without an error code did not end the invocation"
        );
    }
}
