//! The state every request shares.

use std::sync::{Arc, Mutex};

use dewy_sandbox_kit::Controls;

use crate::config::HomeAssistantConfig;
use crate::store::Store;

pub(crate) use dewy_sandbox_kit::lock;

/// One sandbox's state. Each part has its own lock; none is held across an await.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: HomeAssistantConfig,
    pub store: Mutex<Store>,
    /// Latency, faults and the request log.
    pub controls: Arc<Controls>,
}
