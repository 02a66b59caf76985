//! `/__sandbox/*`: the knobs over HTTP, for the standalone binaries and cross-process benchmarks.
//! These requests need no credentials, are not counted, and get no latency or faults.
//!
//! | route | body | effect |
//! | --- | --- | --- |
//! | `GET /__sandbox/stats` | | `{"request_count": N, "requests": [{"method", "path", "status", "started_ms", "duration_ms"}]}` (with `idempotency_key` and `replayed` where the API has idempotency keys) |
//! | `POST /__sandbox/latency` | `{"min_ms", "max_ms"}` | one or both set it, neither clears it |
//! | `POST /__sandbox/faults` | a fault rule, as below | adds a fault rule |
//! | `DELETE /__sandbox/faults` | | removes every rule |
//! | `POST /__sandbox/reset-stats` | | clears the counter and the log |

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use bytes::Bytes;
use http::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::{Controls, Fault, FaultPhase, FaultRule, Latency};

/// The kit's admin routes, to merge into a sandbox's router (before its fallbacks, so that they
/// apply to these routes too). They carry their own state, so they fit a router of any state `S`.
pub fn admin_routes<S>(controls: &Arc<Controls>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let with = |handler: fn(&Controls, Bytes) -> Response| {
        let controls = controls.clone();
        move |body: Bytes| {
            let controls = controls.clone();
            async move { handler(&controls, body) }
        }
    };
    Router::new()
        .route("/__sandbox/stats", get(with(stats)))
        .route("/__sandbox/latency", post(with(set_latency)))
        .route(
            "/__sandbox/faults",
            post(with(add_fault)).delete(with(clear_faults)),
        )
        .route("/__sandbox/reset-stats", post(with(reset_stats)))
}

/// Parses an admin request's JSON body; an empty body is `{}`.
///
/// # Errors
/// A message saying why the body is not a `T`.
pub fn parse_json_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, String> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| format!("invalid JSON body: {e}"))
}

fn stats(controls: &Controls, _: Bytes) -> Response {
    let idempotency = controls.api().logs_idempotency();
    let started = controls.started();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let stats = controls.stats();
    let requests: Vec<Value> = stats
        .log
        .iter()
        .map(|r| {
            let mut entry = Map::new();
            entry.insert("method".into(), json!(r.method.as_str()));
            entry.insert("path".into(), json!(r.path));
            if idempotency {
                entry.insert("idempotency_key".into(), json!(r.idempotency_key));
                entry.insert("replayed".into(), json!(r.replayed));
            }
            entry.insert("status".into(), json!(r.status));
            let since_start = r.started.saturating_duration_since(started);
            entry.insert("started_ms".into(), json!(ms(since_start)));
            let duration = r.finished.saturating_duration_since(r.started);
            entry.insert("duration_ms".into(), json!(ms(duration)));
            Value::Object(entry)
        })
        .collect();
    let body = json!({"request_count": stats.count, "requests": requests});
    drop(stats);
    controls.api().json(200, &body)
}

#[derive(Deserialize)]
struct LatencyBody {
    min_ms: Option<u64>,
    max_ms: Option<u64>,
}

fn set_latency(controls: &Controls, body: Bytes) -> Response {
    let body: LatencyBody = match parse_json_body(&body) {
        Ok(b) => b,
        Err(e) => return controls.api().bad_request(e),
    };
    let latency = match (body.min_ms, body.max_ms) {
        (None, None) => None,
        (Some(a), None) | (None, Some(a)) => Some(Latency::fixed(Duration::from_millis(a))),
        (Some(a), Some(b)) => Some(Latency::range(Duration::from_millis(a), Duration::from_millis(b))),
    };
    controls.set_latency(latency);
    controls.api().ok()
}

/// A fault rule as JSON: `{"fault": "server_error", "rate": 0.5, "path_contains": "/v1/refunds",
/// "method": "POST", "times": 1, "phase": "after_handling", "should_retry": false,
/// "retry_after_secs": 1}`; only `fault` is required (`path` is accepted for `path_contains`).
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

impl FaultBody {
    /// The rule, or why there is none.
    fn into_rule(self) -> Result<FaultRule, String> {
        let method = self
            .method
            .map(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()))
            .transpose()
            .map_err(|_| "invalid method".to_owned())?;
        Ok(FaultRule {
            fault: self.fault,
            rate: self.rate,
            path_contains: self.path_contains,
            method,
            times: self.times,
            phase: self.phase,
            should_retry: self.should_retry,
            retry_after_secs: self.retry_after_secs,
        })
    }
}

fn add_fault(controls: &Controls, body: Bytes) -> Response {
    match parse_json_body::<FaultBody>(&body).and_then(FaultBody::into_rule) {
        Ok(rule) => {
            controls.add_fault(rule);
            controls.api().ok()
        }
        Err(e) => controls.api().bad_request(e),
    }
}

fn clear_faults(controls: &Controls, _: Bytes) -> Response {
    controls.clear_faults();
    controls.api().ok()
}

fn reset_stats(controls: &Controls, _: Bytes) -> Response {
    controls.reset_stats();
    controls.api().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(body: &str) -> Result<FaultRule, String> {
        parse_json_body::<FaultBody>(&Bytes::copy_from_slice(body.as_bytes())).and_then(FaultBody::into_rule)
    }

    /// Only `fault` is required; the rest default as [`FaultRule::new`] does.
    #[test]
    fn a_bare_fault_body_is_a_default_rule() {
        assert_eq!(
            rule(r#"{"fault": "timeout"}"#),
            Ok(FaultRule::new(Fault::Timeout))
        );
    }

    /// Every field is read; `path` stands for `path_contains`, methods are case-insensitive.
    #[test]
    fn a_full_fault_body_sets_every_field() {
        let parsed = rule(
            r#"{"fault": "RateLimited", "rate": 0.5, "path": "/v1/refunds", "method": "post",
                "times": 2, "phase": "after_handling", "should_retry": false, "retry_after_secs": 3}"#,
        );
        let expected = FaultRule::new(Fault::RateLimited)
            .rate(0.5)
            .path("/v1/refunds")
            .method(Method::POST)
            .times(2)
            .after_handling()
            .should_retry(false)
            .retry_after_secs(3);
        assert_eq!(parsed, Ok(expected));
    }

    /// Unknown faults, bad methods and bad JSON are refused with a message.
    #[test]
    fn bad_fault_bodies_are_refused() {
        assert!(rule(r#"{"fault": "explode"}"#).is_err_and(|e| e.starts_with("invalid JSON body")));
        assert_eq!(
            rule(r#"{"fault": "timeout", "method": "NOT A METHOD"}"#),
            Err("invalid method".to_owned())
        );
        assert!(rule("{").is_err());
    }

    /// An empty (or blank) body reads as `{}`.
    #[test]
    fn empty_bodies_are_empty_objects() {
        let parsed: Map<String, Value> = parse_json_body(&Bytes::from_static(b" \n")).expect("blank is {}");
        assert!(parsed.is_empty());
    }
}
