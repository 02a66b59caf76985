//! The kit's server in Stripe's words: [`StripeApi`] words the admin answers and the injected 500
//! and 429 as Stripe does (with `Stripe-Should-Retry` when the rule says so), leaves the latency to
//! the handlers, and has the request log record idempotency keys and replays.

use axum::response::Response;
use dewy_sandbox_kit::{Api, FaultRule};
use http::{HeaderMap, HeaderValue};
use serde_json::Value;

use crate::api::{Meta, error_response, json_response};
use crate::error::SandboxError;

/// Stripe's wire format, for the kit.
#[derive(Debug)]
pub(crate) struct StripeApi;

impl StripeApi {
    /// `error` as Stripe answers it to a request with `request` headers, with the rule's advice.
    fn injected(error: &SandboxError, rule: &FaultRule, request: &HeaderMap) -> Response {
        let mut response = error_response(error, &Meta::new(request));
        if let Some(should_retry) = rule.should_retry {
            response.headers_mut().insert(
                "stripe-should-retry",
                HeaderValue::from_static(if should_retry { "true" } else { "false" }),
            );
        }
        response
    }
}

impl Api for StripeApi {
    fn json(&self, status: u16, body: &Value) -> Response {
        json_response(status, body, &Meta::new(&HeaderMap::new()))
    }

    /// 500 `api_error`.
    fn server_error(&self, rule: &FaultRule, request: &HeaderMap) -> Response {
        Self::injected(&SandboxError::internal(), rule, request)
    }

    /// 429 `rate_limit`.
    fn rate_limited(&self, rule: &FaultRule, request: &HeaderMap) -> Response {
        Self::injected(&SandboxError::rate_limited(), rule, request)
    }

    /// The latency is the time "Stripe" spends on a request: it passes after authentication and
    /// after the request has claimed its idempotency key (see `api::get` and `api::post`).
    fn waits_itself(&self) -> bool {
        true
    }

    fn logs_idempotency(&self) -> bool {
        true
    }
}
