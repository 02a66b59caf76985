//! How connector failures become tool errors.
//!
//! The caller learns which backend failed and whether retrying may help; the backend's own messages
//! (which can name fields, ids or internals) go to the log, not into the response.

use dewy_domain::{ErrorCode, ToolError};
use dewy_homeassistant::HomeAssistantError;
use dewy_salesforce::SalesforceError;
use dewy_stripe::StripeError;
use serde_json::json;

/// Maps a Salesforce failure to `SALESFORCE_TIMEOUT` (504), `SALESFORCE_UNAVAILABLE` (503),
/// `CONCURRENT_UPDATE` (409) for a write whose record changed since it was read,
/// `VALIDATION_ERROR` (400) for a record id Salesforce cannot read, or `SALESFORCE_ERROR` (500), with
/// `details {backend, retryable, salesforce_error_code?}`.
pub fn salesforce(error: SalesforceError) -> ToolError {
    tracing::error!(backend = "salesforce", error = %error, "backend call failed");
    let status = error.status();
    let (code, message) = match &error {
        SalesforceError::Timeout | SalesforceError::DeadlineExceeded => (
            ErrorCode::SalesforceTimeout,
            "Salesforce did not answer in time. Try again shortly.",
        ),
        SalesforceError::CircuitOpen => (
            ErrorCode::SalesforceUnavailable,
            "Salesforce is failing; calls to it are paused for a few seconds. Try again shortly.",
        ),
        SalesforceError::Connection(_) => (
            ErrorCode::SalesforceUnavailable,
            "Salesforce could not be reached. Try again shortly.",
        ),
        _ if status.is_some_and(|s| s >= 500 || s == 429) => (
            ErrorCode::SalesforceUnavailable,
            "Salesforce is unavailable or rate-limiting requests. Try again shortly.",
        ),
        _ if is_stale_status(&error) => (
            ErrorCode::ConcurrentUpdate,
            "Another call changed this record's status after this call read it, so nothing was changed. \
             Retry: the retry decides on the record as it now is.",
        ),
        _ if error.error_code().is_some_and(is_malformed_id) => (
            ErrorCode::ValidationError,
            "Salesforce refused a record id in the request (malformed, or of another kind of record); \
             nothing was changed. Use record ids exactly as a search returned them.",
        ),
        SalesforceError::CompositeFailed { .. } => (
            ErrorCode::SalesforceError,
            "Salesforce rejected the update, and none of its changes were applied.",
        ),
        _ => (ErrorCode::SalesforceError, "Salesforce rejected the request."),
    };
    let mut details = json!({ "backend": "salesforce", "retryable": code.is_retryable() });
    if let Some(sf_code) = error.error_code() {
        details["salesforce_error_code"] = json!(sf_code);
    }
    ToolError::new(code, message).with_details(details)
}

/// The org's status guard refused the write: the record's status changed after the tool read it
/// (see `dewy_domain::guard`). Retryable: the retry reads the record again.
fn is_stale_status(error: &SalesforceError) -> bool {
    error.api_errors().iter().any(|e| {
        e.error_code == "FIELD_CUSTOM_VALIDATION_EXCEPTION"
            && e.message.starts_with(dewy_domain::guard::STALE)
    })
}

/// Salesforce's codes for a record id it cannot use: malformed, or of another object than its field
/// or URL takes (`MALFORMED_ID`, `INVALID_ID_FIELD`), or a query filter comparing an id field with
/// something that is not an id (`INVALID_QUERY_FILTER_OPERATOR`). The tools' queries and writes put
/// ids only where ids go, so the id is the caller's, and the caller can fix it: 400, not 500.
/// `RecordId` refuses most such ids before any call; an id of the wrong object still gets here.
fn is_malformed_id(code: &str) -> bool {
    matches!(
        code,
        "MALFORMED_ID" | "INVALID_ID_FIELD" | "INVALID_QUERY_FILTER_OPERATOR"
    )
}

