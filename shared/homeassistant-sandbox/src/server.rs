//! The kit's server in Home Assistant's words: [`HomeAssistantApi`] words the admin answers and the
//! injected 500 and 429 as Home Assistant's web server (aiohttp) does.

use axum::response::Response;
use dewy_sandbox_kit::{Api, FaultRule};
use http::HeaderMap;
use serde_json::Value;

use crate::api::{json_response, text_response};

/// Home Assistant's wire format, for the kit.
#[derive(Debug)]
pub(crate) struct HomeAssistantApi;

impl Api for HomeAssistantApi {
    fn json(&self, status: u16, body: &Value) -> Response {
        json_response(status, body)
    }

    /// aiohttp's plain-text answer to a handler that crashed.
    fn server_error(&self, _: &FaultRule, _: &HeaderMap) -> Response {
        text_response(500, "500 Internal Server Error\n\nServer got itself in trouble")
    }

    /// aiohttp's plain-text 429 (Home Assistant has no rate limit of its own; a proxy in front of
    /// it would answer this way).
    fn rate_limited(&self, _: &FaultRule, _: &HeaderMap) -> Response {
        text_response(429, "429: Too Many Requests")
    }
}
