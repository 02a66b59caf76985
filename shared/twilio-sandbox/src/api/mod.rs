//! The HTTP API: an axum router over the message store, in Twilio's wire format.

mod admin;
mod auth;
mod messages;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use axum::routing::any;
use http::{HeaderValue, StatusCode, Uri, header};
use serde_json::Value;

use crate::error::ApiError;
use crate::state::Shared;

/// The router for everything the sandbox serves.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/2010-04-01/Accounts/{account}/Messages.json",
            any(messages::collection),
        )
        .route(
            "/2010-04-01/Accounts/{account}/Messages/{file}",
            any(messages::instance),
        )
        .merge(admin::routes(&shared.controls))
        .fallback(not_found)
        .with_state(shared)
}

/// A JSON response.
pub(crate) fn json_response(status: u16, body: &Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// An error in Twilio's shape; a 401 also asks for basic auth, as Twilio does.
pub(crate) fn error_response(error: &ApiError) -> Response {
    let mut response = json_response(error.status, &error.body());
    if error.status == 401 {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"Twilio API\""),
        );
    }
    response
}

async fn not_found(uri: Uri) -> Response {
    error_response(&ApiError::not_found(uri.path()))
}
