//! Verifies RS256 bearer JWTs (Cognito access tokens, or any OIDC issuer's) for the MCP endpoints
//! and the local REST API.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;

pub use crate::config::{Audience, DEFAULT_LEEWAY, DEFAULT_MIN_REFETCH_INTERVAL, VerifierConfig};

use crate::AuthError;
use crate::jwks::KeyCache;

/// Verifies bearer tokens against one issuer. Cheap to clone (the key cache is shared); build one
/// per container so the keys are fetched once.
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    config: VerifierConfig,
    http: reqwest::Client,
    keys: KeyCache,
    validation: Validation,
}

/// The facts a verified token establishes about its caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// The `sub` claim.
    pub subject: String,
    /// The `email` claim, if present (Cognito access tokens carry it only via a pre-token trigger).
    pub email: Option<String>,
    /// The `cognito:groups` claim.
    pub groups: Vec<String>,
    /// The space-separated `scope` claim, split.
    pub scopes: Vec<String>,
    /// The `client_id` claim, if present.
    pub client_id: Option<String>,
    /// The `exp` claim (seconds since the Unix epoch).
    pub expires_at: i64,
}

impl VerifiedToken {
    /// The caller, with personas from the token's groups.
    pub fn caller(&self) -> dewy_tool::Caller {
        dewy_tool::Caller::from_claims(
            &self.subject,
            self.email.as_deref(),
            self.groups.iter().map(String::as_str),
        )
    }
}

/// The JOSE header fields we check before trusting anything else.
#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct Claims {
    sub: Option<String>,
    iss: Option<String>,
    exp: i64,
    email: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    groups: Vec<String>,
    scope: Option<String>,
    client_id: Option<String>,
    aud: Option<OneOrMany>,
    token_use: Option<String>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier for `config`, fetching keys with `http` (the container's shared client).
    pub fn new(config: VerifierConfig, http: reqwest::Client) -> Self {
        Self::build(config, http, DEFAULT_MIN_REFETCH_INTERVAL)
    }

    /// A verifier like this one (same config and client, fresh key cache) that refetches keys on an
    /// unknown `kid` at most once per `interval`. Tests use a short interval to observe refetches.
    pub fn with_min_refetch_interval(&self, interval: Duration) -> Self {
        Self::build(self.inner.config.clone(), self.inner.http.clone(), interval)
    }

    fn build(config: VerifierConfig, http: reqwest::Client, interval: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = config.leeway.as_secs();
        validation.validate_nbf = true;
        // Issuer and audience are checked below, where both Cognito's and generic forms are handled.
        validation.validate_aud = false;
        let keys = KeyCache::new(config.jwks_url.clone(), http.clone(), interval);
        Verifier {
            inner: Arc::new(Inner {
                config,
                http,
                keys,
                validation,
            }),
        }
    }

    /// The configuration this verifier enforces.
    pub fn config(&self) -> &VerifierConfig {
        &self.inner.config
    }

    /// Verifies an `Authorization` header value: `Bearer <jwt>`, the scheme case-insensitive.
    pub async fn verify_header(&self, authorization: Option<&str>) -> Result<VerifiedToken, AuthError> {
        let value = authorization.map(str::trim).unwrap_or_default();
        if value.is_empty() {
            return Err(AuthError::MissingToken);
        }
        let (scheme, token) = value.split_once(' ').ok_or(AuthError::Malformed)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(AuthError::Malformed);
        }
        self.verify(token.trim()).await
    }

    /// Verifies a compact JWT: RS256 signature by a key of the issuer, then `exp`/`nbf` (with leeway),
    /// `iss`, `token_use`, audience and scope, in that order.
    pub async fn verify(&self, token: &str) -> Result<VerifiedToken, AuthError> {
        let header = parse_header(token)?;
        // Checked before any key lookup: `none` and HS* (whose "key" would be our public key) are refused.
        if header.alg != "RS256" {
            return Err(AuthError::BadSignature);
        }
        let kid = header.kid.ok_or(AuthError::UnknownKey)?;
        let key = self.inner.keys.key(&kid).await?;
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &self.inner.validation)
            .map_err(|e| map_jwt_error(e.kind()))?
            .claims;
        self.check_claims(claims)
    }

    fn check_claims(&self, claims: Claims) -> Result<VerifiedToken, AuthError> {
        let config = &self.inner.config;
        if claims.iss.as_deref() != Some(config.issuer.as_str()) {
            return Err(AuthError::WrongIssuer);
        }
        if let Some(required) = &config.token_use
            && claims.token_use.as_deref() != Some(required.as_str())
        {
            return Err(AuthError::WrongTokenUse);
        }
        let audience_ok = match &config.audience {
            Audience::Aud(allowed) => match &claims.aud {
                Some(OneOrMany::One(aud)) => allowed.contains(aud),
                Some(OneOrMany::Many(auds)) => auds.iter().any(|a| allowed.contains(a)),
                None => false,
            },
            Audience::ClientId(allowed) => claims.client_id.as_ref().is_some_and(|c| allowed.contains(c)),
        };
        if !audience_ok {
            return Err(AuthError::WrongAudience);
        }
        let scopes: Vec<String> = claims
            .scope
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if let Some(required) = &config.required_scope
            && !scopes.iter().any(|s| s == required)
        {
            return Err(AuthError::InsufficientScope {
                required: required.clone(),
            });
        }
        let subject = claims.sub.filter(|s| !s.is_empty()).ok_or(AuthError::Malformed)?;
        Ok(VerifiedToken {
            subject,
            email: claims.email,
            groups: claims.groups,
            scopes,
            client_id: claims.client_id,
            expires_at: claims.exp,
        })
    }
}

