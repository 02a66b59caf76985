//! The local issuer's HTTP endpoints.

use axum::extract::{FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::token_grants::{CodeRedemption, TokenError};
use super::{IssuerError, LocalIssuer, hosted_ui};

pub(super) fn router(issuer: LocalIssuer) -> Router {
    Router::new()
        .route("/.well-known/jwks.json", get(jwks))
        .route("/.well-known/openid-configuration", get(openid_configuration))
        .route("/oauth2/authorize", get(hosted_ui::authorize))
        .route("/login", get(hosted_ui::sign_in_page).post(login))
        .route("/logout", get(hosted_ui::logout))
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

/// `POST /login`: JSON is the tools' and scripts' sign-in (tokens in the answer); anything else is
/// the sign-in page's form (a redirect with a code). One path for both, as Cognito's page posts to
/// `/login` and the local stack's JSON sign-in was there first.
async fn login(State(issuer): State<LocalIssuer>, request: Request) -> Response {
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if is_json {
        match Json::<LoginRequest>::from_request(request, &()).await {
            Ok(Json(login)) => json_login(&issuer, &login),
            Err(rejection) => rejection.into_response(),
        }
    } else {
        match Form::<hosted_ui::SignInForm>::from_request(request, &()).await {
            Ok(Form(form)) => hosted_ui::sign_in(&issuer, form),
            Err(rejection) => rejection.into_response(),
        }
    }
}

fn json_login(issuer: &LocalIssuer, request: &LoginRequest) -> Response {
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

/// The OAuth 2.0 token request, as form fields: the authorization code grant (RFC 6749 §4.1.3 with
/// RFC 7636's `code_verifier`), the refresh token grant (§6) and the resource owner password grant
/// (§4.3) that tools and scripts use.
#[derive(Deserialize)]
struct TokenRequest {
    grant_type: Option<String>,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    client_id: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
}

async fn token(State(issuer): State<LocalIssuer>, Form(request): Form<TokenRequest>) -> Response {
    let client_id = request.client_id.as_deref();
    let answer = match request.grant_type.as_deref() {
        Some("password") => return password_grant(&issuer, &request),
        Some("authorization_code") => issuer.redeem_code(CodeRedemption {
            code: request.code.as_deref(),
            redirect_uri: request.redirect_uri.as_deref(),
            client_id,
            code_verifier: request.code_verifier.as_deref(),
        }),
        Some("refresh_token") => issuer.refresh(request.refresh_token.as_deref(), client_id),
        Some(_) => return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type"),
        None => Err(TokenError::InvalidRequest("grant_type is required")),
    };
    match answer {
        Ok(tokens) => token_answer(&tokens),
        Err(TokenError::InvalidRequest(why)) => {
            described_error(StatusCode::BAD_REQUEST, "invalid_request", why)
        }
        Err(TokenError::InvalidClient) => oauth_error(StatusCode::UNAUTHORIZED, "invalid_client"),
        Err(TokenError::InvalidGrant(why)) => described_error(StatusCode::BAD_REQUEST, "invalid_grant", why),
        Err(TokenError::Issuer(error)) => server_error(&error),
    }
}

/// The password grant, as before the code flow: its answers carry no `error_description`.
fn password_grant(issuer: &LocalIssuer, request: &TokenRequest) -> Response {
    if request
        .client_id
        .as_deref()
        .is_some_and(|id| id != issuer.client_id())
    {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    match issuer.login(&request.username, &request.password) {
        Ok(tokens) => token_answer(&tokens),
        Err(IssuerError::InvalidCredentials) => oauth_error(StatusCode::BAD_REQUEST, "invalid_grant"),
        Err(other) => server_error(&other),
    }
}

/// Tokens are credentials: RFC 6749 §5.1 forbids caching the answer.
fn token_answer(tokens: &super::Tokens) -> Response {
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")],
        Json(tokens),
    )
        .into_response()
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({ "error": error }))).into_response()
}

fn described_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

fn server_error(error: &IssuerError) -> Response {
    tracing::error!(%error, "the local issuer could not issue tokens");
    oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error")
}
