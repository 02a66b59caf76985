//! A local token issuer standing in for Cognito in the local stack.
//!
//! Access tokens carry exactly the claims a Cognito user pool puts in access tokens, **plus `email`**.
//! Real Cognito adds `email` to access tokens only through a V2 pre-token-generation Lambda trigger
//! (`claimsToAddOrOverride` on the access token). Guests are identified by email, so the deployed
//! user pool needs that trigger; this issuer behaves as if it is configured. The `dewy-resort/mcp` scope
//! is likewise a resource-server scope: Cognito grants it through its OAuth flows (or the same V2
//! trigger's `scopesToAdd`), not through plain `InitiateAuth`.
//!
//! `username` is the user's `sub`, as in a pool whose users sign in with their email address.
//!
//! # Cognito's managed login, locally
//!
//! The web portal signs in with the OpenID Connect authorization code flow and PKCE, against Cognito
//! in AWS and against this issuer locally, so the issuer serves Cognito's endpoints under their
//! paths and parameter names, relative to the issuer URL:
//!
//! - `GET /oauth2/authorize` (`response_type=code`, `client_id`, `redirect_uri`, `scope`, `state`,
//!   `nonce`, `code_challenge`, `code_challenge_method=S256`) checks the request and redirects to
//!   `GET /login` with the same parameters: the sign-in page, whose form posts back to `/login`
//!   and redirects to `redirect_uri?code=…&state=…`.
//! - `POST /oauth2/token`: `grant_type=authorization_code` (`code`, `redirect_uri`, `client_id`,
//!   `code_verifier`) and `grant_type=refresh_token` (`refresh_token`, `client_id`), besides the
//!   password grant and the JSON `POST /login` that tools and scripts use.
//! - `GET /logout` (`client_id` and `logout_uri`, or `redirect_uri` to sign in again).
//!
//! As in Cognito: callback and sign-out URLs match exactly ([`LocalIssuer::with_redirect_uris`],
//! [`LocalIssuer::with_logout_uris`]); an unknown client or callback URL is an error page, never
//! a redirect; no `scope` means every scope; `code_challenge_method` is `S256` only; codes are
//! single use; refresh tokens last 30 days and are not rotated (a refresh answers no new one); an
//! unknown user and a wrong password get the same message; redirects are 302.
//!
//! Not as in Cognito, on purpose:
//! - PKCE is required of every request (Cognito lets an app client go without it): the portal is a
//!   public client, and a portal that forgot PKCE would otherwise pass locally.
//! - `openid` is required in `scope`: Cognito would answer without an id token, which the portal
//!   needs, so the mistake is refused where it is made.
//! - A code lives 60 s ([`DEFAULT_CODE_TTL`], [`LocalIssuer::with_code_ttl`]), not 5 minutes.
//! - A well-formed redemption uses the code up even when the verifier is wrong.
//! - No browser session: every authorization shows the sign-in page (Cognito skips it while its
//!   session cookie lives), and `/logout` has nothing to end; refresh tokens outlive it in both.
//! - Codes and refresh tokens are in memory: a restart of the local stack forgets them.
//! - Not served: the implicit grant (`response_type=token`), client secrets, `/oauth2/userInfo`,
//!   `/oauth2/revoke`, sign-up, password reset, MFA, federation; id tokens carry no `at_hash`.

mod claims;
mod client_settings;
mod code_flow;
mod grants;
mod hosted_ui;
mod keys;
mod login_page;
mod pkce;
mod router;
mod token_grants;
mod users;

use std::sync::Arc;
use std::time::Duration;

use aws_lc_rs::{constant_time, digest};
use dewy_connector::Secret;
use serde_json::json;

pub use client_settings::{DEFAULT_CODE_TTL, DEFAULT_REFRESH_TOKEN_TTL, DEFAULT_TOKEN_TTL};
pub use login_page::escape_html;
pub use users::{DEMO_PASSWORD, DemoUser, demo_users};

use client_settings::ClientSettings;
use dewy_auth::{Audience, DEFAULT_LEEWAY, VerifierConfig};
use grants::GrantStore;
use keys::SigningKey;

/// The scope every local access token carries and the verifier requires.
const SCOPE: &str = "dewy-resort/mcp";

/// Why the local issuer could not start or issue a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssuerError {
    /// The issuer URL is not an absolute URL.
    #[error("the issuer URL is not a valid absolute URL")]
    InvalidIssuerUrl,
    /// The RSA key could not be generated.
    #[error("the signing key could not be generated")]
    KeyGeneration,
    /// A token could not be signed.
    #[error("the token could not be signed")]
    Signing,
    /// Unknown user or wrong password: deliberately one error, so sign-in does not reveal which users exist.
    #[error("invalid email or password")]
    InvalidCredentials,
}

/// The tokens a successful sign-in returns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tokens {
    /// The access token, for `Authorization: Bearer`.
    pub access_token: String,
    /// The OpenID id token (`aud` = client id).
    pub id_token: String,
    /// From the authorization code grant only. Absent from a refresh: like Cognito without refresh
    /// token rotation, the same refresh token keeps working until it expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Always `"Bearer"`.
    pub token_type: &'static str,
    /// Seconds until both tokens expire.
    pub expires_in: u64,
}

/// The local stand-in for a Cognito user pool and its app client. Cheap to clone.
#[derive(Clone)]
pub struct LocalIssuer {
    inner: Arc<Inner>,
    settings: Arc<ClientSettings>,
}

