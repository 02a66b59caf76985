//! The HTTP side of an endpoint: method, bearer auth, body limits and JSON-RPC well-formedness are
//! checked here, then the request goes to rmcp's stateless Streamable HTTP service.

use crate::Authenticate;
use crate::auth::{AuthFailure, AuthSettings};
use crate::endpoint::Endpoint;
use crate::server::{ListedTools, PersonaServer, Throttled};
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rmcp::model::ClientJsonRpcMessage;
use rmcp::transport::streamable_http_server::StreamableHttpService;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use serde_json::{Value, json};
use std::sync::Arc;

/// The rmcp service for one endpoint.
pub(crate) type McpService = StreamableHttpService<PersonaServer, NeverSessionManager>;

/// Everything one endpoint's route needs.
#[derive(Clone)]
pub(crate) struct Served {
    pub endpoint: Endpoint,
    pub service: McpService,
    pub authenticate: Arc<dyn Authenticate>,
    pub settings: Arc<AuthSettings>,
    pub max_body_bytes: usize,
}

/// Serves one MCP request. Auth comes before the body is read, so an anonymous client cannot make
/// the server buffer megabytes.
pub(crate) async fn serve(State(served): State<Served>, request: Request) -> Response {
    if request.method() != Method::POST {
        // Stateless: no GET stream to resume and no session to DELETE.
        return method_not_allowed();
    }
    let caller = match authorization(request.headers()) {
        Ok(authorization) => served.authenticate.authenticate(authorization.as_deref()).await,
        Err(failure) => Err(failure),
    };
    let caller = match caller {
        Ok(caller) => caller,
        Err(failure) => return served.settings.refuse(served.endpoint, &failure),
    };
    let Some(caller) = served.endpoint.view(&caller) else {
        return served.settings.insufficient_scope(served.endpoint);
    };
    let (mut parts, body) = request.into_parts();
    let bytes = match to_bytes(Body::new(body), served.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(_) => return too_large(served.max_body_bytes),
    };
    if is_json(&parts.headers)
        && let Some(refusal) = malformed(&bytes)
    {
        return refusal;
    }
    parts.extensions.insert(caller);
    let throttled = Throttled::default();
    parts.extensions.insert(throttled.clone());
    let listed = ListedTools::default();
    parts.extensions.insert(listed.clone());
    let request = Request::from_parts(parts, Body::from(bytes.clone()));
    let mut response = served.service.handle(request).await.map(Body::new);
    if let Some(secs) = throttled.0.get() {
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(*secs));
    }
    if response.status().is_client_error() && !is_json(response.headers()) {
        return as_jsonrpc_error(response, &bytes).await;
    }
    match listed.get() {
        Some(result) => with_result(response, result).await,
        None => response,
    }
}

