//! The state every request shares.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use tokio::sync::watch;

use crate::auth::Sessions;
use crate::config::SandboxConfig;
use crate::knobs::{Knobs, Stats};
use crate::store::Store;

/// One sandbox's state. Each part has its own lock; none is held across an await.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: SandboxConfig,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    pub store: Mutex<Store>,
    pub sessions: Mutex<Sessions>,
    pub knobs: Mutex<Knobs>,
    pub stats: Mutex<Stats>,
    /// When the sandbox started; the admin stats give times relative to it.
    pub started: Instant,
    /// Becomes `true` when the sandbox shuts down; held requests give up then.
    pub shutdown: watch::Receiver<bool>,
}

/// Locks a mutex, carrying on if a previous holder panicked: the data is still consistent
/// because every write validates before it changes anything.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
