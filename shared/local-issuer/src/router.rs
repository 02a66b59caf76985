//! The local issuer's HTTP endpoints.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::{IssuerError, LocalIssuer};

pub(super) fn router(issuer: LocalIssuer) -> Router {
    Router::new()
        .route("/.well-known/jwks.json", get(jwks))
        .route("/.well-known/openid-configuration", get(openid_configuration))
        .route("/login", post(login))
        .route("/oauth2/token", post(token))
        .with_state(issuer)
}

async fn jwks(State(issuer): State<LocalIssuer>) -> Json<serde_json::Value> {
    Json(issuer.jwks())
}

async fn openid_configuration(State(issuer): State<LocalIssuer>) -> Json<serde_json::Value> {
    Json(issuer.openid_configuration())
}

#[derive(Deserialize)]
struct LoginRequest {
    email: String,
    password: String,
}

async fn login(State(issuer): State<LocalIssuer>, Json(request): Json<LoginRequest>) -> Response {
    match issuer.login(&request.email, &request.password) {
        Ok(tokens) => (StatusCode::OK, Json(tokens)).into_response(),
        Err(IssuerError::InvalidCredentials) => (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_credentials" })),
        )
            .into_response(),
        Err(other) => server_error(&other),
    }
}

/// The OAuth 2.0 token request (RFC 6749 §4.3, resource owner password grant), as form fields.
#[derive(Deserialize)]
struct TokenRequest {
    grant_type: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    client_id: Option<String>,
}

async fn token(State(issuer): State<LocalIssuer>, Form(request): Form<TokenRequest>) -> Response {
    if request.grant_type != "password" {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    if request
        .client_id
        .as_deref()
        .is_some_and(|id| id != issuer.client_id())
    {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    match issuer.login(&request.username, &request.password) {
        Ok(tokens) => (StatusCode::OK, Json(tokens)).into_response(),
        Err(IssuerError::InvalidCredentials) => oauth_error(StatusCode::BAD_REQUEST, "invalid_grant"),
        Err(other) => server_error(&other),
    }
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({ "error": error }))).into_response()
}

fn server_error(error: &IssuerError) -> Response {
    tracing::error!(%error, "the local issuer could not issue tokens");
    oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error")
}
