//! What a [`Verifier`](crate::Verifier) accepts.

use std::time::Duration;

/// By default, an unknown `kid` triggers at most one key-set refetch per this interval.
pub const DEFAULT_MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(30);
/// The default allowed clock skew for `exp` and `nbf`.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// Which claim binds a token to this server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Generic OIDC: the `aud` claim (string or array) must contain one of these.
    Aud(Vec<String>),
    /// Cognito access tokens carry no `aud`: the `client_id` claim must be one of these.
    ClientId(Vec<String>),
}

/// What a [`Verifier`](crate::Verifier) accepts. `issuer` and `jwks_url` are independent on purpose: moto issues
/// tokens with the AWS-style issuer but serves keys from its own address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierConfig {
    /// The exact `iss` value required.
    pub issuer: String,
    /// Where the issuer's JSON Web Key Set is served.
    pub jwks_url: url::Url,
    /// How the token must name this server.
    pub audience: Audience,
    /// A scope that must appear in the space-separated `scope` claim, if any.
    pub required_scope: Option<String>,
    /// The required `token_use` claim (Cognito: `"access"`), if any.
    pub token_use: Option<String>,
    /// Allowed clock skew for `exp` and `nbf` (default 60 s).
    pub leeway: Duration,
}

impl VerifierConfig {
    /// The configuration for access tokens of a Cognito user pool: issuer
    /// `https://cognito-idp.<region>.amazonaws.com/<pool>`, keys at `<issuer>/.well-known/jwks.json`,
    /// `token_use` `access`, and `client_id` one of `client_ids` (Cognito access tokens have no `aud`).
    ///
    /// Against moto, override `jwks_url` with `http://<moto>/<pool>/.well-known/jwks.json`: moto keeps
    /// the AWS-style issuer but serves keys itself.
    pub fn cognito(
        region: &str,
        user_pool_id: &str,
        client_ids: Vec<String>,
        required_scope: Option<String>,
    ) -> Result<Self, url::ParseError> {
        let issuer = format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}");
        let jwks_url = url::Url::parse(&format!("{issuer}/.well-known/jwks.json"))?;
        Ok(VerifierConfig {
            issuer,
            jwks_url,
            audience: Audience::ClientId(client_ids),
            required_scope,
            token_use: Some("access".to_owned()),
            leeway: DEFAULT_LEEWAY,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn cognito_issuer_and_keys() {
        let config = VerifierConfig::cognito("us-east-1", "us-east-1_abc", vec!["c".into()], None).unwrap();
        assert_eq!(
            config.issuer,
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
        );
        assert_eq!(
            config.jwks_url.as_str(),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/jwks.json"
        );
        assert_eq!(config.token_use.as_deref(), Some("access"));
    }
}
