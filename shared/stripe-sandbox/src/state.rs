//! The state every request shares.

use std::sync::{Arc, Mutex};

use dewy_sandbox_kit::Controls;

use crate::config::StripeSandboxConfig;
use crate::idempotency::IdempotencyStore;
use crate::store::Store;

pub(crate) use dewy_sandbox_kit::lock;

/// One sandbox's state. Each part has its own lock; none is held across an await.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: StripeSandboxConfig,
    pub store: Mutex<Store>,
    pub idempotency: Mutex<IdempotencyStore>,
    /// Latency, faults and the request log.
    pub controls: Arc<Controls>,
}
