//! Retries with capped exponential backoff and full jitter, for calls that are safe to repeat.
//!
//! Only one layer retries: the connector's request path. Tools and callers above it must not wrap
//! connector calls in retries of their own, or one failure would multiply into `n × m` requests.

use crate::Deadline;
use rand::Rng;
use std::time::Duration;

/// How often and how patiently a safe call is repeated after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 means no retry.
    pub max_attempts: u32,
    /// The backoff ceiling before the first retry; it doubles with every further attempt.
    pub base: Duration,
    /// The longest wait between two attempts, a server's `Retry-After` included.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, 50 ms base, 1 s cap: enough to ride out a blip without eating a tool's budget.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base: Duration::from_millis(50),
            cap: Duration::from_secs(1),
        }
    }
}

/// What the caller of [`RetryPolicy::run`] makes of one attempt's result.
///
/// A decision about repeating a call, not a judgement of the call: the audit trail's `Verdict`
/// (whether a rule held) is the other thing a tool records about its steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Keep the result: a success, or a failure that repeating cannot fix (or must not repeat).
    Done,
    /// A transient failure of a call safe to repeat; the server may say how long to wait.
    Retry {
        /// The server's `Retry-After`, if it sent one.
        retry_after: Option<Duration>,
    },
}

impl RetryPolicy {
    /// A policy that never retries (one attempt).
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `attempt` (0 for the first retry).
    ///
    /// Full jitter: uniform in `[0, min(cap, base·2^attempt)]`, so that many clients failing together
    /// do not retry together. A server's `Retry-After` replaces the backoff but is still capped: a
    /// tool has seconds, not minutes, and the deadline check in [`RetryPolicy::run`] gives up instead.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.cap);
        }
        let factor = 2u32.checked_pow(attempt).unwrap_or(u32::MAX);
        let ceiling = self.base.saturating_mul(factor).min(self.cap);
        let micros = u64::try_from(ceiling.as_micros()).unwrap_or(u64::MAX);
        Duration::from_micros(rand::rng().random_range(0..=micros))
    }

    /// Runs `attempt` until `classify` says [`RetryDecision::Done`], the attempts are used up, or the next
    /// wait would end past `deadline`; returns the last result.
    ///
    /// `attempt` gets the attempt number (0-based). Each attempt is a backend call and must record
    /// itself in the invocation's [`CallRecorder`](crate::CallRecorder) (see
    /// [`record_call`](crate::record_call)), so retries show in the call count.
    pub async fn run<T, E, F, Fut>(
        &self,
        deadline: Option<Deadline>,
        mut attempt: F,
        classify: impl Fn(&Result<T, E>) -> RetryDecision,
    ) -> Result<T, E>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut number = 0;
        loop {
            let result = attempt(number).await;
            let RetryDecision::Retry { retry_after } = classify(&result) else {
                return result;
            };
            if number + 1 >= self.max_attempts {
                return result;
            }
            let wait = self.delay(number, retry_after);
            // Sleeping into the deadline would only turn a clear backend error into a timeout.
            if deadline.is_some_and(|d| wait >= d.remaining()) {
                return result;
            }
            let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
            tracing::debug!(attempt = number + 1, wait_ms, "transient failure; retrying");
            tokio::time::sleep(wait).await;
            number += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
    }

    #[test]
    fn delays_stay_within_the_capped_exponential_bound() {
        let policy = policy();
        for attempt in 0..40 {
            let bound = policy
                .base
                .saturating_mul(2u32.saturating_pow(attempt))
                .min(policy.cap);
            for _ in 0..50 {
                assert!(policy.delay(attempt, None) <= bound);
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = policy();
        let half = Duration::from_millis(500);
        assert_eq!(policy.delay(0, Some(half)), half);
        assert_eq!(policy.delay(0, Some(Duration::from_secs(30))), policy.cap);
    }

    fn transient(result: &Result<u32, &str>) -> RetryDecision {
        match result {
            Err(_) => RetryDecision::Retry { retry_after: None },
            Ok(_) => RetryDecision::Done,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_transient_failure_is_retried_until_success() {
        let calls = AtomicU32::new(0);
        let result = policy()
            .run(
                None,
                |n| {
                    calls.fetch_add(1, Ordering::SeqCst);
                    async move { if n < 1 { Err("blip") } else { Ok(n) } }
                },
                transient,
            )
            .await;
        assert_eq!(result, Ok(1));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn attempts_are_bounded_and_the_last_error_is_returned() {
        let calls = AtomicU32::new(0);
        let result = policy()
            .run(
                None,
                |_| {
                    calls.fetch_add(1, Ordering::SeqCst);
                    async { Err::<u32, _>("down") }
                },
                transient,
            )
            .await;
        assert_eq!(result, Err("down"));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn done_is_not_retried_and_retry_after_is_waited() {
        let calls = AtomicU32::new(0);
        let result = policy()
            .run(
                None,
                |_| {
                    calls.fetch_add(1, Ordering::SeqCst);
                    async { Err::<u32, _>("invalid") }
                },
                |_| RetryDecision::Done,
            )
            .await;
        assert_eq!((result, calls.load(Ordering::SeqCst)), (Err("invalid"), 1));
        // A Retry-After of 700 ms is waited in full before the second attempt.
        let started = tokio::time::Instant::now();
        let wait = Some(Duration::from_millis(700));
        let _ = policy()
            .run(
                None,
                |n| async move { if n == 0 { Err("429") } else { Ok(n) } },
                |r| match r {
                    Err(_) => RetryDecision::Retry { retry_after: wait },
                    Ok(_) => RetryDecision::Done,
                },
            )
            .await;
        assert_eq!(started.elapsed(), Duration::from_millis(700));
    }

    #[tokio::test]
    async fn no_retry_when_the_wait_would_pass_the_deadline() {
        let calls = AtomicU32::new(0);
        let deadline = Deadline::after(Duration::from_millis(100));
        let result = policy()
            .run(
                Some(deadline),
                |_| {
                    calls.fetch_add(1, Ordering::SeqCst);
                    async { Err::<u32, _>("429") }
                },
                |_| RetryDecision::Retry {
                    retry_after: Some(Duration::from_millis(500)),
                },
            )
            .await;
        assert_eq!((result, calls.load(Ordering::SeqCst)), (Err("429"), 1));
    }
}
