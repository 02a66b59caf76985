//! The authorization request of the code flow: its checks, and the code a sign-in earns.

use serde::Deserialize;

use super::client_settings::SUPPORTED_SCOPES;
use super::grants::{CodeGrant, Session};
use super::{IssuerError, LocalIssuer, pkce};

/// The parameters of `/oauth2/authorize` and `/login`, as sent (Cognito's names, from RFC 6749
/// and RFC 7636). Empty values count as absent, as browsers send empty form fields.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuthorizationParams {
    pub(crate) response_type: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) redirect_uri: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) code_challenge: Option<String>,
    pub(crate) code_challenge_method: Option<String>,
}

/// An authorization request that passed every check: what the sign-in page carries forward.
#[derive(Debug, Clone)]
pub(crate) struct Authorization {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    /// The granted scopes, space-separated.
    pub(crate) scope: String,
    pub(crate) state: Option<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) code_challenge: String,
}

/// Why an authorization request is refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The client or its redirect URI is unknown, so there is nowhere safe to send the user: the
    /// refusal is shown on a page, never redirected (RFC 6749 §4.1.2.1), or the issuer would be
    /// an open redirector.
    Shown(&'static str),
    /// The redirect URI is trusted: the client hears the error there (`error`, `error_description`
    /// and `state` in its query).
    Redirected(String),
}

fn present(value: Option<&String>) -> Option<&str> {
    value.map(String::as_str).filter(|v| !v.is_empty())
}

impl LocalIssuer {
    /// Checks an authorization request in the order RFC 6749 asks: the client and its redirect URI
    /// first (without them no redirect is safe), then everything else, answered at the redirect URI.
    pub(crate) fn check_authorization(&self, params: &AuthorizationParams) -> Result<Authorization, Refusal> {
        if present(params.client_id.as_ref()) != Some(self.client_id()) {
            return Err(Refusal::Shown(
                "The application that sent you here is not known (client_id).",
            ));
        }
        let Some(redirect_uri) =
            present(params.redirect_uri.as_ref()).filter(|uri| self.allows_redirect_uri(uri))
        else {
            return Err(Refusal::Shown(
                "The address to return to after sign-in is not allowed for this application (redirect_uri).",
            ));
        };
        let state = present(params.state.as_ref()).map(str::to_owned);
        let refuse = |error: &str, description: &str| {
            Refusal::Redirected(error_redirect(redirect_uri, error, description, state.as_deref()))
        };
        match present(params.response_type.as_ref()) {
            Some("code") => {}
            None => return Err(refuse("invalid_request", "response_type is required")),
            Some(_) => {
                return Err(refuse(
                    "unsupported_response_type",
                    "only response_type=code is supported",
                ));
            }
        }
        let Some(code_challenge) = present(params.code_challenge.as_ref()) else {
            return Err(refuse(
                "invalid_request",
                "code_challenge is required (PKCE, S256)",
            ));
        };
        if present(params.code_challenge_method.as_ref()) != Some(pkce::S256) {
            return Err(refuse("invalid_request", "code_challenge_method must be S256"));
        }
        if !pkce::is_s256_challenge(code_challenge) {
            return Err(refuse(
                "invalid_request",
                "code_challenge is not an S256 challenge",
            ));
        }
        let scope = match present(params.scope.as_ref()) {
            // As in Cognito, no scope means every scope the client may have.
            None => SUPPORTED_SCOPES.join(" "),
            Some(requested) => {
                let scopes: Vec<&str> = requested.split(' ').filter(|s| !s.is_empty()).collect();
                if scopes.iter().any(|s| !SUPPORTED_SCOPES.contains(s)) {
                    return Err(refuse("invalid_scope", "a requested scope is not supported"));
                }
                if !scopes.contains(&"openid") {
                    return Err(refuse("invalid_scope", "the openid scope is required"));
                }
                scopes.join(" ")
            }
        };
        Ok(Authorization {
            client_id: self.client_id().to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            scope,
            state,
            nonce: present(params.nonce.as_ref()).map(str::to_owned),
            code_challenge: code_challenge.to_owned(),
        })
    }

    /// Signs the user in for `authorization` and returns where to send the browser: the redirect URI
    /// with a new single-use `code` and the `state`.
    pub(crate) fn grant_code(
        &self,
        authorization: &Authorization,
        email: &str,
        password: &str,
    ) -> Result<String, IssuerError> {
        let user = self.authenticate(email, password)?;
        let grant = CodeGrant {
            client_id: authorization.client_id.clone(),
            redirect_uri: authorization.redirect_uri.clone(),
            code_challenge: authorization.code_challenge.clone(),
            nonce: authorization.nonce.clone(),
            session: Session {
                email: user.email.clone(),
                client_id: authorization.client_id.clone(),
                scope: authorization.scope.clone(),
                auth_time: chrono::Utc::now().timestamp(),
            },
        };
        let code = self.inner.grants.issue_code(grant, self.code_ttl());
        let mut pairs = vec![("code", code.as_str())];
        pairs.extend(authorization.state.as_deref().map(|state| ("state", state)));
        Ok(with_query(&authorization.redirect_uri, &pairs))
    }
}

/// `redirect_uri` with an OAuth error in its query.
fn error_redirect(redirect_uri: &str, error: &str, description: &str, state: Option<&str>) -> String {
    let mut pairs = vec![("error", error), ("error_description", description)];
    pairs.extend(state.map(|state| ("state", state)));
    with_query(redirect_uri, &pairs)
}

/// `uri` with `pairs` appended to its query, keeping any query it already has (RFC 6749 §3.1.2;
/// a redirect URI has no fragment).
pub(crate) fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{query}")
}
