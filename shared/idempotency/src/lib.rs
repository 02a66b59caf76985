//! Idempotent tool calls: a port of the AWS Lambda Powertools idempotency state machine.
//!
//! A tool call with an idempotency key goes through a store:
//!
//! 1. [`IdempotencyKey::new`] names the record, [`payload_hash`] fingerprints the arguments.
//! 2. [`IdempotencyStore::begin`] takes an INPROGRESS lock in one conditional write, or answers
//!    [`Begin::Replay`] (a finished call with the same payload), [`IdempotencyError::InProgress`]
//!    (409, retry) or [`IdempotencyError::KeyReused`] (422, different payload).
//! 3. On success [`IdempotencyStore::complete`] stores the response for replay; on failure
//!    [`IdempotencyStore::abandon`] deletes the record so a retry executes again (a failure is
//!    never replayed — Powertools' rule, unlike Stripe v1 which replays 500s).
//!
//! Two stores share one contract test suite: [`MemoryStore`] and [`DynamoStore`]. Both also hold
//! [`lease`]s on business objects (a guest's checkout, a room's nights), and count callers'
//! [`rate`] windows, each with their own suite.

mod dynamo;
mod key;
pub mod lease;
mod memory;
#[cfg(feature = "test-support")]
pub mod moto;
pub mod rate;
mod store;
mod types;

pub use dynamo::{DynamoStore, TABLE_DEFINITION};
pub use key::{IdempotencyKey, canonical_json, payload_hash};
pub use lease::{Granted, LeaseError, LeaseStore, PreviousLease, lease_id};
pub use memory::MemoryStore;
pub use rate::{RateCall, RateDecision, RateError, RateStore};
pub use store::{BoxFuture, IdempotencyStore};
pub use types::{Begin, IdempotencyError, StoredResponse};

/// How long a COMPLETED record is replayed by default (Powertools' `expires_after_seconds`).
pub const DEFAULT_TTL: std::time::Duration = std::time::Duration::from_secs(3600);
