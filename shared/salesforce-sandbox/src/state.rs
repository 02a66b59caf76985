//! The state every request shares.

use std::sync::{Arc, Mutex};

use dewy_sandbox_kit::Controls;

use crate::auth::Sessions;
use crate::config::SandboxConfig;
use crate::store::Store;

pub(crate) use dewy_sandbox_kit::lock;

/// One sandbox's state. Each part has its own lock; none is held across an await.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: SandboxConfig,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    pub store: Mutex<Store>,
    pub sessions: Mutex<Sessions>,
    /// The query page size forced by the knob, overriding `Sforce-Query-Options`.
    pub query_batch_size: Mutex<Option<usize>>,
    /// Latency, faults and the request log.
    pub controls: Arc<Controls>,
}
