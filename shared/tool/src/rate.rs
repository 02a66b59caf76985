//! Per-user rate limits (docs/rate-limits.md): the one check every transport's front door makes,
//! once per tool call, after authentication and before any backend call.
//!
//! A call is counted against its caller's subject and its tool's [`RateClass`], in a fixed window
//! of a minute, by one conditional write to the store ([`dewy_idempotency::RateStore`]: DynamoDB
//! in AWS, so every instance counts in the same window; memory locally). Over the limit the call is
//! refused with `429 RATE_LIMITED`. If the store cannot be reached, reads and writes go ahead
//! (logged, and counted in the `RateLimitStoreErrors` metric) while payments are refused with a
//! retryable `503 SERVICE_UNAVAILABLE`: an outage of the limiter must not stop the hotel, but the
//! tools that move money are not run unlimited.

use crate::caller::Caller;
use crate::spec::ToolSpec;
use dewy_domain::{ErrorCode, ToolError};
use dewy_idempotency::{RateCall, RateDecision, RateStore};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The length of a window: limits are per minute.
pub const RATE_WINDOW: Duration = Duration::from_secs(60);

/// What a tool's calls are counted as ([`ToolSpec::rate_class`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateClass {
    /// Read-only tools.
    Reads,
    /// Side-effecting tools that move no money.
    Writes,
    /// Tools that write to Stripe: charges, refunds, and what they are made of.
    Payments,
}

impl RateClass {
    /// Every class.
    pub const ALL: [RateClass; 3] = [RateClass::Reads, RateClass::Writes, RateClass::Payments];

    /// The wire form: `reads`, `writes`, `payments` (in record ids, error details and metrics).
    pub const fn as_str(self) -> &'static str {
        match self {
            RateClass::Reads => "reads",
            RateClass::Writes => "writes",
            RateClass::Payments => "payments",
        }
    }
}

/// Calls allowed per user per [`RATE_WINDOW`], by class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Read-only calls.
    pub reads: u32,
    /// Side-effecting calls.
    pub writes: u32,
    /// Payment calls.
    pub payments: u32,
}

impl Default for RateLimits {
    /// The template's defaults: 300 reads, 60 writes, 10 payments a minute.
    fn default() -> Self {
        RateLimits {
            reads: 300,
            writes: 60,
            payments: 10,
        }
    }
}

impl RateLimits {
    /// The limit of `class`.
    pub const fn of(&self, class: RateClass) -> u32 {
        match class {
            RateClass::Reads => self.reads,
            RateClass::Writes => self.writes,
            RateClass::Payments => self.payments,
        }
    }
}

