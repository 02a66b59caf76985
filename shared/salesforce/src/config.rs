//! How the connector reaches Salesforce: where, which API version, which credentials.

use dewy_connector::{BreakerConfig, RetryPolicy, Secret};
use std::time::Duration;

/// The OAuth flow used to obtain an access token.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// The client credentials flow of a connected app with a run-as user (server to server).
    ClientCredentials {
        /// The connected app's consumer key.
        client_id: String,
        /// The connected app's consumer secret.
        client_secret: Secret,
    },
    /// The refresh token flow: a token issued once to a user, exchanged for access tokens.
    RefreshToken {
        /// The connected app's consumer key.
        client_id: String,
        /// The connected app's consumer secret.
        client_secret: Secret,
        /// The long-lived refresh token.
        refresh_token: Secret,
    },
}

impl Credentials {
    /// The form fields of the token request. Secrets are exposed here and nowhere else.
    pub(crate) fn token_form(&self) -> Vec<(&'static str, &str)> {
        match self {
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => vec![
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
            ],
            Credentials::RefreshToken {
                client_id,
                client_secret,
                refresh_token,
            } => vec![
                ("grant_type", "refresh_token"),
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
                ("refresh_token", refresh_token.expose()),
            ],
        }
    }
}

/// The connector's configuration, read once per container.
#[derive(Debug, Clone)]
pub struct SalesforceConfig {
    /// Where tokens come from: `https://login.salesforce.com`, `https://test.salesforce.com` or a My
    /// Domain. The token path `/services/oauth2/token` is appended. Data calls go to the
    /// `instance_url` of the token response instead.
    pub login_url: url::Url,
    /// The REST API version without the `v`, e.g. `62.0`.
    pub api_version: String,
    /// The OAuth flow and its credentials.
    pub credentials: Credentials,
    /// The cap on one HTTP request; a caller's deadline may shorten it further.
    pub request_timeout: Duration,
    /// How calls that are safe to repeat are retried after a transient failure.
    pub retry: RetryPolicy,
    /// When the container's Salesforce breaker opens, and for how long.
    pub breaker: BreakerConfig,
}

impl SalesforceConfig {
    /// The API version used when none is configured.
    pub const DEFAULT_API_VERSION: &'static str = "62.0";
    /// The per-request cap used when none is configured.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

    /// A configuration with the default API version, request timeout, retry policy and breaker.
    pub fn new(login_url: url::Url, credentials: Credentials) -> Self {
        SalesforceConfig {
            login_url,
            api_version: Self::DEFAULT_API_VERSION.to_owned(),
            credentials,
            request_timeout: Self::DEFAULT_REQUEST_TIMEOUT,
            retry: RetryPolicy::default(),
            breaker: BreakerConfig::default(),
        }
    }

    /// The same configuration with another retry policy ([`RetryPolicy::none`] to never retry).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The same configuration with other circuit breaker settings.
    pub fn with_breaker(mut self, breaker: BreakerConfig) -> Self {
        self.breaker = breaker;
        self
    }

    /// The same configuration with another per-request cap.
    pub fn with_request_timeout(mut self, request_timeout: Duration) -> Self {
        self.request_timeout = request_timeout;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The debug form of a configuration, as it might reach a log, hides every secret.
    #[test]
    fn debug_output_hides_secrets() {
        let url = url::Url::parse("https://login.salesforce.com").expect("valid url");
        let credentials = Credentials::RefreshToken {
            client_id: "id".into(),
            client_secret: Secret::new("s3cret"),
            refresh_token: Secret::new("r3fresh"),
        };
        let printed = format!("{:?}", SalesforceConfig::new(url, credentials));
        assert!(!printed.contains("s3cret") && !printed.contains("r3fresh"));
        assert!(printed.contains("62.0"));
    }
}
