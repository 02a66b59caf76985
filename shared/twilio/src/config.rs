//! How the connector reaches Twilio: where, as which account, with which credentials, from which sender.

use crate::{AccountSid, ApiKeySid, E164, MessagingServiceSid};
use dewy_connector::{BreakerConfig, RetryPolicy, Secret};
use std::time::Duration;

/// The HTTP basic-auth credentials of every request.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// An account SID and its auth token. The SID may be a parent account's: a parent's
    /// credentials can act on its subaccounts (the account in the URL path).
    AuthToken {
        /// The basic-auth user.
        account_sid: AccountSid,
        /// The basic-auth password.
        auth_token: Secret,
    },
    /// An API key (`SK…`) and its secret: revocable on its own, the production choice.
    ApiKey {
        /// The basic-auth user.
        key_sid: ApiKeySid,
        /// The basic-auth password.
        secret: Secret,
    },
}

impl Credentials {
    /// The basic-auth user and password. Secrets are exposed here and nowhere else.
    pub(crate) fn basic(&self) -> (&str, &str) {
        match self {
            Credentials::AuthToken {
                account_sid,
                auth_token,
            } => (account_sid.as_str(), auth_token.expose()),
            Credentials::ApiKey { key_sid, secret } => (key_sid.as_str(), secret.expose()),
        }
    }
}

/// Who messages come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SenderId {
    /// One of the account's phone numbers, sent as `From`.
    Number(E164),
    /// A Messaging Service, sent as `MessagingServiceSid`: Twilio picks the number from its pool
    /// (and answers `accepted` with no `from` until it has).
    MessagingService(MessagingServiceSid),
}

impl SenderId {
    /// The form field and value naming the sender.
    pub(crate) fn form_field(&self) -> (&'static str, &str) {
        match self {
            SenderId::Number(number) => ("From", number.as_str()),
            SenderId::MessagingService(sid) => ("MessagingServiceSid", sid.as_str()),
        }
    }
}

/// The connector's configuration, read once per container.
#[derive(Debug, Clone)]
pub struct TwilioConfig {
    /// Where the API is: [`TwilioConfig::DEFAULT_BASE_URL`], or a sandbox. Paths such as
    /// `/2010-04-01/Accounts/{sid}/Messages.json` are appended to it.
    pub base_url: url::Url,
    /// The account whose messages are sent and read (the URL path).
    pub account_sid: AccountSid,
    /// The basic-auth credentials.
    pub auth: Credentials,
    /// Who messages come from.
    pub from: SenderId,
    /// Sent as `StatusCallback`: where Twilio reports delivery. `None`: no callbacks.
    pub status_callback: Option<url::Url>,
    /// The cap on one HTTP request; a caller's deadline may shorten it further.
    pub request_timeout: Duration,
    /// How reads, and sends that provably never left this host, are retried (see [`crate::Twilio`]).
    pub retry: RetryPolicy,
    /// When the container's Twilio breaker opens, and for how long.
    pub breaker: BreakerConfig,
}

impl TwilioConfig {
    /// Twilio's production API.
    pub const DEFAULT_BASE_URL: &'static str = "https://api.twilio.com";
    /// The per-request cap used when none is configured. Twilio answers a send in well under a
    /// second; a send that takes longer than this is more likely lost than slow.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

    /// A configuration with no status callback and the default request timeout, retry policy and
    /// breaker.
    pub fn new(base_url: url::Url, account_sid: AccountSid, auth: Credentials, from: SenderId) -> Self {
        TwilioConfig {
            base_url,
            account_sid,
            auth,
            from,
            status_callback: None,
            request_timeout: Self::DEFAULT_REQUEST_TIMEOUT,
            retry: RetryPolicy::default(),
            breaker: BreakerConfig::default(),
        }
    }

    /// The same configuration with a delivery-status callback URL.
    pub fn with_status_callback(mut self, url: url::Url) -> Self {
        self.status_callback = Some(url);
        self
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
        let url = url::Url::parse(TwilioConfig::DEFAULT_BASE_URL).expect("valid url");
        let account = AccountSid::parse("AC0123456789abcdef0123456789abcdef").expect("sid");
        let auth = Credentials::AuthToken {
            account_sid: account.clone(),
            auth_token: Secret::new("t0ken-value"),
        };
        let from = SenderId::Number(E164::parse("+15005550006").expect("number"));
        let config = TwilioConfig::new(url, account, auth.clone(), from);
        let printed = format!("{config:?}");
        assert!(!printed.contains("t0ken-value"), "{printed}");
        assert_eq!(auth.basic().1, "t0ken-value");
    }
}
