//! How the connector reaches Stripe: where, with which key, pinned to which API version.

use dewy_connector::{BreakerConfig, RetryPolicy, Secret};
use std::time::Duration;

/// The connector's configuration, read once per container.
#[derive(Debug, Clone)]
pub struct StripeConfig {
    /// `https://api.stripe.com`, or a sandbox's URL. Paths (`/v1/...`) are appended to it.
    pub base_url: url::Url,
    /// The secret key (`sk_test_...` / `sk_live_...`), sent as `Authorization: Bearer`.
    pub api_key: Secret,
    /// The `Stripe-Version` every request pins, so that an account's default version changing in
    /// the dashboard never changes the shapes this connector decodes.
    pub api_version: String,
    /// The cap on one HTTP request; a caller's deadline may shorten it further.
    pub request_timeout: Duration,
    /// How failed calls are retried. Every call may be: GETs are reads, and every POST carries an
    /// `Idempotency-Key`, so Stripe replays rather than repeats it.
    pub retry: RetryPolicy,
    /// When the container's Stripe breaker opens, and for how long.
    pub breaker: BreakerConfig,
}

impl StripeConfig {
    /// Stripe's API host.
    pub const DEFAULT_BASE_URL: &'static str = "https://api.stripe.com";
    /// The API version pinned when none is configured (the shapes this crate decodes).
    pub const DEFAULT_API_VERSION: &'static str = "2024-06-20";
    /// The per-request cap used when none is configured.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

    /// A configuration with the default API version, request timeout, retry policy and breaker.
    pub fn new(base_url: url::Url, api_key: impl Into<Secret>) -> Self {
        StripeConfig {
            base_url,
            api_key: api_key.into(),
            api_version: Self::DEFAULT_API_VERSION.to_owned(),
            request_timeout: Self::DEFAULT_REQUEST_TIMEOUT,
            retry: RetryPolicy::default(),
            breaker: BreakerConfig::default(),
        }
    }

    /// A configuration for Stripe itself (`https://api.stripe.com`).
    pub fn stripe(api_key: impl Into<Secret>) -> Self {
        // A constant: the test below proves it parses.
        let base_url = url::Url::parse(Self::DEFAULT_BASE_URL).expect("the default base URL parses");
        Self::new(base_url, api_key)
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

    /// The same configuration pinned to another `Stripe-Version`.
    pub fn with_api_version(mut self, api_version: impl Into<String>) -> Self {
        self.api_version = api_version.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The debug form of a configuration, as it might reach a log, hides the key.
    #[test]
    fn debug_output_hides_the_key() {
        let config = StripeConfig::stripe("sk_test_s3cret");
        let printed = format!("{config:?}");
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("2024-06-20") && printed.contains("api.stripe.com"));
    }
}
