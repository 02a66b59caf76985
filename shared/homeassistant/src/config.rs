//! How the connector reaches Home Assistant: where, with which token, how patiently.

use dewy_connector::{BreakerConfig, RetryPolicy, Secret};
use std::time::Duration;

/// The connector's configuration, read once per container.
#[derive(Debug, Clone)]
pub struct HomeAssistantConfig {
    /// Where HA is, e.g. `http://homeassistant.local:8123` or a sandbox. `/api/…` is appended to its
    /// path, so HA behind a reverse proxy at a path prefix works too.
    pub base_url: url::Url,
    /// A long-lived access token (made in HA's user profile), sent as `Authorization: Bearer …`.
    pub token: Secret,
    /// The cap on one HTTP request; a caller's deadline may shorten it further.
    pub request_timeout: Duration,
    /// How failed calls are repeated (see [`HomeAssistant`](crate::HomeAssistant) for which).
    pub retry: RetryPolicy,
    /// When the container's Home Assistant breaker opens, and for how long.
    pub breaker: BreakerConfig,
}

impl HomeAssistantConfig {
    /// The per-request cap used when none is configured. HA answers a read in milliseconds; a
    /// service call waits for the device, which for a cloud-connected light takes a second or two.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

    /// A configuration with the default request timeout, retry policy and breaker.
    pub fn new(base_url: url::Url, token: Secret) -> Self {
        HomeAssistantConfig {
            base_url,
            token,
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

    /// The debug form of a configuration, as it might reach a log, hides the token.
    #[test]
    fn debug_output_hides_the_token() {
        let url = url::Url::parse("http://127.0.0.1:8123").expect("valid url");
        let config = HomeAssistantConfig::new(url, Secret::new("eyJhbGciOi.t0ken"))
            .with_request_timeout(Duration::from_secs(2))
            .with_retry(RetryPolicy::none());
        let printed = format!("{config:?}");
        assert!(!printed.contains("t0ken"), "{printed}");
        assert_eq!(config.token.expose(), "eyJhbGciOi.t0ken");
        assert_eq!(
            (config.request_timeout, config.retry.max_attempts),
            (Duration::from_secs(2), 1)
        );
    }
}
