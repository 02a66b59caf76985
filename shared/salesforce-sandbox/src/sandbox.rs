//! [`Sandbox`]: a running server and the knobs and state behind it.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::api::{self, DEFAULT_VERSION};
use crate::auth::Sessions;
use crate::config::SandboxConfig;
use crate::error::SandboxError;
use crate::knobs::{FaultRule, Knobs, Latency, LoggedRequest, Stats};
use crate::state::{Shared, lock};
use crate::store::{Store, object_def, parse_id};
use crate::{seed, soql};

/// A running sandbox: an HTTP server on its own port. It shuts down when dropped.
///
/// The direct-access methods ([`Sandbox::record`], [`Sandbox::query`], [`Sandbox::insert`],
/// [`Sandbox::update`]) bypass HTTP: they are not counted and get no latency or faults.
#[derive(Debug)]
pub struct Sandbox {
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` with an ephemeral port.
    ///
    /// The server runs on the calling tokio runtime and stops with it (or when the handle is
    /// dropped), so a sandbox shared between tests must live on a runtime that outlives them.
    ///
    /// # Errors
    /// If the port cannot be bound or the seed data is rejected.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts a sandbox on `addr`.
    ///
    /// # Errors
    /// If the address cannot be bound or the seed data is rejected.
    pub async fn start_on(addr: SocketAddr, config: SandboxConfig) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind(addr).await?;
        let mut local = listener.local_addr()?;
        if local.ip().is_unspecified() {
            // Bound to every interface: clients reach it on loopback.
            local.set_ip(Ipv4Addr::LOCALHOST.into());
        }
        let mut store = Store::new(config.today);
        if config.seed {
            seed::load(&mut store).map_err(|e| std::io::Error::other(format!("seed data rejected: {e}")))?;
        }
        let (shutdown, shutdown_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            config,
            base_url: format!("http://{local}"),
            store: Mutex::new(store),
            sessions: Mutex::new(Sessions::default()),
            knobs: Mutex::new(Knobs::default()),
            stats: Mutex::new(Stats::default()),
            started: Instant::now(),
            shutdown: shutdown_rx,
        });
        let router = api::router(shared.clone());
        let task = tokio::spawn(crate::server::accept_loop(listener, shared.clone(), router));
        Ok(Sandbox {
            shared,
            shutdown,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash; also the token response's `instance_url`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &SandboxConfig {
        &self.shared.config
    }

    /// Sets (or with `None` clears) the latency added to every API request.
    pub fn set_latency(&self, latency: Option<Latency>) {
        lock(&self.shared.knobs).latency = latency;
    }

    /// Adds a fault rule; rules are tried in the order they were added.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.shared.knobs).faults.push(rule);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.knobs).faults.clear();
    }

    /// Forces the query page size (overriding `Sforce-Query-Options`), or with `None` goes back
    /// to Salesforce's rules.
    pub fn set_query_batch_size(&self, size: Option<usize>) {
        lock(&self.shared.knobs).query_batch_size = size.filter(|n| *n > 0);
    }

    /// Revokes every issued access token: the next data call gets 401 `INVALID_SESSION_ID`.
    pub fn expire_sessions(&self) {
        lock(&self.shared.sessions).expire_all();
    }

    /// API requests received since start or the last [`Sandbox::reset_stats`] (admin excluded).
    pub fn request_count(&self) -> u64 {
        lock(&self.shared.stats).count
    }

    /// The API requests received, oldest first.
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.stats).log.iter().cloned().collect()
    }

    /// Clears the request counter and log.
    pub fn reset_stats(&self) {
        let mut stats = lock(&self.shared.stats);
        stats.count = 0;
        stats.log.clear();
    }

    /// A record's fields (every field, null where unset, formulas computed, no `attributes`).
    /// `object` is matched case-insensitively; `id` may have 15 or 18 characters.
    pub fn record(&self, object: &str, id: &str) -> Option<Map<String, Value>> {
        let obj = object_def(object).ok()?;
        let id = parse_id(obj, id).ok()?;
        let store = lock(&self.shared.store);
        store.get(obj.name, &id).map(|r| store.full_fields(obj, r))
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

    /// Stops accepting, lets open connections finish (up to 5 s) and returns when the server has
    /// stopped. Held (timeout-fault) requests are released at once.
    pub async fn shutdown(mut self) {
        self.shutdown.send_replace(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // The accept loop and every connection watch this; they stop on their own.
        self.shutdown.send_replace(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handle_can_be_shared_across_tasks() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Sandbox>();
    }
}