/// rmcp's answer to a `tools/list` with `result`, the serialized list, as its result.
///
/// rmcp checked the request (headers, protocol version, `_meta`) and called the handler, which left
/// the list's bytes in the request's extensions and gave rmcp an empty list: the one answer carries
/// rmcp's checks and the id, and the bytes built once. An answer that is not a success (rmcp
/// refused after all) goes back as it is.
async fn with_result(response: Response, result: &Bytes) -> Response {
    if response.status() != StatusCode::OK || !is_json(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // rmcp's answer with an empty list is a few hundred bytes.
    let Ok(body) = to_bytes(body, 64 * 1024).await else {
        return jsonrpc_error_with_status(
            StatusCode::INTERNAL_SERVER_ERROR,
            Value::Null,
            -32603,
            "Internal error",
        );
    };
    let id = match serde_json::from_slice::<Value>(&body) {
        Ok(message) if message.get("result").is_some() => serde_json::to_vec(&message["id"]),
        _ => return Response::from_parts(parts, Body::from(body)),
    };
    let Ok(id) = id else {
        return Response::from_parts(parts, Body::from(body));
    };
    // The field order serde gives rmcp's `JsonRpcResponse`: jsonrpc, id, result.
    let mut answer = Vec::with_capacity(result.len() + id.len() + 32);
    answer.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
    answer.extend_from_slice(&id);
    answer.extend_from_slice(br#","result":"#);
    answer.extend_from_slice(result);
    answer.push(b'}');
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(answer))
}

/// The `Authorization` header as text; a header that is not text is a bad token, not a missing one.
fn authorization(headers: &HeaderMap) -> Result<Option<String>, AuthFailure> {
    match headers.get(header::AUTHORIZATION) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(|text| Some(text.to_owned()))
            .map_err(|_| AuthFailure::invalid_token("The Authorization header is not readable text.")),
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// A JSON-RPC error for a body rmcp would refuse with a bare `415` and plain text: bad JSON is a
/// parse error (-32700), a message of unknown shape an invalid request (-32600), and a well-formed
/// request whose params do not fit its method invalid params (-32602).
fn malformed(bytes: &[u8]) -> Option<Response> {
    if serde_json::from_slice::<ClientJsonRpcMessage>(bytes).is_ok() {
        return None;
    }
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return Some(jsonrpc_error(
            Value::Null,
            -32700,
            "Parse error: the body is not valid JSON.",
        ));
    };
    let id = request_id(&value);
    let is_request = value.get("jsonrpc") == Some(&json!("2.0"))
        && value.get("method").is_some_and(Value::is_string)
        && !id.is_null();
    Some(if is_request {
        jsonrpc_error(id, -32602, "Invalid params for this method.")
    } else {
        jsonrpc_error(id, -32600, "Invalid Request: not a JSON-RPC 2.0 message.")
    })
}

/// The `id` of a JSON-RPC message, or `null` when it has none a reply could echo.
fn request_id(message: &Value) -> Value {
    message
        .get("id")
        .filter(|id| id.is_string() || id.is_number())
        .cloned()
        .unwrap_or(Value::Null)
}

fn jsonrpc_error(id: Value, code: i64, message: &str) -> Response {
    jsonrpc_error_with_status(StatusCode::BAD_REQUEST, id, code, message)
}

/// The JSON-RPC error code of refusals by the transport itself (wrong method, foreign `Host` or
/// `Origin`, unacceptable `Accept`): -32000, the first code JSON-RPC 2.0 leaves to the server for
/// its own errors, and the one the official TypeScript MCP SDK answers these refusals with.
const TRANSPORT_REFUSAL: i64 = -32000;

fn jsonrpc_error_with_status(status: StatusCode, id: Value, code: i64, message: &str) -> Response {
    let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    (status, axum::Json(body)).into_response()
}

/// rmcp refuses a foreign `Host` or `Origin` (403), an `Accept` without JSON and SSE (406) or a body
/// that is not JSON (415) in plain text, which MCP clients cannot read as a JSON-RPC reply. The same
/// status and headers go back with rmcp's text as the message of a JSON-RPC error, echoing the id
/// of the request `body` when it has one.
async fn as_jsonrpc_error(response: Response, body: &[u8]) -> Response {
    let (parts, text) = response.into_parts();
    // rmcp's refusals are one short sentence; a longer body is not buffered, its status names it.
    let text = to_bytes(text, 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let message = match text.trim() {
        "" => parts.status.canonical_reason().unwrap_or("Refused"),
        text => text,
    };
    let id = serde_json::from_slice::<Value>(body)
        .map(|message| request_id(&message))
        .unwrap_or(Value::Null);
    let mut refusal = jsonrpc_error_with_status(parts.status, id, TRANSPORT_REFUSAL, message);
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            refusal.headers_mut().append(name, value.clone());
        }
    }
    refusal
}

fn too_large(limit: usize) -> Response {
    let body = json!({
        "success": false,
        "error_code": "PAYLOAD_TOO_LARGE",
        "error_message": format!("The request body is larger than {limit} bytes."),
        "details": null,
    });
    (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(body)).into_response()
}

/// The id is `null`: the body of a request with another method is never read (it is no JSON-RPC
/// message of this transport, and nothing is buffered before the caller is known).
fn method_not_allowed() -> Response {
    let mut response = jsonrpc_error_with_status(
        StatusCode::METHOD_NOT_ALLOWED,
        Value::Null,
        TRANSPORT_REFUSAL,
        "Method Not Allowed: this MCP server is stateless; send JSON-RPC with POST.",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_bodies_get_the_json_rpc_error_that_fits() {
        let code = |body: &str| malformed(body.as_bytes()).map(|response| response.status());
        assert_eq!(code(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#), None);
        assert_eq!(code("{not json"), Some(StatusCode::BAD_REQUEST));
        assert_eq!(code("[1,2]"), Some(StatusCode::BAD_REQUEST));
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":1,"method":5}"#),
            Some(StatusCode::BAD_REQUEST)
        );
    }
}
