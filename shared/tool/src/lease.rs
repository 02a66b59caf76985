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
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// How long a lease's record (and the state it carries) is kept after its last release.
const RECORD_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// How long a lease outlives its holder's deadline. A holder stopped at its deadline may have a
/// write in flight that the backend still applies (it does not know the client gave up), and no
/// backend here takes a fencing token: the next holder must not read before that write lands.
const IN_FLIGHT_MARGIN: Duration = Duration::from_secs(5);

/// The longest a lease is held: Lambda's longest timeout (15 minutes) and the in-flight margin. A
/// holder that never released its lease took it at most this long before it lapsed, which bounds
/// where to look for what it may have done.
pub const LONGEST_HOLD: Duration = Duration::from_secs(15 * 60 + 5);

/// The field of a lease's state that remembers a lapse no holder has settled yet (Unix seconds):
/// see [`HeldLease::unsettled_lapse`]. Tools whose state is an object keep it when they release
/// without settling.
pub const UNSETTLED_LAPSE: &str = "unsettled_lapse";

/// The first pause between two attempts at a lease another call holds; it doubles up to
/// [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(20);
const MAX_PAUSE: Duration = Duration::from_millis(200);
/// What a wait leaves of the invocation's deadline, for the work after it and the answer.
const DEADLINE_MARGIN: Duration = Duration::from_secs(2);

/// What a call does when another call holds the lease it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenHeld {
    /// Answer at once: the other call's outcome is the answer (a checkout already running).
    Refuse,
    /// Wait up to this long for the holder to release it: the answer depends on what the holder
    /// writes (another booking of the same room), and holders are quick.
    Wait(Duration),
}

/// A lease a tool takes beside its reads: its name, what to do when it is held, and the audit
/// check that records whether it was taken.
#[derive(Debug, Clone, Copy)]
pub struct LeaseOn<'a> {
    /// The thing it names, e.g. `checkout:<guest email>` or `room:<number>`.
    pub name: &'a str,
    pub when_held: WhenHeld,
    /// The audit check, e.g. `checkout_not_in_progress`.
    pub check: &'static str,
}

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
    /// Takes the lease `name` (e.g. `checkout:<guest email>`) until the invocation's deadline (and
    /// a margin for a write still in flight then), or says who has it ([`LeaseError::Held`]) or
    /// that the store failed.
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
                now + (self.deadline().remaining() + IN_FLIGHT_MARGIN).min(LONGEST_HOLD),
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

impl Context {
    /// Takes the lease `name`, waiting for another holder as `when_held` says (polling with a
    /// growing pause, and never past the invocation's deadline less a margin for the work after).
    pub async fn acquire_lease_when_held(
        &self,
        name: &str,
        when_held: WhenHeld,
    ) -> Result<HeldLease, LeaseError> {
        let budget = match when_held {
            WhenHeld::Refuse => Duration::ZERO,
            WhenHeld::Wait(wait) => wait.min(self.deadline().remaining().saturating_sub(DEADLINE_MARGIN)),
        };
        let started = Instant::now();
        let mut pause = FIRST_PAUSE;
        loop {
            match self.acquire_lease(name).await {
                Err(LeaseError::Held { .. }) if started.elapsed() + pause <= budget => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(MAX_PAUSE);
                }
                taken_or_not => return taken_or_not,
            }
        }
    }

    /// Takes `lease` while running `read` (the reads a decision rests on) and, when the lease's
    /// previous holder may have written after that read started, runs `read` again: the pattern of
    /// this module's introduction in one call. A lease not taken is answered as [`refusal`] says,
    /// with `held_elsewhere` for one another call holds; a failed read releases the lease as it
    /// was found.
    pub async fn read_under_lease<T, F, Fut>(
        &self,
        lease: LeaseOn<'_>,
        held_elsewhere: impl FnOnce(u64) -> ToolError,
        read: F,
    ) -> Result<(HeldLease, T), ToolError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, ToolError>>,
    {
        let started = SystemTime::now();
        let (held, first) = tokio::join!(self.acquire_lease_when_held(lease.name, lease.when_held), read());
        let held = self
            .audit()
            .check(lease.check, held.map_err(|e| refusal(&e, held_elsewhere)))?;
        held.confirm_read(self, started, first, read).await
    }
}

