//! The REST API: every registered tool at `POST /api/<kebab-name>`, derived from the registry, and
//! its OpenAPI document at `GET /openapi.json`.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use dewy_connector::Deadline;
use dewy_domain::{ErrorCode, ToolError};
use dewy_runtime::request::{HttpCall, MAX_BODY_BYTES, call_tool, extra_headers, too_large};
use dewy_tool::Answer;
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
/// function; locally this router does it with the same kind of token). The OpenAPI document of
/// `tools` is public: it describes the API, not anyone's data.
pub fn router(
    tools: &[&'static dyn DynTool],
    backends: Backends,
    authenticate: Arc<dyn Authenticate>,
) -> Router {
    let document = crate::openapi::document(tools);
    let mut router = Router::new().route(
        crate::openapi::OPENAPI_PATH,
        get(move || async move { axum::Json(document) })
            .fallback(|| async { method_not_allowed("GET", "Use GET to read the OpenAPI document.") }),
    );
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
                .fallback(|| async { method_not_allowed("POST", "Use POST to call a tool.") }),
        );
    }
    router.fallback(|| async {
        json(Answer::error(ToolError::new(
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
        return json(Answer::error(too_large()));
    };
    let deadline = Deadline::after(REST_BUDGET);
    let call = HttpCall {
        caller,
        deadline,
        headers: &parts.headers,
        body: &body,
        request_id: None,
        // REST callers confirm money moves in their own interface.
        from_adapter: false,
    };
    json(
        call_tool(
            served.tool,
            &served.backends,
            served.backends.rate_limiter.as_ref(),
            call,
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
    let mut response = json(Answer::error(ToolError::new(code, failure.description.clone())));
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

fn method_not_allowed(allow: &'static str, message: &str) -> Response {
    let mut response = json(Answer::error(ToolError::new(
        ErrorCode::MethodNotAllowed,
        message,
    )));
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}

fn json(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers: Vec<_> = extra_headers(&answer).collect();
    let mut response = (status, axum::Json(answer.body())).into_response();
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_tool::dispatch::BoxFuture;
    use dewy_tool::{AuthFailure, Caller};
    use http_body_util::BodyExt;
    use serde_json::Value;
    use tower::ServiceExt;

    /// Refuses every token, so a route that answers proves it needs none.
    struct NoOne;

    impl Authenticate for NoOne {
        fn authenticate<'a>(&'a self, _: Option<&'a str>) -> BoxFuture<'a, Result<Caller, AuthFailure>> {
            Box::pin(async { Err(AuthFailure::missing_token()) })
        }
    }

    /// A router whose backends are never reached (nothing here calls a tool).
    fn app() -> Router {
        router(
            dewy_tools::TOOLS,
            crate::tests::unreachable_backends(),
            Arc::new(NoOne),
        )
    }

    async fn send(method: &str, path: &str) -> (StatusCode, Option<String>, Value) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = app().oneshot(request).await.unwrap();
        let status = response.status();
        let allow = response
            .headers()
            .get(header::ALLOW)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, allow, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test]
    async fn the_openapi_document_is_served_without_a_token() {
        let (status, _, body) = send("GET", crate::openapi::OPENAPI_PATH).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, crate::openapi::document(dewy_tools::TOOLS));

        let (status, allow, body) = send("POST", crate::openapi::OPENAPI_PATH).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(
            (allow.as_deref(), body["error_code"].as_str()),
            (Some("GET"), Some("METHOD_NOT_ALLOWED"))
        );

        // The tools' routes still need one, and still take POST only.
        let (status, _, _) = send("POST", "/api/check-in-guest").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, allow, _) = send("GET", "/api/check-in-guest").await;
        assert_eq!(
            (status, allow.as_deref()),
            (StatusCode::METHOD_NOT_ALLOWED, Some("POST"))
        );
    }
}
