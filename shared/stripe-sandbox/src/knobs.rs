//! Knobs for benchmarks and fault tests: latency, fault rules, the request log.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use http::Method;
use rand::Rng;
use serde::{Deserialize, Serialize};

/// Added latency per API request: the time Stripe spends on it. It passes after authentication and
/// after the request has claimed its idempotency key, so a second request with the same key arriving
/// meanwhile finds it in use (409), as on Stripe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latency {
    min: Duration,
    max: Duration,
}

impl Latency {
    /// Always this long.
    pub fn fixed(delay: Duration) -> Self {
        Self {
            min: delay,
            max: delay,
        }
    }

    /// Uniformly between `min` and `max` (swapped if given the wrong way round).
    pub fn range(min: Duration, max: Duration) -> Self {
        if min <= max {
            Self { min, max }
        } else {
            Self { min: max, max: min }
        }
    }

    /// The shortest delay.
    pub fn min(&self) -> Duration {
        self.min
    }

    /// The longest delay.
    pub fn max(&self) -> Duration {
        self.max
    }

    /// One delay drawn from the range.
    pub(crate) fn sample(&self) -> Duration {
        if self.min == self.max {
            return self.min;
        }
        let lo = u64::try_from(self.min.as_micros()).unwrap_or(u64::MAX);
        let hi = u64::try_from(self.max.as_micros()).unwrap_or(u64::MAX);
        Duration::from_micros(rand::rng().random_range(lo..=hi))
    }
}

/// What goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// 500 `api_error`, as Stripe answers an internal failure.
    #[serde(alias = "ServerError")]
    ServerError,
    /// 429 `rate_limit` with `Retry-After` (1 s unless the rule says otherwise).
    #[serde(alias = "RateLimited")]
    RateLimited,
    /// No answer: the request is held (120 s, or until the sandbox shuts down), then the
    /// connection is closed, so the client's own timeout fires first.
    #[serde(alias = "Timeout")]
    Timeout,
    /// The TCP connection is closed without any response.
    #[serde(alias = "DropConnection")]
    DropConnection,
}

/// When a fault strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultPhase {
    /// Instead of handling the request: nothing is written and no idempotent response is saved,
    /// so a retry with the same key runs afresh.
    #[default]
    #[serde(alias = "BeforeHandling")]
    BeforeHandling,
    /// After handling it: the write is applied and its response saved under the request's
    /// idempotency key, then the fault replaces the response, so the client cannot tell whether it
    /// happened; a retry with the same key replays the saved response.
    #[serde(alias = "AfterHandling")]
    AfterHandling,
}

/// A rule that injects a fault into matching requests.
///
/// ```
/// use dewy_stripe_sandbox::{Fault, FaultRule};
/// let rule = FaultRule::new(Fault::ServerError).path("/v1/payment_intents").times(1).after_handling();
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// The fault to inject.
    pub fault: Fault,
    /// Probability per matching request, 0.0..=1.0.
    pub rate: f64,
    /// Only requests whose path contains this.
    pub path_contains: Option<String>,
    /// Only requests with this method.
    pub method: Option<Method>,
    /// Inject at most this many times, then the rule is spent.
    pub times: Option<u32>,
    /// Before or after the request is handled.
    pub phase: FaultPhase,
    /// The `Stripe-Should-Retry` header on an injected 500 or 429 (`None`: no header).
    pub should_retry: Option<bool>,
    /// The `Retry-After` seconds of an injected 429.
    pub retry_after_secs: u64,
}

impl FaultRule {
    /// A rule injecting `fault` into every request (rate 1.0, any path and method, before handling).
    pub fn new(fault: Fault) -> Self {
        Self {
            fault,
            rate: 1.0,
            path_contains: None,
            method: None,
            times: None,
            phase: FaultPhase::BeforeHandling,
            should_retry: None,
            retry_after_secs: 1,
        }
    }

    /// The probability per matching request.
    pub fn rate(mut self, rate: f64) -> Self {
        self.rate = rate;
        self
    }

    /// Only requests whose path contains `fragment`.
    pub fn path(mut self, fragment: impl Into<String>) -> Self {
        self.path_contains = Some(fragment.into());
        self
    }

    /// Only requests with this method.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    /// At most `n` injections.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// When the fault strikes.
    pub fn phase(mut self, phase: FaultPhase) -> Self {
        self.phase = phase;
        self
    }

    /// Strike after the request is handled (the write is applied).
    pub fn after_handling(self) -> Self {
        self.phase(FaultPhase::AfterHandling)
    }

    /// Send `Stripe-Should-Retry: true|false` with the injected 500 or 429.
    pub fn should_retry(mut self, should_retry: bool) -> Self {
        self.should_retry = Some(should_retry);
        self
    }

