//! A tool's Lambda function: API Gateway HTTP API v2 events in, the tool's reply out.
//!
//! The caller comes from the JWT authorizer's claims in the request context (API Gateway verified
//! the token; the MCP adapter puts the claims of the token it verified in the same place), so a tool
//! function has one input path whichever way it is reached.

use crate::request::{HttpCall, call_tool, extra_headers};
use dewy_connector::Deadline;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::Answer;
use dewy_tool::{Backends, Caller, DynTool};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response, service_fn};
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Time kept back from the Lambda deadline to log and write the response.
const RESPONSE_MARGIN: Duration = Duration::from_millis(250);

/// Runs `tool` as a Lambda function: logging, backends built once per container, then the runtime
/// loop. This is all a tool's function calls.
pub async fn run(tool: &'static dyn DynTool) -> Result<(), lambda_http::Error> {
    crate::logging::init_lambda();
    let backends = crate::config::backends_from_env().await?;
    if !tool.spec().effect.is_read_only() {
        crate::config::warn_if_records_in_memory();
    }
    let backends = &backends;
    lambda_http::run(service_fn(move |request: Request| async move {
        Ok::<_, std::convert::Infallible>(handle(tool, backends, request).await)
    }))
    .await
}

/// Serves one event. Public so tests can run a function's handler on a sample event in-process.
pub async fn handle(tool: &dyn DynTool, backends: &Backends, request: Request) -> Response<Body> {
    if request.method() != http::Method::POST {
        let error = ToolError::new(ErrorCode::MethodNotAllowed, "Use POST to call a tool.");
        return respond(Answer::error(error));
    }
    let Some(caller) = caller(&request) else {
        let error = ToolError::new(
            ErrorCode::Unauthorized,
            "A verified identity is required to call this tool.",
        );
        return respond(Answer::error(error));
    };
    // The front door's rate-limit check, unless the MCP adapter made it already (see
    // `from_adapter`).
    let adapter = from_adapter(&request);
    let limiter = backends.rate_limiter.as_ref().filter(|_| !adapter);
    let request_id = request
        .lambda_context_ref()
        .map(|context| context.request_id.clone());
    let call = HttpCall {
        caller,
        deadline: deadline(&request),
        headers: request.headers(),
        body: request.body().as_ref(),
        request_id: request_id.as_deref(),
        from_adapter: adapter,
    };
    let answer = call_tool(tool, backends, limiter, call).await;
    respond(answer)
}

/// Whether the event is the MCP adapter's Lambda Invoke ([`crate::invoke::tool_event`]), whose call
/// the adapter already counted against the caller's rate limit: a call is counted once, at the
/// front door it came through. API Gateway always names its own API here, so no HTTP caller can
/// claim to be the adapter; only a principal allowed to invoke the function directly can, and that
/// principal is already trusted with the caller's claims.
pub fn from_adapter(request: &Request) -> bool {
    matches!(
        request.request_context_ref(),
        Some(RequestContext::ApiGatewayV2(context))
            if context.apiid.as_deref() == Some(crate::invoke::ADAPTER_API_ID)
    )
}

/// The caller from the JWT authorizer's claims, if the event carries them.
pub fn caller(request: &Request) -> Option<Caller> {
    let RequestContext::ApiGatewayV2(context) = request.request_context_ref()? else {
        return None;
    };
    caller_from_claims(&context.authorizer.as_ref()?.jwt.as_ref()?.claims)
}

/// A caller from JWT claims as API Gateway passes them: every value a string, `cognito:groups` as
/// `[a b]` (API Gateway's rendering of an array) or as a JSON array.
pub fn caller_from_claims(claims: &HashMap<String, String>) -> Option<Caller> {
    let subject = claims.get("sub")?;
    let groups = claims
        .get("cognito:groups")
        .map(|raw| parse_groups(raw))
        .unwrap_or_default();
    Some(Caller::from_claims(
        subject,
        claims.get("email").map(String::as_str),
        groups.iter().map(String::as_str),
    ))
}

fn parse_groups(raw: &str) -> Vec<String> {
    if let Ok(list) = serde_json::from_str::<Vec<String>>(raw) {
        return list;
    }
    raw.trim_matches(|c| c == '[' || c == ']')
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|g| !g.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The invocation's deadline, less a margin; 30 s when the event has no Lambda context (tests).
fn deadline(request: &Request) -> Deadline {
    let remaining = request.lambda_context_ref().map(|context| {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        remaining_time(context.deadline, now_ms)
    });
    Deadline::after(
        remaining
            .unwrap_or(Duration::from_secs(30))
            .saturating_sub(RESPONSE_MARGIN),
    )
}

/// The longest a Lambda invocation can run.
const MAX_INVOCATION: Duration = Duration::from_secs(15 * 60);

/// Time left before `deadline_ms`. Lambda sends epoch milliseconds; `cargo lambda watch`'s emulator
/// sends the timeout itself (e.g. `600000`). No epoch time is that small (it would be before 2001), so
/// such a value is read as a duration. Either way the result is capped at Lambda's maximum.
fn remaining_time(deadline_ms: u64, now_ms: u64) -> Duration {
    const EPOCH_MS_2001: u64 = 1_000_000_000_000;
    let remaining = if deadline_ms < EPOCH_MS_2001 {
        deadline_ms
    } else {
        deadline_ms.saturating_sub(now_ms)
    };
    Duration::from_millis(remaining).min(MAX_INVOCATION)
}

fn respond(answer: Answer) -> Response<Body> {
    let body = serde_json::to_string(&answer.body()).unwrap_or_else(|_| "null".to_owned());
    let mut response = Response::new(Body::Text(body));
    *response.status_mut() =
        http::StatusCode::from_u16(answer.http_status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    for (name, value) in extra_headers(&answer) {
        if let Ok(value) = http::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_tool::Persona;

    #[test]
    fn deadlines_are_read_as_epoch_times_or_emulator_durations() {
        let now = 1_795_473_913_789;
        assert_eq!(remaining_time(now + 3_000, now), Duration::from_secs(3));
        assert_eq!(remaining_time(now - 1, now), Duration::ZERO, "already passed");
        assert_eq!(
            remaining_time(600_000, now),
            Duration::from_secs(600),
            "cargo lambda watch"
        );
        assert_eq!(remaining_time(now + 86_400_000, now), MAX_INVOCATION);
    }

    #[test]
    fn groups_parse_in_both_renderings() {
        assert_eq!(parse_groups("[guest manager]"), vec!["guest", "manager"]);
        assert_eq!(parse_groups(r#"["guest","staff"]"#), vec!["guest", "staff"]);
        assert_eq!(parse_groups("guest"), vec!["guest"]);
        let claims = HashMap::from([
            ("sub".to_owned(), "abc".to_owned()),
            ("email".to_owned(), "kay@example.com".to_owned()),
            ("cognito:groups".to_owned(), "[guest]".to_owned()),
        ]);
        let caller = caller_from_claims(&claims).unwrap();
        assert_eq!(caller.personas, vec![Persona::Guest]);
        assert!(
            caller_from_claims(&HashMap::new()).is_none(),
            "no subject, no caller"
        );
    }
}
