//! Per-caller rate limits: fixed windows counted where every instance meets.
//!
//! A window is one record, `rate#<key>#<window start>` (epoch seconds), in the idempotency table.
//! Each call is **one conditional write**: add one to its `count` on condition that the count is
//! still under the limit (DynamoDB: `UpdateItem` with `ADD` and `attribute_not_exists(count) OR
//! count < :limit`). A refused write changes nothing, so callers over the limit are not counted
//! again and the window frees itself when it ends. The record expires (TTL) shortly after its
//! window. Both stores pass one contract suite (`tests/support/rates.rs`).

use crate::BoxFuture;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long after its window a record is kept before TTL may delete it: long enough that a record
/// is never deleted while an instance whose clock lags could still count in it.
pub const RATE_RECORD_GRACE: Duration = Duration::from_secs(60);

/// What a store answers for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateDecision {
    /// Counted: the call may go ahead.
    Admitted,
    /// The window's limit is reached; the next window starts after `retry_after`.
    Limited {
        /// Time left in the current window.
        retry_after: Duration,
    },
}

/// The store failed; nothing is known about the count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rate limit store failed: {0}")]
pub struct RateError(pub String);

/// One call to count: whose (`key`, e.g. `writes#<subject>`), under which limit, in windows of
/// which length, at what time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateCall<'a> {
    /// The counter: the class and the caller.
    pub key: &'a str,
    /// Calls allowed per window.
    pub limit: u32,
    /// The window's length.
    pub window: Duration,
    /// When the call is made.
    pub now: SystemTime,
}

impl RateCall<'_> {
    /// The window holding the call: its record id, and when it ends.
    pub fn window(&self) -> (String, SystemTime) {
        window_of(self.key, self.window, self.now)
    }

    /// The decision for the call refused in a window ending at `end`.
    pub(crate) fn limited(&self, end: SystemTime) -> RateDecision {
        limited(end, self.now)
    }
}

/// Persistence for rate-limit windows. Every implementation must pass the contract suite.
pub trait RateStore: Send + Sync {
    /// Counts `call` in its window, unless `call.limit` calls were already counted in it.
    fn admit<'a>(&'a self, call: RateCall<'a>) -> BoxFuture<'a, Result<RateDecision, RateError>>;
}

/// The window holding `now` for `key`: its record id, and when it ends. Shared by the stores so
/// both name and bound windows alike.
pub fn window_of(key: &str, window: Duration, now: SystemTime) -> (String, SystemTime) {
    let length_ms = window.as_millis().max(1);
    let now_ms = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let start_ms = now_ms - now_ms % length_ms;
    let start = UNIX_EPOCH + Duration::from_millis(u64::try_from(start_ms).unwrap_or(u64::MAX));
    (format!("rate#{key}#{}", start_ms / 1000), start + window)
}

/// The decision for a call refused at `now` in a window ending at `end`.
fn limited(end: SystemTime, now: SystemTime) -> RateDecision {
    RateDecision::Limited {
        retry_after: end.duration_since(now).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_aligned_and_named_by_their_start() {
        let now = UNIX_EPOCH + Duration::from_millis(1_000_059_500);
        let (id, end) = window_of("writes#sub-1", Duration::from_secs(60), now);
        assert_eq!(id, "rate#writes#sub-1#1000020");
        assert_eq!(end, UNIX_EPOCH + Duration::from_secs(1_000_080));
        assert_eq!(
            limited(end, now),
            RateDecision::Limited {
                retry_after: Duration::from_millis(20_500)
            }
        );
    }
}
