//! The one error type of every tool, carrying its error code and HTTP status (docs/errors.md).
//!
//! Every transport renders it the same way: REST as the body `{success:false, error_code,
//! error_message, details}` with the code's status; MCP as an `isError: true` result with that body.

use serde::Serialize;
use serde_json::Value;

/// An error code with its HTTP status.
///
/// The original's codes keep their statuses, so its clients keep working; new failure modes get new
/// codes in the same style (docs/errors.md lists them all). The string form is the wire form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    // 400: the request cannot be carried out as given.
    RequiredFieldsMissing,
    ValidationError,
    RoomNotFound,
    BookingNotFound,
    GuestContactNotFound,
    InvalidContactType,
    ManagerContactNotFound,
    UpsertFailed,
    /// The opportunity an update names does not exist (the atomic skills' counterpart of
    /// BOOKING_NOT_FOUND / ROOM_NOT_FOUND).
    OpportunityNotFound,
    /// No case has the idempotency token an update names.
    CaseNotFound,
    /// Stripe has no PaymentIntent (or customer) with the id given.
    PaymentNotFound,
    /// The room device cannot do what was asked (an effect on a plain light): the details list
    /// what it can do.
    FeatureNotSupported,
    // 401 / 403: who is asking.
    Unauthorized,
    Forbidden,
    // 404.
    GuestNotFound,
    ReservationNotFound,
    /// No such route or tool.
    NotFound,
    /// No room device with that id that this caller may control: a guest gets it alike for a
    /// device of another room and for one that does not exist.
    DeviceNotFound,
    /// The guest has no room to control now: room controls work while they are checked in.
    NotCheckedIn,
    // 403 / 428: a person's confirmation of a money move (MCP only; docs/confirmations.md).
    /// A person must confirm this charge or refund first: the details say what they confirm.
    /// Only the MCP adapter sees it, and asks the person through the client.
    ConfirmationRequired,
    /// The client cannot ask its person to confirm a money move, and the deployment refuses such
    /// moves: the message says where to confirm instead (the web portal).
    ConfirmationUnavailable,
    /// The person declined the charge or refund: nothing was charged or refunded.
    ConfirmationDeclined,
    // 405 / 413 / 415 / 429: the HTTP request itself.
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
    /// The caller made more calls of the tool's class (reads, writes, payments) in the current
    /// window than the limit: `details.retry_after_ms` says when the next window starts.
    RateLimited,
    // 409: the records are not in a state that allows the operation.
    MultipleReservations,
    RoomNotVacant,
    RoomAlreadyBooked,
    InvalidStateTransition,
    /// Another checkout of the same guest's stay is running (any token, any caller): retry
    /// shortly, and it answers as that checkout left things.
    CheckoutInProgress,
    /// The stay was already checked out (and paid: the details name the payment).
    StayAlreadyCheckedOut,
    /// Another call was changing the same record (or booking the same room) and did not finish
    /// in time: nothing was written; retry, and the retry decides on the record as it then is.
    ConcurrentUpdate,
    // 402 / 422: payments.
    PaymentFailed,
    PaymentNotRefundable,
    /// The client's amount differs from the stay's bill: the details name the amount due.
    AmountMismatch,
    // Idempotency (docs/idempotency.md): a repeat of a call that is still running (409, retry
    // shortly), or an idempotency key sent again with a different request (422, do not retry as is).
    IdempotencyInProgress,
    IdempotencyKeyReused,
    // 5xx: a backend or this system failed; nothing was half-written.
    SalesforceError,
    SalesforceUnavailable,
    SalesforceTimeout,
    StripeError,
    StripeUnavailable,
    StripeTimeout,
    /// Home Assistant refused a call this system made (a bad token, data it rejected): a fault
    /// here, not in the request.
    HomeAssistantError,
    HomeAssistantUnavailable,
    HomeAssistantTimeout,
    /// The checkout's payment succeeded but its Salesforce update failed, so the payment was
    /// refunded (the saga's compensation) and nothing was changed. Final for its idempotency token.
    CheckoutRefunded,
    InternalError,
    /// A service this system depends on (e.g. the token keys) is briefly unavailable.
    ServiceUnavailable,
}

