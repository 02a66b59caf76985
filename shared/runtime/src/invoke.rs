//! Tool dispatch through Lambda Invoke: how the MCP adapter reaches each tool's own function in AWS.
//!
//! The adapter sends the same API Gateway HTTP API v2 event API Gateway itself sends, with the claims
//! of the token the adapter verified in the JWT authorizer context. A tool function therefore has one
//! input path ([`crate::lambda::handle`]) whichever way it is reached, and re-checks the caller's
//! personas itself.

use crate::request::REPLAYED_HEADER;
use aws_sdk_lambda::primitives::Blob;
use dewy_domain::{ErrorBody, ErrorCode, ToolError};
use dewy_mcp::Dispatch;
use dewy_tool::confirm::CONFIRMATION_HEADER;
use dewy_tool::dispatch::BoxFuture;
use dewy_tool::trace::{TRACEPARENT, TRACESTATE, traced};
use dewy_tool::{Answer, CallMeta, Caller, DynTool, ToolSpec};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The `apiId` of the adapter's events: how a tool function tells them from API Gateway's.
pub const ADAPTER_API_ID: &str = "mcp-adapter";

/// Invokes `<prefix><tool name>` for each call.
pub struct LambdaInvoke {
    client: aws_sdk_lambda::Client,
    function_prefix: String,
    budget: Duration,
}

impl LambdaInvoke {
    /// A dispatcher invoking functions named `<function_prefix><tool>` with `client`, giving each call
    /// `budget` to answer.
    pub fn new(client: aws_sdk_lambda::Client, function_prefix: impl Into<String>, budget: Duration) -> Self {
        LambdaInvoke {
            client,
            function_prefix: function_prefix.into(),
            budget,
        }
    }

    async fn invoke(&self, tool: &ToolSpec, caller: &Caller, arguments: &Value, meta: &CallMeta) -> Answer {
        let function = format!("{}{}", self.function_prefix, tool.name);
        let event = tool_event(tool, caller, arguments, meta);
        let Ok(payload) = serde_json::to_vec(&event) else {
            return Answer::error(ToolError::internal());
        };
        let call = self
            .client
            .invoke()
            .function_name(&function)
            .payload(Blob::new(payload))
            .send();
        let output = match tokio::time::timeout(self.budget, call).await {
            Ok(Ok(output)) => output,
            Ok(Err(error)) => {
                let error = aws_sdk_lambda::error::DisplayErrorContext(error);
                tracing::error!(%function, %error, "Lambda Invoke failed");
                return Answer::error(unavailable(&function));
            }
            Err(_) => {
                tracing::error!(%function, "Lambda Invoke timed out");
                return Answer::error(unavailable(&function));
            }
        };
        let body = output.payload().map(|p| p.as_ref()).unwrap_or_default();
        if let Some(kind) = output.function_error() {
            tracing::error!(%function, kind, payload = %String::from_utf8_lossy(body), "tool function failed");
            return Answer::error(ToolError::internal());
        }
        reply_of(body)
    }
}

impl Dispatch for LambdaInvoke {
    fn call<'a>(
        &'a self,
        tool: &'static dyn DynTool,
        caller: Caller,
        arguments: Value,
        meta: CallMeta,
    ) -> BoxFuture<'a, Answer> {
        Box::pin(async move {
            let call = self.invoke(tool.spec(), &caller, &arguments, &meta);
            traced(meta.trace.as_ref(), None, call).await
        })
    }
}

/// The HTTP API v2 event for calling `tool` as `caller`: what API Gateway would send for
/// `POST /api/<tool>` after its JWT authorizer accepted the caller's token, with the caller's
/// trace context as the `traceparent` and `tracestate` headers a REST caller would send, and its
/// confirmation as the header only the adapter's own events are heard on.
pub fn tool_event(tool: &ToolSpec, caller: &Caller, arguments: &Value, meta: &CallMeta) -> Value {
    let path = tool.rest_path();
    let groups: Vec<&str> = caller.personas.iter().map(|p| p.group()).collect();
    let mut claims = json!({ "sub": caller.subject, "cognito:groups": format!("[{}]", groups.join(" ")) });
    if let Some(email) = &caller.email {
        claims["email"] = json!(email.as_str());
    }
    let mut headers = json!({ "content-type": "application/json", "user-agent": "dewy-mcp-adapter" });
    if let Some(trace) = &meta.trace {
        headers[TRACEPARENT] = json!(trace.traceparent());
        if let Some(state) = trace.tracestate() {
            headers[TRACESTATE] = json!(state);
        }
    }
    if let Some(confirmation) = meta.confirmation.header_value() {
        headers[CONFIRMATION_HEADER] = json!(confirmation);
    }
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    json!({
        "version": "2.0",
        "routeKey": format!("POST {path}"),
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "",
            "apiId": ADAPTER_API_ID,
            "authorizer": { "jwt": { "claims": claims, "scopes": null } },
            "domainName": "mcp-adapter",
            "domainPrefix": "mcp-adapter",
            "http": {
                "method": "POST",
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "dewy-mcp-adapter"
            },
            "requestId": format!("mcp-{now_ms}"),
            "routeKey": format!("POST {path}"),
            "stage": "$default",
            "time": "",
            "timeEpoch": now_ms
        },
        "body": arguments.to_string(),
        "isBase64Encoded": false
    })
}

