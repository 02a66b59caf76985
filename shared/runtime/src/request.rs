//! The transport-neutral part of serving a tool over HTTP.

use dewy_connector::Deadline;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::dispatch::invoke_traced;
use dewy_tool::rate::retry_after_secs;
use dewy_tool::{Answer, Backends, CallMeta, Caller, DynTool, RateLimiter};
use serde_json::Value;

/// The largest request body accepted, on REST and MCP alike. Tool inputs are small; anything bigger
/// is a mistake or abuse.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The response header marking a replayed result (Stripe's name): the call repeated an earlier,
/// identical one, whose stored result this is; nothing ran again.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// The headers beyond `Content-Type` that a transport adds to `answer`: `Idempotent-Replayed` on a
/// replay, `Retry-After` (seconds) on a rate-limit refusal.
pub fn extra_headers(answer: &Answer) -> impl Iterator<Item = (&'static str, String)> {
    let replayed = answer.replayed.then(|| (REPLAYED_HEADER, "true".to_owned()));
    let retry_after = answer
        .result
        .as_ref()
        .err()
        .and_then(retry_after_secs)
        .map(|secs| ("retry-after", secs.to_string()));
    replayed.into_iter().chain(retry_after)
}

/// One HTTP call of a tool by an authenticated caller, as a transport received it.
pub struct HttpCall<'a> {
    /// The verified caller.
    pub caller: Caller,
    /// When backend calls are cut off.
    pub deadline: Deadline,
    /// The request's headers: its content type, trace context and (from the adapter) confirmation.
    pub headers: &'a http::HeaderMap,
    /// The request's body.
    pub body: &'a [u8],
    /// The Lambda runtime's request id, repeated in the trace's span.
    pub request_id: Option<&'a str>,
    /// Whether the MCP adapter made the call ([`crate::lambda::from_adapter`]): only then is its
    /// confirmation header heard.
    pub from_adapter: bool,
}

/// Serves one HTTP call of `tool`: counts it against `limiter` (the front door's one rate-limit
/// check, before anything else), checks the body's type and size, parses it as JSON and invokes
/// the tool, in the caller's trace when the headers carry a valid `traceparent`. Never panics;
/// every failure is a reply with the error body.
pub async fn call_tool(
    tool: &dyn DynTool,
    backends: &Backends,
    limiter: Option<&RateLimiter>,
    call: HttpCall<'_>,
) -> Answer {
    if let Some(limiter) = limiter
        && let Err(refusal) = limiter.admit(tool.spec(), &call.caller).await
    {
        return Answer::error(refusal);
    }
    let meta = CallMeta::from_headers(call.headers, call.from_adapter);
    let content_type = call
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let arguments = match parse_body(content_type, call.body) {
        Ok(arguments) => arguments,
        Err(error) => return Answer::error(error),
    };
    invoke_traced(
        tool,
        backends,
        call.caller,
        call.deadline,
        arguments,
        meta,
        call.request_id,
    )
    .await
    .into_answer()
}

/// The JSON object in a request body. An empty body is an empty object (every field defaulted).
pub fn parse_body(content_type: Option<&str>, body: &[u8]) -> Result<Value, ToolError> {
    if let Some(content_type) = content_type {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence != "application/json" && !essence.ends_with("+json") {
            return Err(ToolError::new(
                ErrorCode::UnsupportedMediaType,
                format!("The request body must be JSON (Content-Type: application/json), not '{essence}'."),
            ));
        }
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(body)
        .map_err(|error| ToolError::validation(format!("The request body is not valid JSON: {error}.")))
}

/// `413 PAYLOAD_TOO_LARGE`.
pub fn too_large() -> ToolError {
    ToolError::new(
        ErrorCode::PayloadTooLarge,
        format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_checked_before_any_tool_runs() {
        assert_eq!(parse_body(None, b"").unwrap(), serde_json::json!({}));
        assert_eq!(
            parse_body(Some("application/json; charset=utf-8"), b"{\"a\":1}").unwrap()["a"],
            1
        );
        assert_eq!(
            parse_body(Some("text/plain"), b"{}").unwrap_err().code,
            ErrorCode::UnsupportedMediaType
        );
        assert_eq!(
            parse_body(None, b"{\"a\":").unwrap_err().code,
            ErrorCode::ValidationError
        );
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(parse_body(None, &big).unwrap_err().http_status(), 413);
    }
}
