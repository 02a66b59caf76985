//! The browser endpoints of Cognito's managed login: `/oauth2/authorize`, `/login` and `/logout`.

use axum::extract::{Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::code_flow::{AuthorizationParams, Refusal};
use super::{IssuerError, LocalIssuer, login_page};

/// `GET /oauth2/authorize`: checks the request and, as Cognito does, redirects to `/login` with the
/// same parameters, where the user signs in.
pub(super) async fn authorize(
    State(issuer): State<LocalIssuer>,
    RawQuery(query): RawQuery,
    Query(params): Query<AuthorizationParams>,
) -> Response {
    match issuer.check_authorization(&params) {
        Ok(_) => found(&format!(
            "{}/login?{}",
            issuer.issuer(),
            query.unwrap_or_default()
        )),
        Err(refusal) => refused(refusal),
    }
}

/// `GET /login`: the sign-in page for a checked authorization request.
pub(super) async fn sign_in_page(
    State(issuer): State<LocalIssuer>,
    Query(params): Query<AuthorizationParams>,
) -> Response {
    match issuer.check_authorization(&params) {
        Ok(authorization) => login_page::sign_in(&authorization, "", false),
        Err(refusal) => refused(refusal),
    }
}

/// The sign-in form as posted: the authorization request's hidden fields and the credentials.
#[derive(Debug, Deserialize)]
pub(super) struct SignInForm {
    #[serde(flatten)]
    params: AuthorizationParams,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /login` (form): on good credentials, redirects to the redirect URI with a code and the
/// state; otherwise shows the page again with one message for an unknown email and a wrong password.
pub(super) fn sign_in(issuer: &LocalIssuer, form: SignInForm) -> Response {
    let authorization = match issuer.check_authorization(&form.params) {
        Ok(authorization) => authorization,
        Err(refusal) => return refused(refusal),
    };
    match issuer.grant_code(&authorization, &form.email, &form.password) {
        Ok(location) => found(&location),
        Err(IssuerError::InvalidCredentials) => login_page::sign_in(&authorization, &form.email, true),
        Err(error) => {
            tracing::error!(%error, "the local issuer could not sign a user in");
            login_page::error(StatusCode::INTERNAL_SERVER_ERROR, "Sign-in failed; try again.")
        }
    }
}

/// The parameters of `GET /logout`.
#[derive(Debug, Deserialize)]
pub(super) struct LogoutParams {
    client_id: Option<String>,
    logout_uri: Option<String>,
    redirect_uri: Option<String>,
}

/// `GET /logout`: Cognito's sign-out. With `logout_uri`, redirects there if it is one of the
/// client's sign-out URLs; with `redirect_uri` instead, sends the user to sign in again (the
/// sign-in page checks those parameters). The issuer keeps no browser session, so there is
/// nothing to end; refresh tokens stay valid, as Cognito's do after `/logout`.
pub(super) async fn logout(
    State(issuer): State<LocalIssuer>,
    RawQuery(query): RawQuery,
    Query(params): Query<LogoutParams>,
) -> Response {
    if params.client_id.as_deref() != Some(issuer.client_id()) {
        return login_page::error(
            StatusCode::BAD_REQUEST,
            "The application that sent you here is not known (client_id).",
        );
    }
    match (params.logout_uri.as_deref(), params.redirect_uri.as_deref()) {
        (Some(uri), _) if issuer.allows_logout_uri(uri) => found(uri),
        (None, Some(_)) => found(&format!(
            "{}/login?{}",
            issuer.issuer(),
            query.unwrap_or_default()
        )),
        _ => login_page::error(
            StatusCode::BAD_REQUEST,
            "The address to return to after sign-out is not allowed for this application (logout_uri).",
        ),
    }
}

fn refused(refusal: Refusal) -> Response {
    match refusal {
        Refusal::Shown(message) => login_page::error(StatusCode::BAD_REQUEST, message),
        Refusal::Redirected(location) => found(&location),
    }
}

/// A 302, as Cognito answers; after the form's POST a browser follows it with a GET.
fn found(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, location), (header::CACHE_CONTROL, "no-store")],
    )
        .into_response()
}