    /// The `Retry-After` of an injected 429, in seconds.
    pub fn retry_after_secs(mut self, seconds: u64) -> Self {
        self.retry_after_secs = seconds;
        self
    }

    fn matches(&self, method: &Method, path: &str, phase: FaultPhase) -> bool {
        self.phase == phase
            && self.times != Some(0)
            && self.method.as_ref().is_none_or(|m| m == method)
            && self.path_contains.as_deref().is_none_or(|p| path.contains(p))
    }
}

/// One API request as the sandbox saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path, without the query string.
    pub path: String,
    /// The `Idempotency-Key` header, if any.
    pub idempotency_key: Option<String>,
    /// Whether the response was a replay of a saved idempotent response.
    pub replayed: bool,
    /// When the request arrived.
    pub started: Instant,
    /// When the response was sent; for a dropped or held (timeout) request, when the sandbox
    /// decided not to answer.
    pub finished: Instant,
    /// The status sent, or `None` if no response was sent.
    pub status: Option<u16>,
}

/// Latency and fault rules, changed at run time.
#[derive(Debug, Default)]
pub(crate) struct Knobs {
    pub latency: Option<Latency>,
    pub faults: Vec<FaultRule>,
}

impl Knobs {
    /// The fault to inject into this request in this phase, if a rule fires; spends one use of it.
    pub fn pick_fault(&mut self, method: &Method, path: &str, phase: FaultPhase) -> Option<FaultRule> {
        let mut rng = rand::rng();
        let rule = self
            .faults
            .iter_mut()
            .find(|r| r.matches(method, path, phase) && rng.random::<f64>() < r.rate)?;
        if let Some(n) = rule.times.as_mut() {
            *n = n.saturating_sub(1);
        }
        let fired = rule.clone();
        self.faults.retain(|r| r.times != Some(0));
        Some(fired)
    }
}

/// How many requests are kept in the log; the count keeps going past it.
const MAX_LOG: usize = 1_000_000;

/// The request counter and log.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub count: u64,
    pub log: VecDeque<LoggedRequest>,
}

impl Stats {
    pub fn record(&mut self, entry: LoggedRequest) {
        if self.log.len() >= MAX_LOG {
            self.log.pop_front();
        }
        self.log.push_back(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(knobs: &mut Knobs, method: Method, path: &str, phase: FaultPhase) -> Option<Fault> {
        knobs.pick_fault(&method, path, phase).map(|rule| rule.fault)
    }

    /// A rule fires only for its method, path and phase, and is spent after `times`.
    #[test]
    fn rules_match_and_are_spent() {
        let mut knobs = Knobs::default();
        knobs.faults.push(
            FaultRule::new(Fault::ServerError)
                .path("/v1/refunds")
                .method(Method::POST)
                .times(1),
        );
        let path = "/v1/refunds";
        let before = FaultPhase::BeforeHandling;
        assert_eq!(pick(&mut knobs, Method::GET, path, before), None);
        assert_eq!(pick(&mut knobs, Method::POST, "/v1/customers", before), None);
        assert_eq!(
            pick(&mut knobs, Method::POST, path, FaultPhase::AfterHandling),
            None
        );
        assert_eq!(
            pick(&mut knobs, Method::POST, path, before),
            Some(Fault::ServerError)
        );
        assert_eq!(pick(&mut knobs, Method::POST, path, before), None);
        assert!(knobs.faults.is_empty());
    }

    /// Rate 0 never fires; latency samples stay within the (reordered) range.
    #[test]
    fn rate_zero_never_fires_and_latency_stays_in_range() {
        let mut knobs = Knobs::default();
        knobs.faults.push(FaultRule::new(Fault::Timeout).rate(0.0));
        assert_eq!(
            pick(&mut knobs, Method::GET, "/", FaultPhase::BeforeHandling),
            None
        );
        let l = Latency::range(Duration::from_millis(20), Duration::from_millis(10));
        for _ in 0..100 {
            let d = l.sample();
            assert!(d >= Duration::from_millis(10) && d <= Duration::from_millis(20));
        }
    }

    /// The fired rule carries its Stripe headers; fault names parse in both spellings.
    #[test]
    fn fired_rules_carry_their_headers_and_names_parse() {
        let mut knobs = Knobs::default();
        knobs.faults.push(
            FaultRule::new(Fault::RateLimited)
                .should_retry(false)
                .retry_after_secs(0),
        );
        let rule = knobs
            .pick_fault(&Method::POST, "/v1/customers", FaultPhase::BeforeHandling)
            .unwrap();
        assert_eq!((rule.should_retry, rule.retry_after_secs), (Some(false), 0));
        let f: Fault = serde_json::from_str("\"rate_limited\"").unwrap();
        assert_eq!(f, Fault::RateLimited);
        let f: Fault = serde_json::from_str("\"DropConnection\"").unwrap();
        assert_eq!(f, Fault::DropConnection);
    }
}