struct Inner {
    issuer: String,
    jwks_url: url::Url,
    client_id: String,
    users: Vec<DemoUser>,
    /// Only the digest is kept: comparing fixed-length digests keeps the comparison constant-time.
    password_digest: digest::Digest,
    key: SigningKey,
    grants: GrantStore,
}

impl std::fmt::Debug for LocalIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalIssuer")
            .field("issuer", &self.inner.issuer)
            .field("client_id", &self.inner.client_id)
            .field("kid", &self.kid())
            .finish_non_exhaustive()
    }
}

impl LocalIssuer {
    /// An issuer at `issuer_url` (its `iss`, and the base of its endpoints) for one app client,
    /// signing in `users` with the shared `password`. Generates a fresh RSA-2048 key with a random `kid`.
    pub fn new(
        issuer_url: String,
        client_id: String,
        users: Vec<DemoUser>,
        password: Secret,
    ) -> Result<Self, IssuerError> {
        let issuer = issuer_url.trim_end_matches('/').to_owned();
        let jwks_url = url::Url::parse(&format!("{issuer}/.well-known/jwks.json"))
            .map_err(|_| IssuerError::InvalidIssuerUrl)?;
        let key = SigningKey::generate()?;
        let password_digest = digest::digest(&digest::SHA256, password.expose().as_bytes());
        Ok(LocalIssuer {
            inner: Arc::new(Inner {
                issuer,
                jwks_url,
                client_id,
                users,
                password_digest,
                key,
                grants: GrantStore::default(),
            }),
            settings: Arc::new(ClientSettings::default()),
        })
    }

    /// The `iss` of this issuer's tokens.
    pub fn issuer(&self) -> &str {
        &self.inner.issuer
    }

    /// The app client id (`client_id` in access tokens, `aud` in id tokens).
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    /// The scope access tokens carry: `dewy-resort/mcp`.
    pub fn scope(&self) -> &str {
        SCOPE
    }

    /// The `kid` of the signing key.
    pub fn kid(&self) -> &str {
        self.inner.key.kid()
    }

    /// The public key set, as served at `/.well-known/jwks.json`.
    pub fn jwks(&self) -> serde_json::Value {
        json!({ "keys": [self.inner.key.jwk()] })
    }

    /// Signs in a user. An unknown email and a wrong password give the same error, after the same work.
    pub fn login(&self, email: &str, password: &str) -> Result<Tokens, IssuerError> {
        let user = self.authenticate(email, password)?;
        let ttl = self.token_ttl();
        Ok(Tokens {
            access_token: self.issue(user, ttl)?,
            id_token: self.sign(&self.id_claims(user, ttl))?,
            refresh_token: None,
            token_type: "Bearer",
            expires_in: ttl.as_secs(),
        })
    }

    /// The user with this email and password. An unknown email and a wrong password give the same
    /// error, after the same work.
    fn authenticate(&self, email: &str, password: &str) -> Result<&DemoUser, IssuerError> {
        let given = digest::digest(&digest::SHA256, password.as_bytes());
        let password_ok =
            constant_time::verify_slices_are_equal(given.as_ref(), self.inner.password_digest.as_ref())
                .is_ok();
        match self.user(email) {
            Some(user) if password_ok => Ok(user),
            _ => Err(IssuerError::InvalidCredentials),
        }
    }

    /// The user signing in as `email` (case-insensitive, as in a pool whose sign-in name is the email).
    fn user(&self, email: &str) -> Option<&DemoUser> {
        self.inner
            .users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email.trim()))
    }

    /// An access token for `user`, valid for `ttl` (for tests and tooling).
    pub fn issue(&self, user: &DemoUser, ttl: Duration) -> Result<String, IssuerError> {
        self.sign(&self.access_claims(user, ttl))
    }

    /// Signs arbitrary claims with this issuer's key and `kid` (for tests).
    pub fn sign(&self, claims: &serde_json::Value) -> Result<String, IssuerError> {
        self.inner.key.sign(claims, self.kid())
    }

    /// Signs arbitrary claims with this issuer's key but another `kid` in the header (for tests of
    /// unknown keys and of a key impersonating another issuer's `kid`).
    pub fn sign_with_kid(&self, claims: &serde_json::Value, kid: &str) -> Result<String, IssuerError> {
        self.inner.key.sign(claims, kid)
    }

    /// What a [`Verifier`](dewy_auth::Verifier) needs to accept this issuer's access tokens.
    pub fn verifier_config(&self) -> VerifierConfig {
        VerifierConfig {
            issuer: self.issuer().to_owned(),
            jwks_url: self.inner.jwks_url.clone(),
            audience: Audience::ClientId(vec![self.client_id().to_owned()]),
            required_scope: Some(SCOPE.to_owned()),
            token_use: Some("access".to_owned()),
            leeway: DEFAULT_LEEWAY,
        }
    }

    /// The issuer's HTTP endpoints: `GET /.well-known/jwks.json`, `GET /.well-known/openid-configuration`,
    /// `GET /oauth2/authorize`, `GET /login` (the sign-in page), `POST /login` (the page's form, or
    /// JSON for tools), `POST /oauth2/token` (authorization code, refresh token and password grants)
    /// and `GET /logout`. Every path is relative to the issuer URL: mount the router there.
    pub fn router(&self) -> axum::Router {
        router::router(self.clone())
    }
}
