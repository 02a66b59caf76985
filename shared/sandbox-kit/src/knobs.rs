//! The knobs: added latency and fault rules, and how a rule is picked for a request.

use std::time::Duration;

use http::Method;
use rand::Rng;
use serde::{Deserialize, Serialize};

/// Added latency per API request.
///
/// The server waits it out before handling the request, unless the sandbox's [`Api`](crate::Api)
/// waits at the point its real API spends its time (Stripe's: after authentication and after the
/// request has claimed its idempotency key, so a second request with the same key arriving meanwhile
/// finds it in use).
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

/// What goes wrong. The two error answers are worded by the sandbox's [`Api`](crate::Api), in its
/// API's error format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// A 500, as the API answers an internal error.
    #[serde(alias = "ServerError")]
    ServerError,
    /// A 429, as the API answers too many requests, with `Retry-After` (1 s unless the rule says
    /// otherwise).
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
    /// Instead of handling the request: nothing is written (and, in a sandbox with idempotency
    /// keys, no response is saved, so a retry with the same key runs afresh).
    #[default]
    #[serde(alias = "BeforeHandling")]
    BeforeHandling,
    /// After handling it: the write is applied (and its response saved under the request's
    /// idempotency key, if any), then the fault replaces the response, so the client cannot tell
    /// whether it happened.
    #[serde(alias = "AfterHandling")]
    AfterHandling,
}

/// A rule that injects a fault into matching requests.
///
/// ```
/// use dewy_sandbox_kit::{Fault, FaultRule};
/// let rule = FaultRule::new(Fault::ServerError).rate(1.0).path("/composite").times(1);
/// let late = FaultRule::new(Fault::DropConnection).path("/v1/refunds").after_handling();
/// # let _ = (rule, late);
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
    /// For an API that advises clients whether to retry (Stripe's `Stripe-Should-Retry`), the
    /// advice sent with an injected 500 or 429 (`None`: no advice). Other sandboxes ignore it.
    pub should_retry: Option<bool>,
    /// The `Retry-After` seconds of an injected 429.
    pub retry_after_secs: u64,
}

impl FaultRule {
    /// A rule injecting `fault` into every request (rate 1.0, any path and method, before handling,
    /// no retry advice, `Retry-After: 1`).
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

    /// Advise the client to retry, or not, with the injected 500 or 429 (Stripe's
    /// `Stripe-Should-Retry: true|false`).
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

/// Latency and fault rules, changed at run time.
#[derive(Debug, Default)]
pub(crate) struct Knobs {
    pub latency: Option<Latency>,
    pub faults: Vec<FaultRule>,
}

impl Knobs {
    /// The rule that fires for this request in this phase, if any: rules are tried in the order
    /// they were added, each matching one with its own roll. Spends one use of the rule fired.
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

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: FaultPhase = FaultPhase::BeforeHandling;
    const AFTER: FaultPhase = FaultPhase::AfterHandling;

    fn pick(knobs: &mut Knobs, method: Method, path: &str, phase: FaultPhase) -> Option<Fault> {
        knobs.pick_fault(&method, path, phase).map(|rule| rule.fault)
    }

    /// A rule fires only for its method, path and phase, and is spent after `times`.
    #[test]
    fn rules_match_and_are_spent() {
        let mut knobs = Knobs::default();
        knobs.faults.push(
            FaultRule::new(Fault::ServerError)
                .path("/composite")
                .method(Method::POST)
                .times(1),
        );
        let path = "/services/data/v62.0/composite";
        assert_eq!(pick(&mut knobs, Method::GET, path, BEFORE), None);
        assert_eq!(pick(&mut knobs, Method::POST, "/query", BEFORE), None);
        assert_eq!(pick(&mut knobs, Method::POST, path, AFTER), None);
        assert_eq!(
            pick(&mut knobs, Method::POST, path, BEFORE),
            Some(Fault::ServerError)
        );
        assert_eq!(pick(&mut knobs, Method::POST, path, BEFORE), None);
        assert!(knobs.faults.is_empty());
    }

    /// `times(n)` allows exactly n injections; without `times` a rule never runs out.
    #[test]
    fn times_counts_down_and_unlimited_rules_stay() {
        let mut knobs = Knobs::default();
        knobs.faults.push(FaultRule::new(Fault::RateLimited).times(2));
        let fired: Vec<_> = (0..4)
            .map(|_| pick(&mut knobs, Method::GET, "/", BEFORE))
            .collect();
        assert_eq!(
            fired,
            [Some(Fault::RateLimited), Some(Fault::RateLimited), None, None]
        );
        assert!(knobs.faults.is_empty());

        knobs.faults.push(FaultRule::new(Fault::Timeout));
        for _ in 0..50 {
            assert_eq!(pick(&mut knobs, Method::GET, "/", BEFORE), Some(Fault::Timeout));
        }
        assert_eq!(knobs.faults.len(), 1);
    }

