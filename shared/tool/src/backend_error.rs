//! How connector failures become tool errors.
//!
//! The caller learns which backend failed and whether retrying may help; the backend's own messages
//! (which can name fields, ids or internals) go to the log, not into the response.

use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::SalesforceError;
use serde_json::json;

/// Maps a Salesforce failure to `SALESFORCE_TIMEOUT` (504), `SALESFORCE_UNAVAILABLE` (503) or
/// `SALESFORCE_ERROR` (500), with `details {backend, retryable, salesforce_error_code?}`.
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
