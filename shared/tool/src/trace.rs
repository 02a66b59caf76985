//! W3C Trace Context (`traceparent`, `tracestate`): a caller's trace, carried from the request that
//! started a tool call to every log line, audit event and metrics record of that call.
//!
//! A transport reads it from the HTTP request's headers (REST and MCP alike) or, on MCP, from the
//! request's `params._meta` (which wins when both are present), and hands it to the invoke path
//! ([`crate::dispatch::invoke_traced`]). A `traceparent` that is not valid is ignored, never an
//! error: tracing is the caller's business, not a reason to refuse a call.

use std::future::Future;
use tracing::Instrument;

/// The header (and `_meta` key) naming the caller's trace and span.
pub const TRACEPARENT: &str = "traceparent";
/// The header (and `_meta` key) with vendors' trace state, passed on as it came.
pub const TRACESTATE: &str = "tracestate";

/// The longest `tracestate` passed on: the W3C recommendation's 512 characters (32 members).
const MAX_TRACESTATE: usize = 512;

/// A valid `traceparent`, with the `tracestate` that came with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceContext {
    traceparent: String,
    tracestate: Option<String>,
}

impl TraceContext {
    /// The trace context of `traceparent` and `tracestate`, or `None` when `traceparent` is missing
    /// or not `version-traceid-parentid-flags` (2, 32, 16 and 2 lowercase hex digits; version `ff`,
    /// an all-zero trace id or parent id are invalid). A version after `00` may append fields after a
    /// `-`, which are kept as they came. A `tracestate` that is not printable ASCII or is longer than
    /// 512 characters is dropped, the `traceparent` kept.
    pub fn parse(traceparent: Option<&str>, tracestate: Option<&str>) -> Option<TraceContext> {
        let traceparent = traceparent?.trim();
        if !valid_traceparent(traceparent) {
            return None;
        }
        let tracestate = tracestate
            .map(str::trim)
            .filter(|state| !state.is_empty() && state.len() <= MAX_TRACESTATE)
            .filter(|state| state.bytes().all(|b| (b' '..=b'~').contains(&b)))
            .map(str::to_owned);
        Some(TraceContext {
            traceparent: traceparent.to_owned(),
            tracestate,
        })
    }

    /// The trace context in `headers`, if their `traceparent` is valid.
    pub fn from_headers(headers: &http::HeaderMap) -> Option<TraceContext> {
        let text = |name| headers.get(name).and_then(|value| value.to_str().ok());
        TraceContext::parse(text(TRACEPARENT), text(TRACESTATE))
    }

    /// The trace id: 32 lowercase hex digits.
    pub fn trace_id(&self) -> &str {
        &self.traceparent[3..35]
    }

    /// The `traceparent` as it came.
    pub fn traceparent(&self) -> &str {
        &self.traceparent
    }

    /// The `tracestate`, if one came and is passed on.
    pub fn tracestate(&self) -> Option<&str> {
        self.tracestate.as_deref()
    }
}

/// `version-traceid-parentid-flags`, lowercase hex, neither id all zeros, version not `ff`.
fn valid_traceparent(value: &str) -> bool {
    let bytes = value.as_bytes();
    let Some(version) = value.get(..2) else {
        return false;
    };
    let fixed = bytes.len() == 55 || (version != "00" && bytes.len() > 55 && bytes[55] == b'-');
    let hex = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    let zeros = |range: std::ops::Range<usize>| bytes[range].iter().all(|b| *b == b'0');
    fixed
        && version != "ff"
        && [2, 35, 52].iter().all(|&dash| bytes[dash] == b'-')
        && hex(0..2)
        && hex(3..35)
        && hex(36..52)
        && hex(53..55)
        && !zeros(3..35)
        && !zeros(36..52)
}

/// Runs `work` inside a span carrying the trace id as `traceId`, so every log line written meanwhile
/// names the trace; without a trace, runs it as it is. `request_id` repeats the Lambda runtime's
/// request id in the span: the functions' JSON log lines show only the innermost span, and must
/// keep naming the invocation.
pub async fn traced<F: Future>(trace: Option<&TraceContext>, request_id: Option<&str>, work: F) -> F::Output {
    match trace {
        Some(trace) => {
            let span = tracing::info_span!("trace", traceId = trace.trace_id(), requestId = request_id);
            work.instrument(span).await
        }
        None => work.await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn a_valid_traceparent_gives_its_trace_id() {
        let trace = TraceContext::parse(Some(VALID), Some("rojo=00f067aa0ba902b7")).unwrap();
        assert_eq!(trace.trace_id(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(trace.traceparent(), VALID);
        assert_eq!(trace.tracestate(), Some("rojo=00f067aa0ba902b7"));
        let future = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra";
        assert!(
            TraceContext::parse(Some(future), None).is_some(),
            "a later version may add fields"
        );
    }

    #[test]
    fn an_invalid_traceparent_is_ignored() {
        for invalid in [
            "",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
            "not a trace",
        ] {
            assert_eq!(TraceContext::parse(Some(invalid), None), None, "{invalid}");
        }
        assert_eq!(TraceContext::parse(None, Some("rojo=1")), None);
    }

    #[test]
    fn a_bad_tracestate_is_dropped_and_the_traceparent_kept() {
        let long = "a=".to_owned() + &"b".repeat(MAX_TRACESTATE);
        for state in ["", "caf\u{e9}=1", long.as_str()] {
            let trace = TraceContext::parse(Some(VALID), Some(state)).unwrap();
            assert_eq!(trace.tracestate(), None, "{state}");
        }
    }
}