impl HeldLease {
    /// Whether a read started at `read_started` may miss the previous holder's writes: read again.
    pub fn read_may_be_stale(&self, read_started: SystemTime) -> bool {
        self.granted.read_may_be_stale(read_started)
    }

    /// `first`, a read started at `read_started`, if it cannot miss the previous holder's writes;
    /// else `read` made again. A failed read releases the lease as it was found; otherwise the
    /// lease comes back with the value.
    pub async fn confirm_read<T, Fut>(
        self,
        ctx: &Context,
        read_started: SystemTime,
        first: Result<T, ToolError>,
        read: impl FnOnce() -> Fut,
    ) -> Result<(HeldLease, T), ToolError>
    where
        Fut: Future<Output = Result<T, ToolError>>,
    {
        let value = if self.read_may_be_stale(read_started) {
            tracing::info!(lease = %self.id, "lease released after the reads started: reading again");
            read().await
        } else {
            first
        };
        match value {
            Ok(value) => Ok((self, value)),
            Err(error) => {
                self.release_as_found(ctx).await;
                Err(error)
            }
        }
    }

    /// The state the previous holder left.
    pub fn state(&self) -> Option<&Value> {
        self.granted.state()
    }

    /// When a holder never released the lease (it died or ran out of time, possibly between two
    /// writes) and no holder since has settled what it may have done: the time its lease lapsed.
    /// What it did is unknown, and was done after `lapsed - LONGEST_HOLD`. A holder that settles
    /// it releases with a state without [`UNSETTLED_LAPSE`]; [`HeldLease::release_as_found`]
    /// keeps it for the next holder.
    pub fn unsettled_lapse(&self) -> Option<SystemTime> {
        let lapsed_now = self
            .granted
            .previous
            .as_ref()
            .filter(|previous| previous.released_at.is_none())
            .map(|previous| previous.until);
        let carried = self
            .state()
            .and_then(|state| state.get(UNSETTLED_LAPSE))
            .and_then(Value::as_u64)
            .map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
        lapsed_now.max(carried)
    }

    /// Releases the lease leaving the state as this holder found it: for a call that changed
    /// nothing the state describes.
    /// A lapse no holder has settled stays in the state (see [`HeldLease::unsettled_lapse`]).
    pub async fn release_as_found(self, ctx: &Context) {
        let mut state = self.state().cloned();
        if let Some(lapsed) = self.unsettled_lapse() {
            let secs = lapsed
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let object = state.get_or_insert_with(|| serde_json::json!({}));
            if let Some(fields) = object.as_object_mut() {
                fields.insert(UNSETTLED_LAPSE.to_owned(), secs.into());
            }
        }
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

/// A lease not taken, as the caller is answered: for one another call holds, `held(retry_after)`
/// (the tool's own code and words; its details gain `retryable` and `retry_after_seconds`); for a
/// store that failed, 503.
pub fn refusal(error: &LeaseError, held: impl FnOnce(u64) -> ToolError) -> ToolError {
    match error {
        LeaseError::Held { until } => {
            let retry_after = retry_after_seconds(*until);
            let mut refusal = held(retry_after);
            let details = refusal.details.get_or_insert_with(|| serde_json::json!({}));
            details["retryable"] = serde_json::json!(true);
            details["retry_after_seconds"] = serde_json::json!(retry_after);
            refusal
        }
        LeaseError::Lost | LeaseError::Store(_) => store_unavailable(error),
    }
}

/// A lease store failure as a tool answers it: 503, nothing was done, retry.
fn store_unavailable(error: &LeaseError) -> ToolError {
    tracing::error!(%error, "lease store failed");
    ToolError::new(
        ErrorCode::ServiceUnavailable,
        "The hotel's coordination store is briefly unavailable; nothing was changed. Retry shortly.",
    )
    .with_details(serde_json::json!({ "retryable": true }))
}

/// Whole seconds until `until`, at least one: a `retry_after_seconds` for a lease held elsewhere.
fn retry_after_seconds(until: SystemTime) -> u64 {
    until
        .duration_since(SystemTime::now())
        .map_or(1, |left| left.as_secs().clamp(1, 30))
}