/// Maps a Stripe failure to the code the caller can act on:
/// - a declined card: `402 PAYMENT_FAILED` with the decline code (another card may work);
/// - a refund of a charge that cannot be refunded: `422 PAYMENT_NOT_REFUNDABLE`;
/// - an unknown PaymentIntent or customer: `400 PAYMENT_NOT_FOUND`;
/// - other refused parameters (an amount below the minimum, ...): `400 VALIDATION_ERROR` naming
///   the parameter;
/// - the same downstream key with other parameters: `422 IDEMPOTENCY_KEY_REUSED`; a key still in
///   use: `409 IDEMPOTENCY_IN_PROGRESS`;
/// - `STRIPE_TIMEOUT` (504) and `STRIPE_UNAVAILABLE` (503) for what a retry may fix, else
///   `STRIPE_ERROR` (500).
///
/// `details` always has `{backend: "stripe", retryable}`, plus Stripe's `stripe_error_code`,
/// `decline_code`, `param` and `payment_intent_id` when it gave them.
pub fn stripe(error: StripeError) -> ToolError {
    tracing::error!(backend = "stripe", error = %error, "backend call failed");
    let (code, message): (ErrorCode, String) = match &error {
        StripeError::Card { message, .. } => (
            ErrorCode::PaymentFailed,
            format!("Payment declined by card issuer: {message} Ask the guest for another payment method."),
        ),
        StripeError::InvalidRequest { code, .. } if refund_refused(code.as_deref()) => (
            ErrorCode::PaymentNotRefundable,
            "Stripe will not refund this payment: it was not charged or is already refunded.".into(),
        ),
        _ if error.is_not_found() => (
            ErrorCode::PaymentNotFound,
            "Stripe has no payment or customer with that id. Check the id.".into(),
        ),
        StripeError::InvalidRequest { message, .. } => (
            ErrorCode::ValidationError,
            format!("Stripe refused the request: {message}"),
        ),
        StripeError::InvalidInput(message) => (ErrorCode::ValidationError, message.clone()),
        StripeError::IdempotencyConflict { .. } => (
            ErrorCode::IdempotencyKeyReused,
            "This idempotency token was already used for a different payment request. Use a new token."
                .into(),
        ),
        StripeError::IdempotencyKeyInUse { .. } => (
            ErrorCode::IdempotencyInProgress,
            "The same payment request is still being processed. Try again shortly.".into(),
        ),
        StripeError::Timeout | StripeError::DeadlineExceeded => (
            ErrorCode::StripeTimeout,
            "Stripe did not answer in time. Try again shortly with the same idempotency token.".into(),
        ),
        _ if error.is_retryable() => (
            ErrorCode::StripeUnavailable,
            "Stripe is unavailable or rate-limiting requests. Try again shortly with the same idempotency token."
                .into(),
        ),
        _ => (ErrorCode::StripeError, "Stripe rejected the request.".into()),
    };
    let mut details = json!({ "backend": "stripe", "retryable": code.is_retryable() });
    if let Some(stripe_code) = error.code() {
        details["stripe_error_code"] = json!(stripe_code);
    }
    if let Some(decline_code) = error.decline_code() {
        details["decline_code"] = json!(decline_code);
    }
    if let StripeError::InvalidRequest {
        param: Some(param), ..
    } = &error
    {
        details["param"] = json!(param);
    }
    if let Some(intent) = error.payment_intent() {
        details["payment_intent_id"] = json!(intent.id);
    }
    ToolError::new(code, message).with_details(details)
}

/// Stripe's codes for a refund it will not make.
fn refund_refused(code: Option<&str>) -> bool {
    matches!(
        code,
        Some("charge_already_refunded" | "charge_not_refundable" | "payment_intent_unexpected_state")
    )
}

