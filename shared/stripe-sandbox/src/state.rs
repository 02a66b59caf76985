//! The state every request shares.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use tokio::sync::watch;

use crate::config::StripeSandboxConfig;
use crate::idempotency::IdempotencyStore;
use crate::knobs::{Knobs, Stats};
use crate::store::Store;

/// One sandbox's state. Each part has its own lock; none is held across an await.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: StripeSandboxConfig,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    pub store: Mutex<Store>,
    pub idempotency: Mutex<IdempotencyStore>,
    pub knobs: Mutex<Knobs>,
    pub stats: Mutex<Stats>,
    /// When the sandbox started; the admin stats give times relative to it.
    pub started: Instant,
    /// Becomes `true` when the sandbox shuts down; held requests give up then.
    pub shutdown: watch::Receiver<bool>,
}

/// Locks a mutex, carrying on if a previous holder panicked: every change to the store validates
/// before it writes, so the data is still consistent.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