/// The JOSE header, parsed by hand so that algorithms jsonwebtoken does not know (`none`) are
/// reported as a bad signature rather than a parse failure.
fn parse_header(token: &str) -> Result<Header, AuthError> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(AuthError::Malformed);
    };
    let bytes = URL_SAFE_NO_PAD.decode(header).map_err(|_| AuthError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| AuthError::Malformed)
}

fn map_jwt_error(kind: &ErrorKind) -> AuthError {
    match kind {
        ErrorKind::InvalidSignature | ErrorKind::InvalidAlgorithm | ErrorKind::InvalidRsaKey(_) => {
            AuthError::BadSignature
        }
        ErrorKind::ExpiredSignature => AuthError::Expired,
        ErrorKind::ImmatureSignature => AuthError::NotYetValid,
        ErrorKind::InvalidIssuer => AuthError::WrongIssuer,
        ErrorKind::InvalidAudience => AuthError::WrongAudience,
        _ => AuthError::Malformed,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn verifier() -> Verifier {
        let config = VerifierConfig {
            issuer: "https://issuer.example".into(),
            // Nothing listens here; these tests never get as far as fetching keys.
            jwks_url: url::Url::parse("http://127.0.0.1:9/jwks.json").unwrap(),
            audience: Audience::ClientId(vec!["client".into()]),
            required_scope: None,
            token_use: None,
            leeway: DEFAULT_LEEWAY,
        };
        Verifier::new(config, reqwest::Client::new())
    }

    fn token(header: &serde_json::Value) -> String {
        format!("{}.e30.c2ln", URL_SAFE_NO_PAD.encode(header.to_string()))
    }

    #[tokio::test]
    async fn headers_and_algorithms_are_checked_before_keys() {
        let v = verifier();
        assert_eq!(v.verify_header(None).await, Err(AuthError::MissingToken));
        assert_eq!(v.verify_header(Some("  ")).await, Err(AuthError::MissingToken));
        assert_eq!(
            v.verify_header(Some("Basic abc")).await,
            Err(AuthError::Malformed)
        );
        assert_eq!(v.verify_header(Some("Bearer")).await, Err(AuthError::Malformed));
        assert_eq!(
            v.verify_header(Some("bEaReR not-a-jwt")).await,
            Err(AuthError::Malformed)
        );
        assert_eq!(v.verify("a.b").await, Err(AuthError::Malformed));
        assert_eq!(v.verify("a.b.c.d").await, Err(AuthError::Malformed));
        assert_eq!(v.verify("!!.e30.c2ln").await, Err(AuthError::Malformed));
        assert_eq!(
            v.verify(&token(&serde_json::json!({"alg": "none"}))).await,
            Err(AuthError::BadSignature)
        );
        let hs = serde_json::json!({"alg": "HS256", "kid": "k"});
        assert_eq!(v.verify(&token(&hs)).await, Err(AuthError::BadSignature));
        let no_kid = serde_json::json!({"alg": "RS256"});
        assert_eq!(v.verify(&token(&no_kid)).await, Err(AuthError::UnknownKey));
    }
}
