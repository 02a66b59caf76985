//! The REST API: every registered tool at `POST /api/<kebab-name>`, derived from the registry.

use crate::request::{MAX_BODY_BYTES, Reply, call_tool, too_large};
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use dewy_connector::Deadline;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::{AuthFailure, Authenticate, Backends, DynTool};
use std::sync::Arc;
use std::time::Duration;

/// How long a REST invocation may take before backend calls are cut off (API Gateway's own limit
/// is 30 s).
pub const REST_BUDGET: Duration = Duration::from_secs(29);

#[derive(Clone)]
struct Served {
    tool: &'static dyn DynTool,
    backends: Backends,
    authenticate: Arc<dyn Authenticate>,
}

/// The router serving `tools`, with JSON errors for unknown routes and wrong methods. Every call is
/// authenticated through `authenticate` (in AWS, API Gateway's JWT authorizer does it before the
/// function; locally this router does it with the same kind of token).
pub fn router(
    tools: &[&'static dyn DynTool],
    backends: Backends,
    authenticate: Arc<dyn Authenticate>,
) -> Router {
    let mut router = Router::new();
    for &tool in tools {
        let served = Served {
            tool,
            backends: backends.clone(),
            authenticate: authenticate.clone(),
        };
        router = router.route(
            &tool.spec().rest_path(),
            post(serve)
                .with_state(served)
                .fallback(|| async { method_not_allowed() }),
        );
    }
    router.fallback(|| async {
        json(Reply::error(&ToolError::new(
            ErrorCode::NotFound,
            "No such route. Tools are served at POST /api/<tool-name>.",
        )))
    })
}

async fn serve(State(served): State<Served>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let authorization = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let caller = match served.authenticate.authenticate(authorization).await {
        Ok(caller) => caller,
        Err(failure) => return refuse(&failure),
    };
    let Ok(body) = to_bytes(Body::new(body), MAX_BODY_BYTES).await else {
        return json(Reply::error(&too_large()));
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let deadline = Deadline::after(REST_BUDGET);
    json(
        call_tool(
            served.tool,
            &served.backends,
            caller,
            deadline,
            content_type,
            &body,
        )
        .await,
    )
}

/// 401/403/503 with the error body and, for 401/403, a `WWW-Authenticate` challenge.
fn refuse(failure: &AuthFailure) -> Response {
    let code = match failure.status {
        403 => ErrorCode::Forbidden,
        503 => ErrorCode::ServiceUnavailable,
        _ => ErrorCode::Unauthorized,
    };
    let mut response = json(Reply::error(&ToolError::new(code, failure.description.clone())));
    if code != ErrorCode::ServiceUnavailable {
        let challenge = match &failure.www_authenticate_error {
            Some(error) => format!("Bearer error=\"{error}\""),
            None => "Bearer".to_owned(),
        };
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
        }
    }
    response
}

fn method_not_allowed() -> Response {
    let mut response = json(Reply::error(&ToolError::new(
        ErrorCode::MethodNotAllowed,
        "Use POST to call a tool.",
    )));
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

fn json(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers: Vec<_> = reply.extra_headers().collect();
    let mut response = (status, axum::Json(reply.body)).into_response();
    for (name, value) in headers {
        response
            .headers_mut()
            .insert(name, HeaderValue::from_static(value));
    }
    response
}
