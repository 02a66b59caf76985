//! `/__sandbox/*`: the knobs over HTTP, for the standalone binary and cross-process benchmarks.
//! These requests need no key, are not counted, and get no latency or faults.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use bytes::Bytes;
use http::{HeaderMap, Method};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Meta, json_response};
use crate::knobs::{Fault, FaultPhase, FaultRule, Latency};
use crate::sandbox::reset_all;
use crate::state::{Shared, lock};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__sandbox/stats", get(stats))
        .route("/__sandbox/latency", post(set_latency))
        .route("/__sandbox/faults", post(add_fault).delete(clear_faults))
        .route("/__sandbox/reset-stats", post(reset_stats))
        .route("/__sandbox/reset", post(reset))
        .route("/__sandbox/payment_intents/{id}/authenticate", post(authenticate))
}

fn reply(status: u16, body: &Value) -> Response {
    json_response(status, body, &Meta::new(&HeaderMap::new()))
}

fn ok() -> Response {
    reply(200, &json!({"ok": true}))
}

fn bad_request(message: String) -> Response {
    reply(400, &json!({"ok": false, "error": message}))
}

/// Parses a JSON body; an empty body is `{}`.
fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, String> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| format!("invalid JSON body: {e}"))
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    let stats = lock(&shared.stats);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let requests: Vec<Value> = stats
        .log
        .iter()
        .map(|r| {
            json!({
                "method": r.method.as_str(),
                "path": r.path,
                "idempotency_key": r.idempotency_key,
                "replayed": r.replayed,
                "status": r.status,
                "started_ms": ms(r.started.saturating_duration_since(shared.started)),
                "duration_ms": ms(r.finished.saturating_duration_since(r.started)),
            })
        })
        .collect();
    reply(200, &json!({"request_count": stats.count, "requests": requests}))
}

#[derive(Deserialize)]
struct LatencyBody {
    min_ms: Option<u64>,
    max_ms: Option<u64>,
}

async fn set_latency(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: LatencyBody = match parse(&body) {
        Ok(b) => b,
        Err(e) => return bad_request(e),
    };
    let latency = match (body.min_ms, body.max_ms) {
        (None, None) => None,
        (Some(a), None) | (None, Some(a)) => Some(Latency::fixed(Duration::from_millis(a))),
        (Some(a), Some(b)) => Some(Latency::range(Duration::from_millis(a), Duration::from_millis(b))),
    };
    lock(&shared.knobs).latency = latency;
    ok()
}

/// A fault rule as JSON: `{"fault": "server_error", "rate": 0.5, "path_contains": "/v1/refunds",
/// "method": "POST", "times": 1, "phase": "after_handling", "should_retry": false,
/// "retry_after_secs": 1}`; only `fault` is required.
#[derive(Deserialize)]
struct FaultBody {
    fault: Fault,
    #[serde(default = "one")]
    rate: f64,
    #[serde(default, alias = "path")]
    path_contains: Option<String>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    times: Option<u32>,
    #[serde(default)]
    phase: FaultPhase,
    #[serde(default)]
    should_retry: Option<bool>,
    #[serde(default = "one_second")]
    retry_after_secs: u64,
}

fn one() -> f64 {
    1.0
}

fn one_second() -> u64 {
    1
}

async fn add_fault(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: FaultBody = match parse(&body) {
        Ok(b) => b,
        Err(e) => return bad_request(e),
    };
    let method = match body
        .method
        .map(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()))
        .transpose()
    {
        Ok(m) => m,
        Err(_) => return bad_request("invalid method".into()),
    };
    let rule = FaultRule {
        fault: body.fault,
        rate: body.rate,
        path_contains: body.path_contains,
        method,
        times: body.times,
        phase: body.phase,
        should_retry: body.should_retry,
        retry_after_secs: body.retry_after_secs,
    };
    lock(&shared.knobs).faults.push(rule);
    ok()
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.knobs).faults.clear();
    ok()
}

async fn reset_stats(State(shared): State<Arc<Shared>>) -> Response {
    let mut stats = lock(&shared.stats);
    stats.count = 0;
    stats.log.clear();
    ok()
}

async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    reset_all(&shared);
    ok()
}

#[derive(Deserialize)]
struct AuthenticateBody {
    #[serde(default = "yes")]
    approve: bool,
}

fn yes() -> bool {
    true
}

/// Completes (`{"approve": true}`, the default) or fails the 3-D Secure step of a PaymentIntent in
/// `requires_action`, standing in for the customer's browser.
async fn authenticate(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let body: AuthenticateBody = match parse(&body) {
        Ok(b) => b,
        Err(e) => return bad_request(e),
    };
    let mut store = lock(&shared.store);
    match store.authenticate(&id, body.approve) {
        Ok(()) => match store.payment_intent(&id) {
            Some(intent) => reply(200, &store.render_payment_intent(intent, false)),
            None => ok(),
        },
        Err(e) => reply(e.status, &e.body()),
    }
}