/// Maps a Home Assistant failure: `HOME_ASSISTANT_TIMEOUT` (504) when the deadline passed,
/// `HOME_ASSISTANT_UNAVAILABLE` (503) for what a retry may fix (5xx, 429, no connection, an open
/// breaker), `DEVICE_NOT_FOUND` (404) for an unknown entity, and `HOME_ASSISTANT_ERROR` (500) for a
/// refused token, refused service data or an answer it cannot read: the tools check values and features before calling, so
/// either is a fault of this system's configuration or code, never simulated away.
pub fn home_assistant(error: HomeAssistantError) -> ToolError {
    tracing::error!(backend = "home_assistant", error = %error, "backend call failed");
    let (code, message) = match &error {
        HomeAssistantError::DeadlineExceeded => (
            ErrorCode::HomeAssistantTimeout,
            "Home Assistant did not answer in time. Try again shortly.",
        ),
        HomeAssistantError::NotFound => (ErrorCode::DeviceNotFound, "Home Assistant has no such device."),
        HomeAssistantError::Unauthorized | HomeAssistantError::BadRequest { .. } => (
            ErrorCode::HomeAssistantError,
            "Home Assistant refused the request.",
        ),
        HomeAssistantError::Decode(_) => (
            ErrorCode::HomeAssistantError,
            "Home Assistant answered in a form this system does not read.",
        ),
        _ => (
            ErrorCode::HomeAssistantUnavailable,
            "Home Assistant is unavailable. Try again shortly.",
        ),
    };
    let details = json!({ "backend": "home_assistant", "retryable": code.is_retryable() });
    ToolError::new(code, message).with_details(details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_salesforce::{ApiError, CompositeFailure};

    #[test]
    fn home_assistant_failures_say_whether_a_retry_may_help_and_never_leak_its_message() {
        let cases = [
            (
                HomeAssistantError::DeadlineExceeded,
                ErrorCode::HomeAssistantTimeout,
                504,
            ),
            (
                HomeAssistantError::CircuitOpen,
                ErrorCode::HomeAssistantUnavailable,
                503,
            ),
            (
                HomeAssistantError::Unavailable {
                    status: Some(502),
                    message: "bad gateway".into(),
                },
                ErrorCode::HomeAssistantUnavailable,
                503,
            ),
            (HomeAssistantError::NotFound, ErrorCode::DeviceNotFound, 404),
            (
                HomeAssistantError::Unauthorized,
                ErrorCode::HomeAssistantError,
                500,
            ),
            (
                HomeAssistantError::BadRequest {
                    message: "extra keys not allowed @ data['secret']".into(),
                },
                ErrorCode::HomeAssistantError,
                500,
            ),
        ];
        for (error, code, status) in cases {
            let mapped = home_assistant(error);
            assert_eq!((mapped.code, mapped.http_status()), (code, status));
            assert_eq!(mapped.details.as_ref().unwrap()["backend"], "home_assistant");
            assert_eq!(mapped.details.unwrap()["retryable"], code.is_retryable());
            assert!(!mapped.message.contains("secret"), "{}", mapped.message);
        }
    }

    #[test]
    fn failures_name_salesforce_and_whether_a_retry_may_help() {
        let open = salesforce(SalesforceError::CircuitOpen);
        assert_eq!(
            (open.code, open.http_status()),
            (ErrorCode::SalesforceUnavailable, 503)
        );
        assert_eq!(open.details.as_ref().unwrap()["backend"], "salesforce");
        assert_eq!(open.details.unwrap()["retryable"], true);
        assert_eq!(
            salesforce(SalesforceError::Timeout).code,
            ErrorCode::SalesforceTimeout
        );
        assert_eq!(salesforce(SalesforceError::DeadlineExceeded).http_status(), 504);
        let rejected = salesforce(SalesforceError::Decode("unexpected".into()));
        assert_eq!(
            (rejected.code, rejected.details.unwrap()["retryable"].as_bool()),
            (ErrorCode::SalesforceError, Some(false))
        );
    }

    #[test]
    fn ids_salesforce_cannot_read_are_the_callers_to_fix() {
        let refused = |code: &str| {
            let errors = vec![ApiError {
                message: "invalid ID field: KeD4sSoj2mf520Z000".into(),
                error_code: code.into(),
                fields: vec![],
            }];
            salesforce(SalesforceError::Api { status: 400, errors })
        };
        for code in [
            "MALFORMED_ID",
            "INVALID_ID_FIELD",
            "INVALID_QUERY_FILTER_OPERATOR",
        ] {
            let error = refused(code);
            assert_eq!(
                (error.code, error.http_status()),
                (ErrorCode::ValidationError, 400)
            );
            let details = error.details.unwrap();
            assert_eq!(details["salesforce_error_code"], code);
            assert_eq!(details["retryable"], false);
        }
        let composite = salesforce(SalesforceError::CompositeFailed {
            failures: vec![CompositeFailure {
                reference_id: "contact".into(),
                status: 400,
                errors: vec![ApiError {
                    message: "Contact ID: id value of incorrect type".into(),
                    error_code: "MALFORMED_ID".into(),
                    fields: vec!["ContactId".into()],
                }],
            }],
            halted: vec![],
        });
        assert_eq!(composite.code, ErrorCode::ValidationError);
        assert_eq!(refused("INVALID_FIELD").code, ErrorCode::SalesforceError);
    }

    #[test]
    fn stripe_failures_say_what_the_caller_can_do() {
        let declined = stripe(StripeError::Card {
            code: "card_declined".into(),
            decline_code: Some("insufficient_funds".into()),
            message: "Your card has insufficient funds.".into(),
            payment_intent: None,
        });
        assert_eq!(
            (declined.code, declined.http_status()),
            (ErrorCode::PaymentFailed, 402)
        );
        assert_eq!(declined.details.unwrap()["decline_code"], "insufficient_funds");
        let too_small = stripe(StripeError::InvalidRequest {
            status: 400,
            code: Some("amount_too_small".into()),
            message: "Amount must be at least $0.50 usd".into(),
            param: Some("amount".into()),
            payment_intent: None,
        });
        assert_eq!(too_small.code, ErrorCode::ValidationError);
        assert_eq!(too_small.details.unwrap()["param"], "amount");
        let missing = stripe(StripeError::InvalidRequest {
            status: 404,
            code: Some("resource_missing".into()),
            message: "No such payment_intent".into(),
            param: Some("intent".into()),
            payment_intent: None,
        });
        assert_eq!(missing.code, ErrorCode::PaymentNotFound);
        assert_eq!(stripe(StripeError::Timeout).http_status(), 504);
        let open = stripe(StripeError::CircuitOpen);
        assert_eq!(
            (open.code, open.details.unwrap()["retryable"].as_bool()),
            (ErrorCode::StripeUnavailable, Some(true))
        );
        assert_eq!(
            stripe(StripeError::Decode("x".into())).code,
            ErrorCode::StripeError
        );
    }
}
