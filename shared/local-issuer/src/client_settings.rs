//! The app client's browser sign-in settings, and the discovery document that announces them.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use super::{LocalIssuer, SCOPE, pkce};

/// Lifetime of an authorization code. Cognito's last 5 minutes; a browser redirect and the portal's
/// token request take well under a second, and a short life shows a portal that sits on its code.
pub const DEFAULT_CODE_TTL: Duration = Duration::from_secs(60);
/// Lifetime of access and id tokens: Cognito's default of an hour.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(3600);
/// Lifetime of a refresh token: Cognito's default of 30 days.
pub const DEFAULT_REFRESH_TOKEN_TTL: Duration = Duration::from_secs(30 * 86_400);
/// The scopes a client may ask for. `openid` is required of every authorization request.
pub(crate) const SUPPORTED_SCOPES: [&str; 3] = ["openid", "email", SCOPE];

/// What a Cognito app client's settings say about its browser sign-in.
#[derive(Debug, Clone)]
pub(crate) struct ClientSettings {
    /// The allowed callback URLs, compared exactly, as Cognito compares them.
    redirect_uris: Vec<String>,
    /// The allowed sign-out URLs.
    logout_uris: Vec<String>,
    code_ttl: Duration,
    token_ttl: Duration,
    refresh_token_ttl: Duration,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            redirect_uris: Vec::new(),
            logout_uris: Vec::new(),
            code_ttl: DEFAULT_CODE_TTL,
            token_ttl: DEFAULT_TOKEN_TTL,
            refresh_token_ttl: DEFAULT_REFRESH_TOKEN_TTL,
        }
    }
}

impl LocalIssuer {
    /// The callback URLs `/oauth2/authorize` may redirect to (none by default, so the authorization
    /// code flow is closed until a client's URLs are given), compared exactly.
    #[must_use]
    pub fn with_redirect_uris<I: IntoIterator<Item = S>, S: Into<String>>(mut self, uris: I) -> Self {
        Arc::make_mut(&mut self.settings).redirect_uris = uris.into_iter().map(Into::into).collect();
        self
    }

    /// The sign-out URLs `/logout` may redirect to (none by default), compared exactly.
    #[must_use]
    pub fn with_logout_uris<I: IntoIterator<Item = S>, S: Into<String>>(mut self, uris: I) -> Self {
        Arc::make_mut(&mut self.settings).logout_uris = uris.into_iter().map(Into::into).collect();
        self
    }

    /// How long an authorization code lives ([`DEFAULT_CODE_TTL`] unless set; tests shorten it).
    #[must_use]
    pub fn with_code_ttl(mut self, ttl: Duration) -> Self {
        Arc::make_mut(&mut self.settings).code_ttl = ttl;
        self
    }

    /// How long access and id tokens live ([`DEFAULT_TOKEN_TTL`] unless set; a short life shows
    /// a client refreshing them, as Cognito's app client setting does).
    #[must_use]
    pub fn with_token_ttl(mut self, ttl: Duration) -> Self {
        Arc::make_mut(&mut self.settings).token_ttl = ttl;
        self
    }

    /// How long a refresh token lives ([`DEFAULT_REFRESH_TOKEN_TTL`] unless set).
    #[must_use]
    pub fn with_refresh_token_ttl(mut self, ttl: Duration) -> Self {
        Arc::make_mut(&mut self.settings).refresh_token_ttl = ttl;
        self
    }

    pub(crate) fn allows_redirect_uri(&self, uri: &str) -> bool {
        self.settings.redirect_uris.iter().any(|allowed| allowed == uri)
    }

    pub(crate) fn allows_logout_uri(&self, uri: &str) -> bool {
        self.settings.logout_uris.iter().any(|allowed| allowed == uri)
    }

    pub(crate) fn code_ttl(&self) -> Duration {
        self.settings.code_ttl
    }

    pub(crate) fn token_ttl(&self) -> Duration {
        self.settings.token_ttl
    }

    pub(crate) fn refresh_token_ttl(&self) -> Duration {
        self.settings.refresh_token_ttl
    }

    /// The OpenID discovery document: the authorization code flow with PKCE (S256 only) for a
    /// public client, the refresh token grant, and the password grant the local tools use. No
    /// `end_session_endpoint`, as in Cognito's document: `/logout` takes Cognito's own parameters,
    /// not RP-initiated logout's, and a client that found it here would find none in AWS.
    pub fn openid_configuration(&self) -> serde_json::Value {
        let iss = self.issuer();
        json!({
            "issuer": iss,
            "jwks_uri": self.inner.jwks_url.as_str(),
            "authorization_endpoint": format!("{iss}/oauth2/authorize"),
            "token_endpoint": format!("{iss}/oauth2/token"),
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": [pkce::S256],
            "grant_types_supported": ["authorization_code", "refresh_token", "password"],
            "token_endpoint_auth_methods_supported": ["none"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": SUPPORTED_SCOPES,
        })
    }
}
