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
use dewy_tool::{Backends, Caller, DynTool};
use std::sync::Arc;
use std::time::Duration;

/// Establishes who is calling from a request's headers, or refuses (401/403).
pub type Identify = Arc<dyn Fn(&http::request::Parts) -> Result<Caller, ToolError> + Send + Sync>;

/// How long a REST invocation may take before backend calls are cut off (API Gateway's own limit
/// is 30 s).
pub const REST_BUDGET: Duration = Duration::from_secs(29);

#[derive(Clone)]
struct Served {
    tool: &'static dyn DynTool,
    backends: Backends,
    identify: Identify,
}

/// The router serving `tools`, with JSON errors for unknown routes and wrong methods.
pub fn router(tools: &[&'static dyn DynTool], backends: Backends, identify: Identify) -> Router {
    let mut router = Router::new();
    for &tool in tools {
        let served = Served {
            tool,
            backends: backends.clone(),
            identify: identify.clone(),
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
    let caller = match (served.identify)(&parts) {
        Ok(caller) => caller,
        Err(error) => return json(Reply::error(&error)),
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
    (status, axum::Json(reply.body)).into_response()
}
