//! Leases on business objects, as a tool takes them: recorded as DynamoDB calls in the
//! invocation's call summary, held until the invocation's deadline at most, released with the
//! state the next holder should see.
//!
//! The pattern a tool follows (see `dewy_idempotency::lease` for the store's side):
//! 1. take the lease **in parallel with** the reads it will decide on: no added round trip;
//! 2. if [`HeldLease::read_may_be_stale`], read again: the previous holder released after the read
//!    started, so its writes may be missing from it (only under contention);
//! 3. decide and write;
//! 4. [`HeldLease::release`], leaving a state if the thing is now in one the next holder must know
//!    of. One DynamoDB round trip after the writes: the only one a lease adds.

use crate::context::Context;
use dewy_connector::{Backend, record_call};
use dewy_domain::{ErrorCode, ToolError};
pub use dewy_idempotency::LeaseError;
use dewy_idempotency::{Granted, IdempotencyStore, lease_id};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How long a lease's record (and the state it carries) is kept after its last release.
const RECORD_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// A lease this invocation holds. Release it on every path: one that is dropped lapses at the
/// invocation's deadline, blocking the thing until then.
#[must_use = "a lease must be released, or it blocks its object until the deadline"]
pub struct HeldLease {
    id: String,
    holder: String,
    granted: Granted,
    store: Arc<dyn IdempotencyStore>,
}

impl Context {
    /// Takes the lease `name` (e.g. `checkout:<guest email>`) until the invocation's deadline, or
    /// says who has it ([`LeaseError::Held`]) or that the store failed.
    pub async fn acquire_lease(&self, name: &str) -> Result<HeldLease, LeaseError> {
        let id = lease_id(name);
        let holder = format!("{:032x}", rand::random::<u128>());
        let now = SystemTime::now();
        let store = self.shared_store();
        let granted = record_call(
            Some(self.recorder()),
            Backend::DynamoDb,
            "acquire lease",
            store.acquire(
                &id,
                &holder,
                now + self.deadline().remaining(),
                now + RECORD_LIFETIME,
            ),
        )
        .await?;
        Ok(HeldLease {
            id,
            holder,
            granted,
            store,
        })
    }
}

impl HeldLease {
    /// Whether a read started at `read_started` may miss the previous holder's writes: read again.
    pub fn read_may_be_stale(&self, read_started: SystemTime) -> bool {
        self.granted.read_may_be_stale(read_started)
    }

    /// The state the previous holder left.
    pub fn state(&self) -> Option<&Value> {
        self.granted.state()
    }

    /// Releases the lease leaving the state as this holder found it: for a call that changed
    /// nothing the state describes.
    pub async fn release_as_found(self, ctx: &Context) {
        let state = self.state().cloned();
        self.release(ctx, state).await;
    }

    /// Releases the lease, leaving `state` for the next holder. A failure is logged, not
    /// answered: the work is done, and the lease lapses at the deadline anyway.
    pub async fn release(self, ctx: &Context, state: Option<Value>) {
        let released = record_call(
            Some(ctx.recorder()),
            Backend::DynamoDb,
            "release lease",
            self.store.release(
                &self.id,
                &self.holder,
                state.as_ref(),
                SystemTime::now() + RECORD_LIFETIME,
            ),
        )
        .await;
        if let Err(error) = released {
            tracing::error!(lease = %self.id, %error, "lease not released; it lapses at the deadline");
        }
    }
}

/// A lease store failure as a tool answers it: 503, nothing was done, retry.
pub fn store_unavailable(error: &LeaseError) -> ToolError {
    tracing::error!(%error, "lease store failed");
    ToolError::new(
        ErrorCode::ServiceUnavailable,
        "The hotel's coordination store is briefly unavailable; nothing was changed. Retry shortly.",
    )
    .with_details(serde_json::json!({ "retryable": true }))
}

/// Whole seconds until `until`, at least one: a `retry_after_seconds` for a lease held elsewhere.
pub fn retry_after_seconds(until: SystemTime) -> u64 {
    until
        .duration_since(SystemTime::now())
        .map_or(1, |left| left.as_secs().clamp(1, 30))
}
