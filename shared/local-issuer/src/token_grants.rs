//! The token endpoint's authorization code and refresh token grants.

use serde_json::json;

use super::grants::Session;
use super::{IssuerError, LocalIssuer, Tokens, pkce};

/// An RFC 6749 §5.2 token error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenError {
    /// A parameter is missing or malformed.
    InvalidRequest(&'static str),
    /// The client is not this issuer's client (answered with 401).
    InvalidClient,
    /// The code or refresh token is unknown, expired, used, or not this request's.
    InvalidGrant(&'static str),
    /// Tokens could not be signed.
    Issuer(IssuerError),
}

impl From<IssuerError> for TokenError {
    fn from(error: IssuerError) -> Self {
        TokenError::Issuer(error)
    }
}

/// The authorization code grant's parameters (RFC 6749 §4.1.3, RFC 7636 §4.5).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CodeRedemption<'a> {
    pub(crate) code: Option<&'a str>,
    pub(crate) redirect_uri: Option<&'a str>,
    pub(crate) client_id: Option<&'a str>,
    pub(crate) code_verifier: Option<&'a str>,
}

impl LocalIssuer {
    /// Exchanges an authorization code for tokens. A well-formed request uses the code up, whether it
    /// succeeds or not: a wrong verifier is then no second chance for whoever stole the code.
    pub(crate) fn redeem_code(&self, request: CodeRedemption<'_>) -> Result<Tokens, TokenError> {
        let client_id = self.check_client(request.client_id)?;
        let code = required(request.code, "code is required")?;
        let redirect_uri = required(request.redirect_uri, "redirect_uri is required")?;
        let verifier = required(request.code_verifier, "code_verifier is required (PKCE)")?;
        let grant = self.inner.grants.take_code(code).ok_or(TokenError::InvalidGrant(
            "the code is unknown, expired or already used",
        ))?;
        // With one client, `check_client` already refuses any other; the binding is kept so a
        // second app client (an MCP client, say) could not redeem the portal's codes.
        if grant.client_id != client_id {
            return Err(TokenError::InvalidGrant("the code was issued to another client"));
        }
        if grant.redirect_uri != redirect_uri {
            return Err(TokenError::InvalidGrant(
                "redirect_uri differs from the authorization request's",
            ));
        }
        if !pkce::verifier_matches(verifier, &grant.code_challenge) {
            return Err(TokenError::InvalidGrant(
                "code_verifier does not match the code_challenge",
            ));
        }
        let mut tokens = self.tokens_for(&grant.session, grant.nonce.as_deref())?;
        let refresh_token = self
            .inner
            .grants
            .issue_refresh_token(grant.session, self.refresh_token_ttl());
        tokens.refresh_token = Some(refresh_token);
        Ok(tokens)
    }

    /// New access and id tokens for a refresh token. The refresh token itself is not rotated.
    pub(crate) fn refresh(
        &self,
        refresh_token: Option<&str>,
        client_id: Option<&str>,
    ) -> Result<Tokens, TokenError> {
        let client_id = self.check_client(client_id)?;
        let refresh_token = required(refresh_token, "refresh_token is required")?;
        let session = self
            .inner
            .grants
            .session_of(refresh_token)
            .ok_or(TokenError::InvalidGrant(
                "the refresh token is unknown or expired",
            ))?;
        if session.client_id != client_id {
            return Err(TokenError::InvalidGrant(
                "the refresh token was issued to another client",
            ));
        }
        // No nonce: it answered the original authentication request only.
        self.tokens_for(&session, None)
    }

    /// The client id of a public client's token request: required, and this issuer's.
    fn check_client<'a>(&self, client_id: Option<&'a str>) -> Result<&'a str, TokenError> {
        let client_id = required(client_id, "client_id is required")?;
        if client_id != self.client_id() {
            return Err(TokenError::InvalidClient);
        }
        Ok(client_id)
    }

    /// Access and id tokens for `session`: the claims of [`login`](Self::login)'s tokens, with the
    /// granted scopes, the time of the sign-in and, in the id token, the `nonce`.
    fn tokens_for(&self, session: &Session, nonce: Option<&str>) -> Result<Tokens, TokenError> {
        let user = self
            .user(&session.email)
            .ok_or(TokenError::InvalidGrant("the user no longer exists"))?;
        let ttl = self.token_ttl();
        let mut access = self.access_claims(user, ttl);
        access["scope"] = json!(session.scope);
        access["auth_time"] = json!(session.auth_time);
        let mut id = self.id_claims(user, ttl);
        id["auth_time"] = json!(session.auth_time);
        if let Some(nonce) = nonce {
            id["nonce"] = json!(nonce);
        }
        Ok(Tokens {
            access_token: self.sign(&access)?,
            id_token: self.sign(&id)?,
            refresh_token: None,
            token_type: "Bearer",
            expires_in: ttl.as_secs(),
        })
    }
}

fn required<'a>(value: Option<&'a str>, missing: &'static str) -> Result<&'a str, TokenError> {
    value
        .filter(|v| !v.is_empty())
        .ok_or(TokenError::InvalidRequest(missing))
}
