//! [`Sandbox`]: a running server and the knobs and state behind it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use dewy_sandbox_kit::{Controls, Listener, Server};
use serde_json::{Map, Value};

use crate::api::{self, DEFAULT_VERSION};
use crate::auth::Sessions;
use crate::config::SandboxConfig;
use crate::error::SandboxError;
use crate::server::SalesforceApi;
use crate::state::{Shared, lock};
use crate::store::{Store, object_def, parse_id};
use crate::{seed, soql};

/// A running sandbox: an HTTP server on its own port. It shuts down when dropped.
///
/// The knobs ([`Sandbox::set_latency`], [`Sandbox::add_fault`], the request log) are the sandbox
/// kit's. The direct-access methods ([`Sandbox::record`], [`Sandbox::query`], [`Sandbox::insert`],
/// [`Sandbox::update`]) bypass HTTP: they are not counted and get no latency or faults.
#[derive(Debug)]
pub struct Sandbox {
    shared: Arc<Shared>,
    server: Server,
}

dewy_sandbox_kit::sandbox_handle!(Sandbox, server, SandboxConfig);

impl Sandbox {
    /// Starts a sandbox on `addr`.
    ///
    /// # Errors
    /// If the address cannot be bound or the seed data is rejected.
    pub async fn start_on(addr: SocketAddr, config: SandboxConfig) -> std::io::Result<Sandbox> {
        let listener = Listener::bind(addr).await?;
        let mut store = Store::new(config.today);
        if config.seed {
            seed::load(&mut store).map_err(|e| std::io::Error::other(format!("seed data rejected: {e}")))?;
        }
        let controls = Arc::new(Controls::new(SalesforceApi));
        let shared = Arc::new(Shared {
            config,
            base_url: listener.base_url().to_owned(),
            store: Mutex::new(store),
            sessions: Mutex::new(Sessions::default()),
            query_batch_size: Mutex::new(None),
            controls: controls.clone(),
        });
        let router = api::router(shared.clone());
        Ok(Sandbox {
            shared,
            server: listener.serve(controls, router),
        })
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &SandboxConfig {
        &self.shared.config
    }

    /// Forces the query page size (overriding `Sforce-Query-Options`), or with `None` goes back
    /// to Salesforce's rules.
    pub fn set_query_batch_size(&self, size: Option<usize>) {
        *lock(&self.shared.query_batch_size) = size.filter(|n| *n > 0);
    }

    /// Revokes every issued access token: the next data call gets 401 `INVALID_SESSION_ID`.
    pub fn expire_sessions(&self) {
        lock(&self.shared.sessions).expire_all();
    }

    /// A record's fields (every field, null where unset, formulas computed, no `attributes`).
    /// `object` is matched case-insensitively; `id` may have 15 or 18 characters.
    pub fn record(&self, object: &str, id: &str) -> Option<Map<String, Value>> {
        let obj = object_def(object).ok()?;
        let id = parse_id(obj, id).ok()?;
        let store = lock(&self.shared.store);
        store.get(obj.name, &id).map(|r| store.full_fields(obj, r))
    }

    /// Every change of a guarded status so far, in order (the org's field history of them).
    pub fn status_history(&self) -> Vec<crate::store::StatusChange> {
        lock(&self.shared.store).data.status_history.clone()
    }

    /// Runs a SOQL query with the API's engine; records as the API returns them (all pages).
    ///
    /// # Errors
    /// The error the query endpoint would answer (MALFORMED_QUERY, INVALID_FIELD, ...).
    pub fn query(&self, soql: &str) -> Result<Vec<Value>, SandboxError> {
        soql::eval::run(&lock(&self.shared.store), soql, DEFAULT_VERSION)
    }

    /// Creates a record with the API's validation; returns its 18-character id.
    ///
    /// # Errors
    /// The error `POST /sobjects/{object}` would answer.
    pub fn insert(&self, object: &str, fields: Value) -> Result<String, SandboxError> {
        lock(&self.shared.store).insert(object, &fields)
    }

    /// Updates a record with the API's validation.
    ///
    /// # Errors
    /// The error `PATCH /sobjects/{object}/{id}` would answer.
    pub fn update(&self, object: &str, id: &str, fields: Value) -> Result<(), SandboxError> {
        lock(&self.shared.store).update(object, id, &fields)
    }

    /// Deletes a record (and its master-detail children).
    ///
    /// # Errors
    /// The error `DELETE /sobjects/{object}/{id}` would answer.
    pub fn delete(&self, object: &str, id: &str) -> Result<(), SandboxError> {
        lock(&self.shared.store).delete(object, id)
    }
}
