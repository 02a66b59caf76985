//! The kit's server in Twilio's words: [`TwilioApi`] words the admin answers and the injected 500
//! and 429 as Twilio does.

use axum::response::Response;
use dewy_sandbox_kit::{Api, FaultRule};
use http::HeaderMap;
use serde_json::Value;

use crate::api::{error_response, json_response};
use crate::error::ApiError;

/// Twilio's wire format, for the kit.
#[derive(Debug)]
pub(crate) struct TwilioApi;

impl Api for TwilioApi {
    fn json(&self, status: u16, body: &Value) -> Response {
        json_response(status, body)
    }

    /// 500 with code 20500.
    fn server_error(&self, _: &FaultRule, _: &HeaderMap) -> Response {
        error_response(&ApiError::internal())
    }

    /// 429 with code 20429.
    fn rate_limited(&self, _: &FaultRule, _: &HeaderMap) -> Response {
        error_response(&ApiError::too_many_requests())
    }
}
