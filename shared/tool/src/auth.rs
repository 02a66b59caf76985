//! How a transport learns who is calling: the hook every transport (REST, MCP) authenticates
//! through, implemented by the JWT verifier in production and by stubs in tests.

use crate::caller::Caller;
use crate::dispatch::BoxFuture;

/// Verifies a request's `Authorization` header and says who is calling (the JWT verifier in AWS,
/// a local issuer or a stub in tests).
pub trait Authenticate: Send + Sync + 'static {
    /// The caller named by `authorization` (the raw header value, `None` when absent), or why not.
    fn authenticate<'a>(
        &'a self,
        authorization: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Caller, AuthFailure>>;
}

/// Why a request was not authenticated; becomes a 401/403/503 with `WWW-Authenticate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthFailure {
    /// 401 (no or bad token), 403 (valid token, not allowed) or 503 (verifier unavailable).
    pub status: u16,
    /// The RFC 6750 `error` code, e.g. `invalid_token`; `None` when no token was presented.
    pub www_authenticate_error: Option<String>,
    /// What went wrong, for the `error_description` and the body.
    pub description: String,
    /// The scope the request needs, for `insufficient_scope` answers.
    pub scope: Option<String>,
}

impl AuthFailure {
    /// No token was presented (401 without an `error`, as RFC 6750 §3.1 asks).
    pub fn missing_token() -> Self {
        AuthFailure {
            status: 401,
            www_authenticate_error: None,
            description: "Sign in: this endpoint needs a bearer token.".to_owned(),
            scope: None,
        }
    }

    /// The token was presented but is not valid (401 `invalid_token`).
    pub fn invalid_token(description: impl Into<String>) -> Self {
        AuthFailure {
            status: 401,
            www_authenticate_error: Some("invalid_token".to_owned()),
            description: description.into(),
            scope: None,
        }
    }
}
