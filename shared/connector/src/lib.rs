//! What every backend connector (Salesforce, Stripe, Twilio, Home Assistant) shares.
//!
//! # Layout
//! - [`Backend`]: which system a call went to; error codes and logs name it.
//! - [`CallRecorder`]: the per-invocation record of backend calls, from which the number of calls per
//!   system and the number of *sequential round trips* are derived (benchmarks and logs report both).
//! - [`Deadline`]: the instant by which the tool must answer; connectors derive per-call timeouts from it.
//! - [`RetryPolicy`]: capped exponential backoff with full jitter for calls that are safe to repeat,
//!   never past the deadline. Exactly one layer (the connector's request path) retries.
//! - [`CircuitBreaker`]: one per backend per container; after consecutive transient failures it
//!   refuses calls ([`CircuitOpen`], naming the backend) until a half-open probe succeeds.
//! - [`RawResponse`]: a response read to the end ([`RawResponse::exchange`] sends and reads within a
//!   timeout), which each connector then decodes in its API's terms; [`body_excerpt`] for the
//!   message of an answer in no shape the connector knows.
//! - [`Secret`]: a credential that prints as `[redacted]`.
//! - [`http_client`]: the one `reqwest::Client` a container builds and every connector reuses, so that
//!   connections (and TLS sessions) survive across invocations.

mod breaker;
mod deadline;
mod recorder;
mod response;
mod retry;
mod secret;

pub use breaker::{BreakerConfig, CircuitBreaker, CircuitOpen, Permit};
pub use deadline::Deadline;
pub use recorder::{CallRecord, CallRecorder, CallSummary, record_call};
pub use response::{ExchangeError, RawResponse, body_excerpt};
pub use retry::{RetryDecision, RetryPolicy};
pub use secret::Secret;

use std::time::Duration;

/// A backend system reached through this hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Salesforce, the system of record.
    Salesforce,
    /// Stripe, payments.
    Stripe,
    /// Twilio, SMS.
    Twilio,
    /// Home Assistant, the rooms' devices (lights, thermostats, blinds). Named like its metrics
    /// name, so that the serialized call summary and the logs agree.
    #[serde(rename = "home_assistant")]
    HomeAssistant,
    /// DynamoDB, where the hub keeps its own coordination records (the leases behind the
    /// hotel's invariants). Counted apart from the hotel's backends: see [`CallSummary`].
    DynamoDb,
}

impl Backend {
    /// The lowercase name used in logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Salesforce => "salesforce",
            Backend::Stripe => "stripe",
            Backend::Twilio => "twilio",
            Backend::HomeAssistant => "home_assistant",
            Backend::DynamoDb => "dynamodb",
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Builds the HTTP client shared by all connectors of a container.
///
/// Built once per container (Lambda keeps it warm between invocations), so connections and TLS
/// sessions are reused. No overall timeout is set here: each call sets its own from the tool's deadline.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .pool_idle_timeout(Duration::from_secs(60))
        .tcp_nodelay(true)
        .user_agent(concat!("dewy-resort-mcp/", env!("CARGO_PKG_VERSION")))
        .build()
        // Building fails only if the TLS backend cannot initialise, which is a broken binary, not an input.
        .expect("the HTTP client's TLS backend initialises")
}

/// A transport error and its causes, e.g. `error sending request: connection closed before message
/// completed`, without the URL: a URL can carry personal data (an email in a query or an external
/// id), and the operation name already says where the call went.
pub fn error_chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(&format!(" for url ({url})"), "");
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A `Retry-After` header in whole seconds (what Salesforce, Stripe and Twilio send), if present.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Logs and metrics use `as_str`, the serialized call summary uses serde: one name for both.
    #[test]
    fn backends_serialize_as_their_metrics_name() {
        for backend in [
            Backend::Salesforce,
            Backend::Stripe,
            Backend::Twilio,
            Backend::HomeAssistant,
            Backend::DynamoDb,
        ] {
            let serialized = serde_json::to_value(backend).expect("serializes");
            assert_eq!(serialized, backend.as_str(), "{backend:?}");
        }
    }
}
