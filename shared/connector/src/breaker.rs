//! A circuit breaker per backend, so that a dead backend fails fast instead of eating every tool's
//! deadline (and being hammered while it tries to recover).

use crate::Backend;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::time::Instant;

/// When a breaker opens and how long it stays open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerConfig {
    /// Consecutive transient failures (5xx, 429, timeout, connection) that open the breaker.
    pub failure_threshold: u32,
    /// How long the breaker stays open before letting one probe through.
    pub cool_down: Duration,
}

impl Default for BreakerConfig {
    /// Five failures in a row, five seconds open.
    fn default() -> Self {
        BreakerConfig {
            failure_threshold: 5,
            cool_down: Duration::from_secs(5),
        }
    }
}

/// A call refused because the backend's breaker is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{backend} is unavailable: too many consecutive failures, not calling it for {retry_in:?}")]
pub struct CircuitOpen {
    /// The backend that is failing.
    pub backend: Backend,
    /// Roughly when a probe call will be let through again.
    pub retry_in: Duration,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// One probe is in flight; everyone else is refused until it answers.
    HalfOpen,
}

/// The breaker of one backend. Cloning is cheap and clones share the state, so build one per
/// backend per container and hand clones to every connector instance.
#[derive(Debug, Clone)]
pub struct CircuitBreaker {
    backend: Backend,
    config: BreakerConfig,
    // A std mutex: held only to read or swap a small enum, never across an await.
    state: Arc<Mutex<State>>,
}

/// Leave to make one call; report how it went with [`Permit::success`] or [`Permit::failure`].
///
/// Dropping a permit unreported (the call was cancelled, or failed for a reason that says nothing
/// about the backend's health) leaves the counts alone; a dropped probe lets the next call probe.
#[derive(Debug)]
#[must_use = "report the call's outcome, or drop the permit if it says nothing about the backend"]
pub struct Permit {
    breaker: CircuitBreaker,
    probe: bool,
    reported: bool,
}

impl CircuitBreaker {
    /// A closed breaker for `backend`.
    pub fn new(backend: Backend, config: BreakerConfig) -> Self {
        CircuitBreaker {
            backend,
            config,
            state: Arc::new(Mutex::new(State::Closed { failures: 0 })),
        }
    }

    /// The backend this breaker guards.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Leave to call the backend, or [`CircuitOpen`] if it is failing and no probe is due.
    pub fn permit(&self) -> Result<Permit, CircuitOpen> {
        let mut state = self.lock();
        let now = Instant::now();
        let probe = match *state {
            State::Closed { .. } => false,
            State::Open { until } if now >= until => {
                *state = State::HalfOpen;
                true
            }
            State::Open { until } => return Err(self.open(until - now)),
            State::HalfOpen => return Err(self.open(Duration::ZERO)),
        };
        Ok(Permit {
            breaker: self.clone(),
            probe,
            reported: false,
        })
    }

    /// Whether calls are currently refused (open, or half-open with the probe in flight).
    pub fn is_open(&self) -> bool {
        !matches!(*self.lock(), State::Closed { .. })
    }

    fn open(&self, retry_in: Duration) -> CircuitOpen {
        CircuitOpen {
            backend: self.backend,
            retry_in,
        }
    }

    fn on_success(&self) {
        *self.lock() = State::Closed { failures: 0 };
    }

    fn on_failure(&self) {
        let mut state = self.lock();
        let trip = match *state {
            State::Closed { failures } if failures + 1 < self.config.failure_threshold => {
                *state = State::Closed {
                    failures: failures + 1,
                };
                false
            }
            // Threshold reached, a failed probe, or a late failure of a call sent before opening.
            _ => true,
        };
        if trip {
            *state = State::Open {
                until: Instant::now() + self.config.cool_down,
            };
            tracing::warn!(backend = %self.backend, cool_down = ?self.config.cool_down, "circuit breaker open");
        }
    }

    fn on_abandoned_probe(&self) {
        let mut state = self.lock();
        if matches!(*state, State::HalfOpen) {
            // The probe learnt nothing; let the next call probe rather than stay half-open forever.
            *state = State::Open {
                until: Instant::now(),
            };
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every write stores a whole enum value, so a poisoned state is still a valid one.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Permit {
    /// The backend answered (any answer that is not a transient failure, a 4xx included): closes
    /// the breaker and resets the failure count.
    pub fn success(mut self) {
        self.reported = true;
        self.breaker.on_success();
    }

    /// A transient failure (5xx, 429, timeout, connection): counts towards opening; a failed probe
    /// reopens at once.
    pub fn failure(mut self) {
        self.reported = true;
        self.breaker.on_failure();
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if self.probe && !self.reported {
            self.breaker.on_abandoned_probe();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> CircuitBreaker {
        CircuitBreaker::new(Backend::Stripe, BreakerConfig::default())
    }

    fn fail(breaker: &CircuitBreaker, times: u32) {
        for _ in 0..times {
            breaker.permit().expect("closed").failure();
        }
    }

    #[tokio::test(start_paused = true)]
    async fn opens_after_consecutive_failures_and_names_the_backend() {
        let breaker = breaker();
        fail(&breaker, 4);
        assert!(!breaker.is_open());
        fail(&breaker, 1);
        let refused = breaker.permit().expect_err("open");
        assert_eq!(refused.backend, Backend::Stripe);
        assert!(refused.to_string().starts_with("stripe is unavailable"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_success_resets_the_count() {
        let breaker = breaker();
        fail(&breaker, 4);
        breaker.permit().expect("closed").success();
        fail(&breaker, 4);
        assert!(!breaker.is_open());
    }

    #[tokio::test(start_paused = true)]
    async fn half_open_lets_one_probe_through_and_its_outcome_decides() {
        let breaker = breaker();
        fail(&breaker, 5);
        tokio::time::advance(Duration::from_secs(5)).await;
        // One probe, and nobody else while it is in flight.
        let probe = breaker.permit().expect("probe");
        assert!(breaker.permit().is_err());
        // A failed probe reopens for a full cool-down.
        probe.failure();
        tokio::time::advance(Duration::from_secs(4)).await;
        assert!(breaker.permit().is_err());
        tokio::time::advance(Duration::from_secs(1)).await;
        // A successful probe closes.
        breaker.permit().expect("probe").success();
        assert!(!breaker.is_open());
        assert!(breaker.permit().is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn an_abandoned_probe_lets_the_next_call_probe() {
        let breaker = breaker();
        fail(&breaker, 5);
        tokio::time::advance(Duration::from_secs(5)).await;
        drop(breaker.permit().expect("probe"));
        breaker.permit().expect("next probe").success();
        assert!(!breaker.is_open());
    }
}
