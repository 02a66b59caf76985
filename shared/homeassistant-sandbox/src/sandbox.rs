//! [`HomeAssistantSandbox`]: a running server and the knobs and devices behind it.

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use dewy_sandbox_kit::{Controls, Listener, Server};
use serde_json::Value;

use crate::api;
use crate::config::HomeAssistantConfig;
use crate::entity::{Entity, is_valid_entity_id};
use crate::server::HomeAssistantApi;
use crate::state::{Shared, lock};
use crate::store::Store;

/// A running sandbox: an HTTP server on its own port. It shuts down when dropped.
///
/// The knobs ([`HomeAssistantSandbox::set_latency`], [`HomeAssistantSandbox::add_fault`], the
/// request log) are the sandbox kit's. [`HomeAssistantSandbox::state`], [`HomeAssistantSandbox::states`]
/// and [`HomeAssistantSandbox::set_state`] reach the devices directly: they are not counted and get
/// no latency or faults.
#[derive(Debug)]
pub struct HomeAssistantSandbox {
    shared: Arc<Shared>,
    server: Server,
}

dewy_sandbox_kit::sandbox_handle!(HomeAssistantSandbox, server, HomeAssistantConfig);

impl HomeAssistantSandbox {
    /// Starts a sandbox on `addr`, its devices as seeded.
    ///
    /// # Errors
    /// If the address cannot be bound.
    pub async fn start_on(
        addr: SocketAddr,
        config: HomeAssistantConfig,
    ) -> std::io::Result<HomeAssistantSandbox> {
        let listener = Listener::bind(addr).await?;
        let controls = Arc::new(Controls::new(HomeAssistantApi));
        let shared = Arc::new(Shared {
            config,
            store: Mutex::new(Store::seeded(Utc::now())),
            controls: controls.clone(),
        });
        let router = api::router(shared.clone());
        Ok(HomeAssistantSandbox {
            shared,
            server: listener.serve(controls, router),
        })
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &HomeAssistantConfig {
        &self.shared.config
    }

    /// The long-lived access token clients must send as `Authorization: Bearer <token>`.
    pub fn token(&self) -> &str {
        &self.shared.config.token
    }

    /// One entity's state object, as `GET /api/states/<entity_id>` serves it now.
    pub fn state(&self, entity_id: &str) -> Option<Value> {
        lock(&self.shared.store).get(entity_id).map(Entity::render)
    }

    /// Every entity's state object, in the order `GET /api/states` serves them.
    pub fn states(&self) -> Vec<Value> {
        lock(&self.shared.store)
            .all()
            .iter()
            .map(Entity::render)
            .collect()
    }

    /// Sets an entity's state for a test's set-up, as a device changing by itself would (a guest
    /// at the switch): `attributes` (a JSON object) are merged over the current ones, a `null`
    /// making one null. An unknown entity is created, and the services then treat it by its
    /// attributes (a light with an `effect_list` takes effects). The timestamps and context
    /// follow the same rules as a service call's. Returns the new state object.
    ///
    /// # Errors
    /// If `entity_id` is not a valid entity id or `attributes` is not a JSON object.
    pub fn set_state(&self, entity_id: &str, state: &str, attributes: Value) -> Result<Value, SetStateError> {
        if !is_valid_entity_id(entity_id) {
            return Err(SetStateError::InvalidEntityId(entity_id.to_owned()));
        }
        let Value::Object(changes) = attributes else {
            return Err(SetStateError::AttributesNotAnObject);
        };
        let now = Utc::now();
        let mut store = lock(&self.shared.store);
        let mut merged = store
            .get(entity_id)
            .map(|e| e.attributes.clone())
            .unwrap_or_default();
        merged.extend(changes);
        let context = store.new_context(now);
        store.write(entity_id, state.to_owned(), merged, &context, now);
        // Written just above, so always there.
        Ok(store.get(entity_id).map(Entity::render).unwrap_or_default())
    }

    /// Puts every device back as seeded and forgets the request counter and log, the fault rules
    /// and the latency.
    pub fn reset(&self) {
        reset(&self.shared);
    }
}

/// Why [`HomeAssistantSandbox::set_state`] refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetStateError {
    /// Not `domain.object_id` in lowercase letters, digits and underscores.
    InvalidEntityId(String),
    /// The attributes were not a JSON object.
    AttributesNotAnObject,
}

impl fmt::Display for SetStateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetStateError::InvalidEntityId(id) => write!(f, "{id} is not a valid entity id"),
            SetStateError::AttributesNotAnObject => f.write_str("attributes must be a JSON object"),
        }
    }
}

impl std::error::Error for SetStateError {}

/// Back to the state of a fresh start (same port, same configuration).
pub(crate) fn reset(shared: &Shared) {
    lock(&shared.store).reseed(Utc::now());
    shared.controls.reset();
}
