//! [`StripeSandbox`]: a running server and the knobs and state behind it.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::api;
use crate::config::StripeSandboxConfig;
use crate::error::SandboxError;
use crate::idempotency::IdempotencyStore;
use crate::knobs::{FaultRule, Knobs, Latency, LoggedRequest, Stats};
use crate::records::{ChargeRecord, CustomerRecord, PaymentIntentRecord, RefundRecord};
use crate::state::{Shared, lock};
use crate::store::Store;

/// A running sandbox: an HTTP server on its own port. It shuts down when dropped.
///
/// The inspection methods ([`StripeSandbox::payment_intents`] and friends) read the state directly:
/// they are not counted as requests and get no latency or faults.
#[derive(Debug)]
pub struct StripeSandbox {
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl StripeSandbox {
    /// Starts a sandbox on `127.0.0.1` with an ephemeral port.
    ///
    /// The server runs on the calling tokio runtime and stops with it (or when the handle is
    /// dropped), so a sandbox shared between tests must live on a runtime that outlives them.
    ///
    /// # Errors
    /// If the configured key is not a test-mode key (`sk_test_...`), or the port cannot be bound.
    pub async fn start(config: StripeSandboxConfig) -> std::io::Result<StripeSandbox> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts a sandbox on `addr`.
    ///
    /// # Errors
    /// If the configured key is not a test-mode key (`sk_test_...`), or the address cannot be bound.
    pub async fn start_on(addr: SocketAddr, config: StripeSandboxConfig) -> std::io::Result<StripeSandbox> {
        if !config.accepts(&config.api_key) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the sandbox's API key must be a test-mode key (sk_test_...)",
            ));
        }
        let listener = TcpListener::bind(addr).await?;
        let mut local = listener.local_addr()?;
        if local.ip().is_unspecified() {
            // Bound to every interface: clients reach it on loopback.
            local.set_ip(Ipv4Addr::LOCALHOST.into());
        }
        let (shutdown, shutdown_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            config,
            base_url: format!("http://{local}"),
            store: Mutex::new(Store::default()),
            idempotency: Mutex::new(IdempotencyStore::default()),
            knobs: Mutex::new(Knobs::default()),
            stats: Mutex::new(Stats::default()),
            started: Instant::now(),
            shutdown: shutdown_rx,
        });
        let router = api::router(shared.clone());
        let task = tokio::spawn(crate::server::accept_loop(listener, shared.clone(), router));
        Ok(StripeSandbox {
            shared,
            shutdown,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash: the connector's base URL.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &StripeSandboxConfig {
        &self.shared.config
    }

    /// The secret key clients must send.
    pub fn api_key(&self) -> &str {
        &self.shared.config.api_key
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

    /// API requests received since start or the last reset (admin requests excluded).
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

    /// Back to a fresh sandbox: no objects, no idempotency keys, no latency or faults, no stats.
    pub fn reset(&self) {
        reset_all(&self.shared);
    }

    /// Every customer, oldest first.
    pub fn customers(&self) -> Vec<CustomerRecord> {
        lock(&self.shared.store).customers.clone()
    }

    /// Every PaymentIntent, oldest first.
    pub fn payment_intents(&self) -> Vec<PaymentIntentRecord> {
        lock(&self.shared.store).payment_intents.clone()
    }

    /// One PaymentIntent.
    pub fn payment_intent(&self, id: &str) -> Option<PaymentIntentRecord> {
        lock(&self.shared.store).payment_intent(id).cloned()
    }

    /// Every charge (one per payment attempt, failed ones included), oldest first.
    pub fn charges(&self) -> Vec<ChargeRecord> {
        lock(&self.shared.store).charges.clone()
    }

    /// Every refund, oldest first.
    pub fn refunds(&self) -> Vec<RefundRecord> {
        lock(&self.shared.store).refunds.clone()
    }

    /// Completes (`approve`) or fails the 3-D Secure step of a PaymentIntent in `requires_action`,
    /// standing in for the customer's browser; returns the PaymentIntent afterwards.
    ///
    /// # Errors
    /// No such PaymentIntent (404), or it is not in `requires_action` (400).
    pub fn authenticate(
        &self,
        payment_intent: &str,
        approve: bool,
    ) -> Result<PaymentIntentRecord, SandboxError> {
        let mut store = lock(&self.shared.store);
        store.authenticate(payment_intent, approve)?;
        store
            .payment_intent(payment_intent)
            .cloned()
            .ok_or_else(|| SandboxError::no_such(404, "payment_intent", payment_intent, "intent"))
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

/// Clears objects, idempotency keys, knobs and stats (each under its own lock).
pub(crate) fn reset_all(shared: &Shared) {
    *lock(&shared.store) = Store::default();
    lock(&shared.idempotency).clear();
    *lock(&shared.knobs) = Knobs::default();
    *lock(&shared.stats) = Stats::default();
}

impl Drop for StripeSandbox {
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
        assert_send_sync::<StripeSandbox>();
    }
}
