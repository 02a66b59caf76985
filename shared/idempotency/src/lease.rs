//! Leases on business objects: the cross-instance half of the hotel's invariants.
//!
//! An idempotency record names a *request*; a lease names a *thing* (a guest's checkout, a room's
//! calendar), whoever asks and with whatever token. A tool takes the lease before it decides on
//! what it read, and releases it after its writes landed:
//!
//! ```text
//!            acquire (holder H, until T)              release (by H, with a state)
//!  (none | released | lapsed) ───────────────▶ HELD ─────────────────────────────▶ released
//!                                                │
//!                          acquire by another:   │  Held (409, retry shortly)
//!                          T passes (H died):    │  lapsed: the next acquire takes it
//! ```
//!
//! One conditional write each way, like the idempotency lock. Two things travel with a lease:
//!
//! - **when it was last released** ([`PreviousLease::released_at`]), so that a tool which read the
//!   records *in parallel with* taking the lease can tell whether its read may predate the previous
//!   holder's writes ([`Granted::read_may_be_stale`]) and read again, instead of paying a round trip
//!   to take the lease before every read;
//! - **a small state** the holder leaves for the next one (e.g. "a payment is waiting for the
//!   guest's 3-D Secure authentication"), kept until the record expires.
//!
//! Leases live in the idempotency table (ids prefixed `lease#`), so a function needs no second
//! table and no second permission. Both stores pass one contract suite (`tests/support/leases.rs`).

use crate::BoxFuture;
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// How far apart two instances' clocks may be: a read that started this long after the previous
/// holder released its lease is still treated as possibly older than that holder's writes. Lambda's
/// clocks are disciplined by Amazon Time Sync to well within a millisecond; 250 ms is a wide margin,
/// and erring costs only a re-read of a thing someone was just working on.
pub const CLOCK_SKEW: Duration = Duration::from_millis(250);

/// The previous holder's traces, as the acquire found them.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousLease {
    /// When it was released; `None` when it lapsed instead (its holder never released it: it died
    /// or ran out of time, possibly mid-write).
    pub released_at: Option<SystemTime>,
    /// When it was due to lapse.
    pub until: SystemTime,
    /// The state its holder left, if any.
    pub state: Option<Value>,
}

/// A lease taken.
#[derive(Debug, Clone, PartialEq)]
pub struct Granted {
    /// The lease before this one, if the thing was ever leased (within the record's lifetime).
    pub previous: Option<PreviousLease>,
}

impl Granted {
    /// Whether records read from `read_started` on may predate the previous holder's writes: it
    /// released (or lapsed) after the read started, give or take [`CLOCK_SKEW`]. Such a read must
    /// be made again now that the lease is held.
    pub fn read_may_be_stale(&self, read_started: SystemTime) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        let last_write_by = previous.released_at.unwrap_or(previous.until);
        last_write_by + CLOCK_SKEW >= read_started
    }

    /// The state the previous holder left.
    pub fn state(&self) -> Option<&Value> {
        self.previous.as_ref().and_then(|p| p.state.as_ref())
    }
}

/// Why a lease was not taken or not released.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LeaseError {
    /// Another holder has it until `until`. Safe to retry once it is released.
    #[error("the lease is held by another caller")]
    Held {
        /// When the other holder's lease lapses at the latest.
        until: SystemTime,
    },
    /// On release: the lease is no longer this holder's (it lapsed and another took it).
    #[error("the lease was lost: it lapsed and another caller took it")]
    Lost,
    /// The store failed; nothing was taken or released.
    #[error("lease store failed: {0}")]
    Store(String),
}

/// Persistence for leases. Every implementation must pass the contract suite.
pub trait LeaseStore: Send + Sync {
    /// Takes the lease `id` for `holder` until `until`, unless another holder's lease is live. The
    /// record (with the state the holder will leave) is kept until `record_expiry`.
    fn acquire<'a>(
        &'a self,
        id: &'a str,
        holder: &'a str,
        until: SystemTime,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<Granted, LeaseError>>;

    /// Releases `holder`'s lease `id`, leaving `state` for the next holder (`None` clears it).
    /// [`LeaseError::Lost`] if the lease is no longer `holder`'s.
    fn release<'a>(
        &'a self,
        id: &'a str,
        holder: &'a str,
        state: Option<&'a Value>,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<(), LeaseError>>;
}

/// The record id of lease `name` in the shared table.
pub fn lease_id(name: &str) -> String {
    format!("lease#{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn previous(released_at: Option<SystemTime>, until: SystemTime) -> Granted {
        Granted {
            previous: Some(PreviousLease {
                released_at,
                until,
                state: None,
            }),
        }
    }

    #[test]
    fn a_read_is_stale_only_when_the_previous_holder_may_have_written_after_it_started() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(!Granted { previous: None }.read_may_be_stale(t), "never leased");
        let long_ago = previous(Some(t - Duration::from_secs(5)), t + Duration::from_secs(30));
        assert!(!long_ago.read_may_be_stale(t), "released well before the read");
        let just_now = previous(Some(t - Duration::from_millis(200)), t + Duration::from_secs(30));
        assert!(just_now.read_may_be_stale(t), "within the clock skew");
        let lapsed = previous(None, t + Duration::from_secs(2));
        assert!(
            lapsed.read_may_be_stale(t),
            "a lapsed holder may have written up to its end"
        );
        let lapsed_long_ago = previous(None, t - Duration::from_secs(60));
        assert!(!lapsed_long_ago.read_may_be_stale(t));
    }
}