/// The tool's answer from a function's HTTP API v2 response: its output or its error body, and
/// whether the function replayed a stored result.
fn reply_of(payload: &[u8]) -> Answer {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct HttpResponse {
        status_code: u16,
        #[serde(default)]
        headers: HashMap<String, String>,
        #[serde(default)]
        body: Option<String>,
    }
    let response: HttpResponse = match serde_json::from_slice(payload) {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "a tool function answered something other than an HTTP response");
            return Answer::error(ToolError::internal());
        }
    };
    let replayed = response
        .headers
        .iter()
        .any(|(name, value)| name.eq_ignore_ascii_case(REPLAYED_HEADER) && value == "true");
    Answer {
        result: result_of(response.status_code, response.body.unwrap_or_default()),
        success_status: response.status_code,
        replayed,
    }
}

fn result_of(status: u16, body: String) -> Result<Value, ToolError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(&body).map_err(|_| ToolError::internal());
    }
    match serde_json::from_str::<ErrorBody>(&body) {
        Ok(error) => {
            let code = ErrorCode::from_wire(&error.error_code).unwrap_or(ErrorCode::InternalError);
            let details = (!error.details.is_null()).then_some(error.details);
            Err(ToolError {
                code,
                message: error.error_message,
                details,
            })
        }
        Err(_) => Err(ToolError::internal()),
    }
}

fn unavailable(function: &str) -> ToolError {
    ToolError::new(
        ErrorCode::ServiceUnavailable,
        "The tool could not be reached. Try again shortly.",
    )
    .with_details(json!({ "backend": "lambda", "function": function, "retryable": true }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_tool::{Confirmation, Persona, TraceContext};

    #[test]
    fn the_event_is_one_api_gateway_would_send_and_carries_the_caller() {
        let caller = Caller::from_claims("sub-1", Some("kay@example.com"), ["guest"]);
        let spec = dewy_tools::find("check_in_guest").unwrap().spec();
        let trace = TraceContext::parse(
            Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            Some("rojo=1"),
        );
        let meta = CallMeta {
            trace: trace.clone(),
            confirmation: Confirmation::Accepted("d1".into()),
        };
        let event = tool_event(spec, &caller, &json!({ "payment_id": "x" }), &meta);
        let request = lambda_http::request::from_str(&event.to_string()).expect("a valid HTTP API v2 event");
        let seen = crate::lambda::caller(&request).expect("the claims are in the authorizer context");
        assert_eq!(seen, caller);
        assert_eq!(
            TraceContext::from_headers(request.headers()),
            trace,
            "the trace travels as headers"
        );
        assert!(crate::lambda::from_adapter(&request));
        assert_eq!(
            CallMeta::from_headers(request.headers(), true).confirmation,
            Confirmation::Accepted("d1".into()),
            "so does the confirmation"
        );
        assert_eq!(seen.personas, vec![Persona::Guest]);
        assert_eq!(request.uri().path(), "/api/check-in-guest");
    }

    #[test]
    fn responses_become_outputs_or_the_tools_own_errors() {
        let ok = json!({ "statusCode": 200, "body": "{\"success\":true}" }).to_string();
        let fresh = reply_of(ok.as_bytes());
        assert_eq!(fresh.result.unwrap(), json!({ "success": true }));
        assert!(!fresh.replayed);
        let replay = json!({ "statusCode": 200, "headers": { "Idempotent-Replayed": "true" }, "body": "{}" });
        assert!(reply_of(replay.to_string().as_bytes()).replayed);
        let body = json!({ "success": false, "error_code": "ROOM_NOT_VACANT", "error_message": "busy", "details": { "room_number": "106" } });
        let refused = json!({ "statusCode": 409, "body": body.to_string() }).to_string();
        let error = reply_of(refused.as_bytes()).result.unwrap_err();
        assert_eq!(
            (error.code, error.message.as_str()),
            (ErrorCode::RoomNotVacant, "busy")
        );
        assert_eq!(error.details.unwrap()["room_number"], "106");
        assert_eq!(
            reply_of(b"garbage").result.unwrap_err().code,
            ErrorCode::InternalError
        );
    }
}
