//! The status guard a tool writes beside a transition, so that Salesforce applies it only if the
//! record still has the status it was decided on (see `dewy_domain::guard`). A refused write is
//! answered `409 CONCURRENT_UPDATE` by `backend_error::salesforce`.

use crate::StatusField;
use dewy_domain::guard;
use serde_json::Value;

/// The write `body` (a JSON object of fields) with the guard for a decision made on a read of
/// `read` added.
pub fn guarded<S: StatusField>(mut body: Value, read: S) -> Value {
    if let Value::Object(fields) = &mut body {
        let value = guard::value(read.api_value(), rand::random());
        fields.insert(guard::FIELD.to_owned(), Value::String(value));
    }
    body
}

/// [`guarded`] for a booking decided on a read of its `status` and its room `room_id`: refused
/// also when the booking was moved to another room since.
pub fn guarded_in_room<S: StatusField>(mut body: Value, read: S, room_id: &str) -> Value {
    if let Value::Object(fields) = &mut body {
        let value = guard::value_in_room(read.api_value(), room_id, rand::random());
        fields.insert(guard::FIELD.to_owned(), Value::String(value));
    }
    body
}
