use std::time::{Duration, Instant};

/// The instant by which a tool invocation must have answered.
///
/// On Lambda it comes from the invocation's deadline (less a margin to write the response); locally
/// from a configured budget. Connectors bound every call by what is left of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline(Instant);

impl Deadline {
    /// A deadline at `instant`.
    pub fn at(instant: Instant) -> Self {
        Deadline(instant)
    }

    /// A deadline `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Deadline(Instant::now() + budget)
    }

    /// The instant itself.
    pub fn instant(self) -> Instant {
        self.0
    }

    /// Time left, zero once passed.
    pub fn remaining(self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }

    /// The timeout for one call: what is left of the deadline, capped by `per_call` (a single slow call
    /// must not eat the whole budget when the caller could still use what remains).
    pub fn call_timeout(self, per_call: Duration) -> Duration {
        self.remaining().min(per_call)
    }

    /// Whether the deadline has passed.
    pub fn is_expired(self) -> bool {
        self.remaining().is_zero()
    }

    /// The timeout for a connector's next call under an optional deadline: `per_call` without one,
    /// [`Deadline::call_timeout`] with one, `None` once it has passed (fail without a request).
    pub fn timeout_for(deadline: Option<Deadline>, per_call: Duration) -> Option<Duration> {
        match deadline {
            Some(deadline) if deadline.is_expired() => None,
            Some(deadline) => Some(deadline.call_timeout(per_call)),
            None => Some(per_call),
        }
    }

    /// Whether a call that timed out ran into the deadline (rather than its own per-call cap).
    pub fn ran_out(deadline: Option<Deadline>) -> bool {
        deadline.is_some_and(Deadline::is_expired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_timeout_is_capped_by_both_the_deadline_and_the_per_call_limit() {
        let deadline = Deadline::after(Duration::from_secs(10));
        assert_eq!(
            deadline.call_timeout(Duration::from_secs(2)),
            Duration::from_secs(2)
        );
        assert!(deadline.call_timeout(Duration::from_secs(60)) <= Duration::from_secs(10));
        let past = Deadline::at(Instant::now() - Duration::from_secs(1));
        assert!(past.is_expired());
        assert_eq!(past.call_timeout(Duration::from_secs(2)), Duration::ZERO);
        assert_eq!(Deadline::timeout_for(Some(past), Duration::from_secs(2)), None);
        assert!(Deadline::ran_out(Some(past)));
        assert!(!Deadline::ran_out(None));
        assert_eq!(
            Deadline::timeout_for(None, Duration::from_secs(2)),
            Some(Duration::from_secs(2))
        );
    }
}
