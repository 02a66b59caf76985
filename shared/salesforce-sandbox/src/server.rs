//! The kit's server in Salesforce's words: [`SalesforceApi`] words the admin answers and the
//! injected 500 and 429 as Salesforce does.

use axum::response::Response;
use dewy_sandbox_kit::{Api, FaultRule};
use http::HeaderMap;
use serde_json::Value;

use crate::api::json_response;
use crate::error::SandboxError;

/// Salesforce's wire format, for the kit.
#[derive(Debug)]
pub(crate) struct SalesforceApi;

impl Api for SalesforceApi {
    fn json(&self, status: u16, body: &Value) -> Response {
        json_response(status, Some(body))
    }

    /// 500 `UNKNOWN_EXCEPTION` with an ErrorId, as Salesforce answers an internal error.
    fn server_error(&self, _: &FaultRule, _: &HeaderMap) -> Response {
        let error_id = rand::random::<u32>();
        let message = format!(
            "An unexpected error occurred. Please include this ErrorId if you contact support: \
             {error_id}-{} ({})",
            error_id % 100_000,
            -i64::from(error_id % 1_000_000_000)
        );
        let error = SandboxError::new(500, "UNKNOWN_EXCEPTION", message);
        json_response(500, Some(&error.body()))
    }

    /// 429 `REQUEST_LIMIT_EXCEEDED`.
    fn rate_limited(&self, _: &FaultRule, _: &HeaderMap) -> Response {
        let error = SandboxError::new(429, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        json_response(429, Some(&error.body()))
    }
}
