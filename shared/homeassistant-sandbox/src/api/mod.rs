//! The HTTP API: an axum router over the entity store, in Home Assistant's wire format.

mod admin;
mod auth;
mod service_calls;
mod states;
mod status;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};
use http::{HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use crate::state::Shared;

/// The router for everything the sandbox serves.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    // Only the matched API routes ask for the token: an unknown path is a 404 either way, as
    // Home Assistant's router answers before its views check authentication.
    let api = Router::new()
        .route("/api/", get(status::running))
        .route("/api/config", get(status::config))
        .route("/api/states", get(states::all))
        .route("/api/states/{entity_id}", get(states::one))
        .route("/api/services/{domain}/{service}", post(service_calls::call))
        .route_layer(middleware::from_fn_with_state(
            shared.clone(),
            auth::require_token,
        ));
    api.merge(admin::routes(&shared.controls))
        .fallback(|| async { text_response(404, "404: Not Found") })
        .method_not_allowed_fallback(|| async { text_response(405, "405: Method Not Allowed") })
        .with_state(shared)
}

/// A JSON response.
pub(crate) fn json_response(status: u16, body: &Value) -> Response {
    response(status, body.to_string(), "application/json")
}

/// Home Assistant's `{"message": …}` answer.
pub(crate) fn message_response(status: u16, message: &str) -> Response {
    json_response(status, &json!({ "message": message }))
}

/// A plain-text response, as aiohttp words the errors it raises itself (`401: Unauthorized`).
pub(crate) fn text_response(status: u16, text: &'static str) -> Response {
    response(status, text.to_owned(), "text/plain; charset=utf-8")
}

fn response(status: u16, body: String, content_type: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
