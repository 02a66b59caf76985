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
