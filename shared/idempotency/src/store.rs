//! The store trait: the three transitions of the Powertools state machine.
//!
//! ```text
//!            begin (lock)             complete
//!  (none) ─────────────────▶ INPROGRESS ─────────▶ COMPLETED ──(expiration passes)──▶ (none)
//!     ▲                          │                     │
//!     └──────── abandon ─────────┘   begin while live: │ begin, same hash: Replay
//!        (or in_progress_expiry      InProgress         │ begin, other hash: KeyReused
//!         passes: lock reclaimable)
//! ```

use crate::{Begin, IdempotencyError, StoredResponse};
use std::future::Future;
use std::pin::Pin;
use std::time::{SystemTime, UNIX_EPOCH};

/// A boxed, `Send` future: keeps [`IdempotencyStore`] object-safe (`Arc<dyn IdempotencyStore>`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Record status values, as stored (Powertools' spelling).
pub(crate) const STATUS_INPROGRESS: &str = "INPROGRESS";
pub(crate) const STATUS_COMPLETED: &str = "COMPLETED";

/// Persistence for idempotency records. Every implementation must pass the shared contract suite
/// in `tests/support/contract.rs`.
///
/// Every store also holds leases ([`crate::LeaseStore`]): the tools reach both through one handle.
pub trait IdempotencyStore: crate::LeaseStore + Send + Sync {
    /// Takes the INPROGRESS lock for `id` in one atomic step, or explains why not.
    ///
    /// The lock is taken when there is no record, when the record has expired (its `expiration` is
    /// before now — checked here because DynamoDB's TTL deletion lags by up to 48 h), or when it is
    /// INPROGRESS and its `in_progress_expiry` has passed (the holder timed out). Otherwise the
    /// existing record decides: a different `payload_hash` gives [`IdempotencyError::KeyReused`],
    /// a live INPROGRESS record [`IdempotencyError::InProgress`], and a COMPLETED record
    /// [`Begin::Replay`].
    ///
    /// `in_progress_expiry` should be the invocation's deadline (Lambda's remaining time), so a
    /// killed invocation frees the key when it could no longer be running; `record_expiry` is
    /// now + TTL (1 h by default, see [`crate::DEFAULT_TTL`]).
    fn begin<'a>(
        &'a self,
        id: &'a str,
        payload_hash: &'a str,
        in_progress_expiry: SystemTime,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<Begin, IdempotencyError>>;

    /// Marks `id` COMPLETED with `response`, to be replayed until `record_expiry`.
    ///
    /// Unconditional, as in Powertools: the caller holds the lock it took in `begin`.
    fn complete<'a>(
        &'a self,
        id: &'a str,
        response: &'a StoredResponse,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<(), IdempotencyError>>;

    /// Deletes the record for `id`: a failed execution must not be replayed, so a retry runs the
    /// tool again. Deleting a missing record is not an error.
    fn abandon<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), IdempotencyError>>;
}

/// Seconds since the epoch, the unit of the `expiration` (TTL) attribute. Times before the epoch
/// clamp to 0 rather than failing: they only ever mean "already expired".
pub(crate) fn epoch_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Milliseconds since the epoch, the unit of `in_progress_expiration` (as in Powertools, where it
/// comes from Lambda's remaining time in ms).
pub(crate) fn epoch_millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The instant `ms` milliseconds after the epoch: the inverse of [`epoch_millis`].
pub(crate) fn from_millis(ms: u64) -> SystemTime {
    UNIX_EPOCH + std::time::Duration::from_millis(ms)
}

/// What a live record (one whose lock could not be taken) means for a new `begin`, shared by the
/// stores so they cannot drift apart. `data` is only read for a COMPLETED record with a matching
/// hash, so a store only parses the response when it will be replayed.
///
/// The hash is checked first, whatever the status: a different payload is the client's mistake
/// and retrying will not fix it, so 422 is more useful than a 409 that invites a retry.
pub(crate) fn decide(
    status: &str,
    validation: Option<&str>,
    payload_hash: &str,
    data: impl FnOnce() -> Result<Option<StoredResponse>, IdempotencyError>,
) -> Result<Begin, IdempotencyError> {
    if validation != Some(payload_hash) {
        return Err(IdempotencyError::KeyReused);
    }
    match status {
        STATUS_INPROGRESS => Err(IdempotencyError::InProgress),
        STATUS_COMPLETED => match data()? {
            Some(response) => Ok(Begin::Replay(response)),
            None => Err(IdempotencyError::Store(
                "COMPLETED record without data".to_owned(),
            )),
        },
        other => Err(IdempotencyError::Store(format!(
            "record has unknown status {other:?}"
        ))),
    }
}