impl ErrorCode {
    /// The HTTP status the code is answered with.
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            RequiredFieldsMissing
            | ValidationError
            | RoomNotFound
            | BookingNotFound
            | GuestContactNotFound
            | InvalidContactType
            | ManagerContactNotFound
            | UpsertFailed
            | OpportunityNotFound
            | CaseNotFound
            | PaymentNotFound
            | FeatureNotSupported => 400,
            Unauthorized => 401,
            PaymentFailed => 402,
            Forbidden | ConfirmationDeclined => 403,
            GuestNotFound | ReservationNotFound | NotFound | DeviceNotFound | NotCheckedIn => 404,
            MethodNotAllowed => 405,
            MultipleReservations
            | RoomNotVacant
            | RoomAlreadyBooked
            | InvalidStateTransition
            | CheckoutInProgress
            | StayAlreadyCheckedOut
            | ConcurrentUpdate
            | IdempotencyInProgress => 409,
            PayloadTooLarge => 413,
            UnsupportedMediaType => 415,
            RateLimited => 429,
            ConfirmationRequired | ConfirmationUnavailable => 428,
            PaymentNotRefundable | AmountMismatch | IdempotencyKeyReused => 422,
            SalesforceError | StripeError | HomeAssistantError | CheckoutRefunded | InternalError => 500,
            SalesforceUnavailable | StripeUnavailable | HomeAssistantUnavailable | ServiceUnavailable => 503,
            SalesforceTimeout | StripeTimeout | HomeAssistantTimeout => 504,
        }
    }

    /// The wire form, e.g. `ROOM_NOT_VACANT`.
    pub fn as_str(self) -> String {
        match serde_json::to_value(self) {
            Ok(Value::String(s)) => s,
            _ => unreachable!("a unit enum variant serialises to a string"),
        }
    }

    /// The code for its wire form, e.g. `ROOM_NOT_VACANT`.
    pub fn from_wire(code: &str) -> Option<ErrorCode> {
        serde_json::from_value(Value::String(code.to_owned())).ok()
    }

    /// Whether the same request may succeed if simply sent again: a transient backend failure, or a
    /// repeat that found the first call still running.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::SalesforceUnavailable
                | ErrorCode::SalesforceTimeout
                | ErrorCode::StripeUnavailable
                | ErrorCode::StripeTimeout
                | ErrorCode::HomeAssistantUnavailable
                | ErrorCode::HomeAssistantTimeout
                | ErrorCode::ServiceUnavailable
                | ErrorCode::IdempotencyInProgress
                | ErrorCode::CheckoutInProgress
                | ErrorCode::ConcurrentUpdate
                | ErrorCode::RateLimited
        )
    }
}

impl ErrorCode {
    /// Whether the failure settles its operation for good, so that a repeat with the same
    /// idempotency key must get this error again rather than run again. A refunded checkout is
    /// one: running it again would replay the (refunded) payment and could record a checkout
    /// that was never paid.
    pub fn is_final(self) -> bool {
        matches!(self, ErrorCode::CheckoutRefunded)
    }
}

/// A tool's failure: a code, a message a person or an agent can act on, and structured details.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct ToolError {
    /// The error code (and so the HTTP status).
    pub code: ErrorCode,
    /// What went wrong and what to do about it.
    pub message: String,
    /// Structured context, e.g. the conflicting bookings.
    pub details: Option<Value>,
}

/// The error body every transport sends: `{success:false, error_code, error_message, details}`.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ErrorBody {
    /// Always `false`.
    pub success: bool,
    /// The error code, e.g. `ROOM_NOT_VACANT`.
    pub error_code: String,
    /// What went wrong and what to do about it.
    pub error_message: String,
    /// Structured context; `null` when there is none.
    pub details: Value,
}

impl ToolError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ToolError {
            code,
            message: message.into(),
            details: None,
        }
    }

    /// Adds structured details.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// `400 VALIDATION_ERROR`.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::ValidationError, message)
    }

    /// `400 REQUIRED_FIELDS_MISSING` naming the fields.
    pub fn missing_fields(fields: &[&str]) -> Self {
        Self::new(
            ErrorCode::RequiredFieldsMissing,
            format!("Required fields are missing: {}", fields.join(", ")),
        )
        .with_details(serde_json::json!({ "missing_fields": fields }))
    }

    /// `500 INTERNAL_ERROR` with a generic message: internals stay in the logs, not in responses.
    pub fn internal() -> Self {
        Self::new(
            ErrorCode::InternalError,
            "An internal error occurred. It has been logged; please try again later.",
        )
    }

    /// The HTTP status.
    pub fn http_status(&self) -> u16 {
        self.code.http_status()
    }

    /// The body sent to callers.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            success: false,
            error_code: self.code.as_str(),
            error_message: self.message.clone(),
            details: self.details.clone().unwrap_or(Value::Null),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_the_original_statuses() {
        assert_eq!(ErrorCode::GuestNotFound.http_status(), 404);
        assert_eq!(ErrorCode::ReservationNotFound.http_status(), 404);
        assert_eq!(ErrorCode::MultipleReservations.http_status(), 409);
        assert_eq!(ErrorCode::RoomNotVacant.http_status(), 409);
        assert_eq!(ErrorCode::RequiredFieldsMissing.http_status(), 400);
        assert_eq!(ErrorCode::PaymentFailed.http_status(), 402);
        assert_eq!(ErrorCode::PaymentNotRefundable.http_status(), 422);
        assert_eq!(ErrorCode::SalesforceError.http_status(), 500);
    }

    #[test]
    fn codes_round_trip_through_their_wire_form() {
        assert_eq!(
            ErrorCode::from_wire("ROOM_NOT_VACANT"),
            Some(ErrorCode::RoomNotVacant)
        );
        assert_eq!(
            ErrorCode::from_wire(&ErrorCode::SalesforceTimeout.as_str()),
            Some(ErrorCode::SalesforceTimeout)
        );
        assert_eq!(ErrorCode::from_wire("NO_SUCH_CODE"), None);
    }

    #[test]
    fn the_body_has_the_wire_shape() {
        let error = ToolError::new(ErrorCode::RoomNotVacant, "Room 101 is occupied")
            .with_details(serde_json::json!({"room_number": "101"}));
        let body = serde_json::to_value(error.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "success": false,
                "error_code": "ROOM_NOT_VACANT",
                "error_message": "Room 101 is occupied",
                "details": {"room_number": "101"}
            })
        );
    }
}
