//! [`Api`]: what a sandbox tells the kit about its API's wire format.

use std::fmt;

use axum::response::Response;
use http::HeaderMap;
use serde_json::{Value, json};

use crate::FaultRule;

/// How one sandbox's API answers, where the kit writes the answer: the admin routes' JSON and the
/// error bodies of injected faults, each in the API's own format (content type, headers, error
/// shape). Also where the API spends its latency and whether it has idempotency keys.
///
/// Implemented by a unit struct in each sandbox and handed to [`Controls::new`](crate::Controls::new).
pub trait Api: fmt::Debug + Send + Sync + 'static {
    /// A JSON response with `status`, as the API sends one; the admin routes answer with it.
    fn json(&self, status: u16, body: &Value) -> Response;

    /// The API's 500 for an injected [`Fault::ServerError`](crate::Fault::ServerError).
    /// `request` holds the request's headers; `rule` is the rule that fired.
    fn server_error(&self, rule: &FaultRule, request: &HeaderMap) -> Response;

    /// The API's 429 for an injected [`Fault::RateLimited`](crate::Fault::RateLimited). The kit
    /// adds `Retry-After` from [`FaultRule::retry_after_secs`].
    fn rate_limited(&self, rule: &FaultRule, request: &HeaderMap) -> Response;

    /// Whether the API's handlers wait out the latency themselves (with
    /// [`Controls::wait_latency`](crate::Controls::wait_latency)) at the point where the real API
    /// spends its time. If not (the default), the server waits before handling the request.
    fn waits_itself(&self) -> bool {
        false
    }

    /// Whether the API has idempotency keys: if so, the request log records each request's
    /// `Idempotency-Key` header and whether its response was a replay (an `Idempotent-Replayed`
    /// header), and the admin stats show both. Off by default, and then the stats leave them out.
    fn logs_idempotency(&self) -> bool {
        false
    }

    /// The admin routes' success: 200 `{"ok": true}`.
    fn ok(&self) -> Response {
        self.json(200, &json!({"ok": true}))
    }

    /// The admin routes' refusal: 400 `{"ok": false, "error": message}`.
    fn bad_request(&self, message: String) -> Response {
        self.json(400, &json!({"ok": false, "error": message}))
    }
}