/// The limits and where calls are counted. Cheap to clone.
#[derive(Clone)]
pub struct RateLimiter {
    store: Arc<dyn RateStore>,
    limits: RateLimits,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl RateLimiter {
    /// Counts calls in `store` under `limits`.
    pub fn new(store: Arc<dyn RateStore>, limits: RateLimits) -> Self {
        RateLimiter { store, limits }
    }

    /// The limits.
    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    /// Counts one call of `spec` by `caller` (one conditional write), or refuses it: `429
    /// RATE_LIMITED` over the limit, `503 SERVICE_UNAVAILABLE` for a payment when the store fails.
    pub async fn admit(&self, spec: &ToolSpec, caller: &Caller) -> Result<(), ToolError> {
        let class = spec.rate_class();
        let limit = self.limits.of(class);
        let key = format!("{}#{}", class.as_str(), caller.subject);
        match self
            .store
            .admit(RateCall {
                key: &key,
                limit,
                window: RATE_WINDOW,
                now: SystemTime::now(),
            })
            .await
        {
            Ok(RateDecision::Admitted) => Ok(()),
            Ok(RateDecision::Limited { retry_after }) => {
                crate::metrics::rate_limit_record("Throttled", class);
                tracing::info!(tool = spec.name, class = class.as_str(), limit, "rate limited");
                Err(rate_limited(class, limit, retry_after))
            }
            Err(error) => {
                crate::metrics::rate_limit_record("RateLimitStoreErrors", class);
                tracing::warn!(tool = spec.name, class = class.as_str(), %error, "the rate-limit store failed");
                if class == RateClass::Payments {
                    crate::metrics::rate_limit_record("Throttled", class);
                    return Err(ToolError::new(
                        ErrorCode::ServiceUnavailable,
                        "Payments are briefly unavailable: their rate limit cannot be checked. Nothing was charged or refunded; try again shortly.",
                    )
                    .with_details(json!({ "backend": "dynamodb", "retryable": true, "class": class.as_str() })));
                }
                Ok(())
            }
        }
    }
}

/// `429 RATE_LIMITED` for `class`, retry after `retry_after` (whole milliseconds, rounded up).
pub fn rate_limited(class: RateClass, limit: u32, retry_after: Duration) -> ToolError {
    let retry_after_ms = retry_after.as_micros().div_ceil(1000);
    ToolError::new(
        ErrorCode::RateLimited,
        format!(
            "Too many {} calls: the limit is {limit} a minute per user. Try again in {} s.",
            class.as_str(),
            retry_after_ms.div_ceil(1000)
        ),
    )
    .with_details(json!({
        "retry_after_ms": u64::try_from(retry_after_ms).unwrap_or(u64::MAX),
        "retryable": true,
        "limit": limit,
        "class": class.as_str(),
    }))
}

/// The `Retry-After` seconds of a refusal (its `details.retry_after_ms`, rounded up, at least 1).
pub fn retry_after_secs(error: &ToolError) -> Option<u64> {
    if error.code != ErrorCode::RateLimited {
        return None;
    }
    let ms = error.details.as_ref()?.get("retry_after_ms")?.as_u64()?;
    Some(ms.div_ceil(1000).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_idempotency::{BoxFuture, MemoryStore, RateError};

    fn spec(name: &'static str, effect: crate::Effect, stripe: bool) -> ToolSpec {
        ToolSpec {
            name,
            description: "",
            personas: &[crate::Persona::Guest],
            deployment: crate::Deployment {
                memory_mb: 256,
                timeout_secs: 15,
                stripe,
                texts: false,
                home_assistant: false,
            },
            effect,
            open_world: stripe,
            alias_of: None,
            guest_scope: None,
        }
    }

    fn read() -> ToolSpec {
        spec("a_read", crate::Effect::ReadOnly, true)
    }

    fn payment() -> ToolSpec {
        spec("a_payment", crate::Effect::adds(crate::KeyFrom::Input), true)
    }

    fn caller(subject: &str) -> Caller {
        Caller::from_claims(subject, None, ["guest"])
    }

    struct Down;
    impl RateStore for Down {
        fn admit<'a>(&'a self, _: RateCall<'a>) -> BoxFuture<'a, Result<RateDecision, RateError>> {
            Box::pin(std::future::ready(Err(RateError("unreachable".into()))))
        }
    }

    #[test]
    fn classes_come_from_the_effect_and_stripe() {
        assert_eq!(
            read().rate_class(),
            RateClass::Reads,
            "a payment-status read is a read"
        );
        assert_eq!(payment().rate_class(), RateClass::Payments);
        let write = spec("a_write", crate::Effect::adds(crate::KeyFrom::Input), false);
        assert_eq!(write.rate_class(), RateClass::Writes);
    }

    #[tokio::test]
    async fn over_the_limit_is_429_with_when_to_retry() {
        let limits = RateLimits {
            reads: 2,
            writes: 1,
            payments: 1,
        };
        let limiter = RateLimiter::new(Arc::new(MemoryStore::new()), limits);
        assert_eq!(limiter.admit(&read(), &caller("a")).await, Ok(()));
        assert_eq!(limiter.admit(&read(), &caller("a")).await, Ok(()));
        let refused = limiter.admit(&read(), &caller("a")).await.unwrap_err();
        assert_eq!(
            (refused.code, refused.http_status()),
            (ErrorCode::RateLimited, 429)
        );
        let details = refused.details.clone().unwrap();
        assert_eq!(
            (details["limit"].clone(), details["class"].clone()),
            (json!(2), json!("reads"))
        );
        assert_eq!(details["retryable"], true);
        let ms = details["retry_after_ms"].as_u64().unwrap();
        assert!((1..=60_000).contains(&ms), "{ms}");
        assert_eq!(retry_after_secs(&refused), Some(ms.div_ceil(1000).max(1)));
        assert_eq!(limiter.admit(&read(), &caller("b")).await, Ok(()), "another user");
        assert_eq!(
            limiter.admit(&payment(), &caller("a")).await,
            Ok(()),
            "another class"
        );
    }

    #[tokio::test]
    async fn a_store_outage_lets_reads_and_writes_pass_and_refuses_payments() {
        let limiter = RateLimiter::new(Arc::new(Down), RateLimits::default());
        assert_eq!(limiter.admit(&read(), &caller("a")).await, Ok(()));
        let write = spec("a_write", crate::Effect::adds(crate::KeyFrom::Input), false);
        assert_eq!(limiter.admit(&write, &caller("a")).await, Ok(()));
        let refused = limiter.admit(&payment(), &caller("a")).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::ServiceUnavailable);
        assert!(refused.code.is_retryable());
        assert_eq!(retry_after_secs(&refused), None);
    }

    #[test]
    fn retry_after_rounds_up() {
        let error = rate_limited(RateClass::Writes, 60, Duration::from_micros(1_000_001));
        assert_eq!(error.details.as_ref().unwrap()["retry_after_ms"], 1001);
        assert_eq!(retry_after_secs(&error), Some(2));
        let error = rate_limited(RateClass::Writes, 60, Duration::ZERO);
        assert_eq!(
            retry_after_secs(&error),
            Some(1),
            "never 0: retry at once is not what 429 means"
        );
    }
}