    /// An after-handling rule fires only after handling, a before-handling one only before.
    #[test]
    fn phases_are_kept_apart() {
        let mut knobs = Knobs::default();
        knobs
            .faults
            .push(FaultRule::new(Fault::DropConnection).after_handling());
        knobs.faults.push(FaultRule::new(Fault::ServerError));
        assert_eq!(
            pick(&mut knobs, Method::POST, "/", BEFORE),
            Some(Fault::ServerError)
        );
        assert_eq!(
            pick(&mut knobs, Method::POST, "/", AFTER),
            Some(Fault::DropConnection)
        );
        assert_eq!(
            FaultRule::new(Fault::Timeout).phase(AFTER),
            FaultRule::new(Fault::Timeout).after_handling()
        );
    }

    /// Rules are tried in order, each with its own roll: one that does not fire lets the next try.
    #[test]
    fn rules_are_tried_in_order() {
        let mut knobs = Knobs::default();
        knobs.faults.push(FaultRule::new(Fault::Timeout).rate(0.0));
        knobs.faults.push(FaultRule::new(Fault::ServerError).times(1));
        knobs.faults.push(FaultRule::new(Fault::RateLimited));
        assert_eq!(
            pick(&mut knobs, Method::GET, "/", BEFORE),
            Some(Fault::ServerError)
        );
        assert_eq!(
            pick(&mut knobs, Method::GET, "/", BEFORE),
            Some(Fault::RateLimited)
        );
    }

    /// Rate 0 never fires, rate 1 always does, and rate 0.5 about half the time.
    #[test]
    fn rates_are_probabilities() {
        let mut knobs = Knobs::default();
        knobs.faults.push(FaultRule::new(Fault::Timeout).rate(0.0));
        assert_eq!(pick(&mut knobs, Method::GET, "/", BEFORE), None);

        let mut knobs = Knobs::default();
        knobs.faults.push(FaultRule::new(Fault::ServerError).rate(0.5));
        let fired = (0..4000)
            .filter(|_| pick(&mut knobs, Method::GET, "/", BEFORE).is_some())
            .count();
        // Binomial(4000, 0.5): the standard deviation is about 32, so this is over 6 sigma wide.
        assert!((1800..=2200).contains(&fired), "{fired}");
    }

    /// Latency samples stay within the (reordered) range; a fixed latency is exact.
    #[test]
    fn latency_stays_in_range() {
        let l = Latency::range(Duration::from_millis(20), Duration::from_millis(10));
        assert_eq!(
            (l.min(), l.max()),
            (Duration::from_millis(10), Duration::from_millis(20))
        );
        for _ in 0..100 {
            let d = l.sample();
            assert!(d >= Duration::from_millis(10) && d <= Duration::from_millis(20));
        }
        let fixed = Latency::fixed(Duration::from_millis(7));
        assert_eq!(
            (fixed.min(), fixed.max(), fixed.sample()),
            (
                Duration::from_millis(7),
                Duration::from_millis(7),
                Duration::from_millis(7)
            )
        );
    }

    /// The fired rule carries its retry advice and `Retry-After`; the defaults are none and 1 s.
    #[test]
    fn fired_rules_carry_their_headers() {
        let mut knobs = Knobs::default();
        knobs.faults.push(
            FaultRule::new(Fault::RateLimited)
                .should_retry(false)
                .retry_after_secs(0),
        );
        let rule = knobs
            .pick_fault(&Method::POST, "/v1/customers", BEFORE)
            .expect("the rule fires");
        assert_eq!((rule.should_retry, rule.retry_after_secs), (Some(false), 0));
        let plain = FaultRule::new(Fault::RateLimited);
        assert_eq!((plain.should_retry, plain.retry_after_secs), (None, 1));
    }

    /// Fault and phase names parse in snake case and in the variants' own spelling.
    #[test]
    fn names_parse_in_both_spellings() {
        let f: Fault = serde_json::from_str("\"rate_limited\"").expect("snake case");
        assert_eq!(f, Fault::RateLimited);
        let f: Fault = serde_json::from_str("\"DropConnection\"").expect("camel case");
        assert_eq!(f, Fault::DropConnection);
        let p: FaultPhase = serde_json::from_str("\"after_handling\"").expect("snake case");
        assert_eq!(p, AFTER);
        let p: FaultPhase = serde_json::from_str("\"BeforeHandling\"").expect("camel case");
        assert_eq!(p, BEFORE);
    }
}
