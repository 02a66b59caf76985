//! [`TwilioSandbox`]: a running server and the knobs and state behind it.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::api;
use crate::config::TwilioSandboxConfig;
use crate::knobs::{FaultRule, Knobs, Latency, LoggedRequest, Stats};
use crate::state::{Shared, lock};
use crate::store::{SentMessage, Store};

/// A running sandbox: an HTTP server on its own port. It shuts down when dropped.
///
/// [`TwilioSandbox::messages`] and [`TwilioSandbox::message`] read the store directly: they are not
/// counted and get no latency or faults.
#[derive(Debug)]
pub struct TwilioSandbox {
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl TwilioSandbox {
    /// Starts a sandbox on `127.0.0.1` with an ephemeral port.
    ///
    /// The server runs on the calling tokio runtime and stops with it (or when the handle is
    /// dropped), so a sandbox shared between tests must live on a runtime that outlives them.
    ///
    /// # Errors
    /// If the port cannot be bound.
    pub async fn start(config: TwilioSandboxConfig) -> std::io::Result<TwilioSandbox> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts a sandbox on `addr`.
    ///
    /// # Errors
    /// If the address cannot be bound.
    pub async fn start_on(addr: SocketAddr, config: TwilioSandboxConfig) -> std::io::Result<TwilioSandbox> {
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
            knobs: Mutex::new(Knobs::default()),
            stats: Mutex::new(Stats::default()),
            started: Instant::now(),
            shutdown: shutdown_rx,
        });
        let router = api::router(shared.clone());
        let task = tokio::spawn(crate::server::accept_loop(listener, shared.clone(), router));
        Ok(TwilioSandbox {
            shared,
            shutdown,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash: the connector's base URL.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The configuration it was started with (account, credentials, senders).
    pub fn config(&self) -> &TwilioSandboxConfig {
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
        reset_stats(&self.shared);
    }

    /// Forgets every message, the request counter and log, the fault rules and the latency.
    pub fn reset(&self) {
        reset(&self.shared);
    }

    /// Every message accepted, oldest first, as stored now (bodies included).
    pub fn messages(&self) -> Vec<SentMessage> {
        lock(&self.shared.store).all()
    }

    /// One message by SID.
    pub fn message(&self, sid: &str) -> Option<SentMessage> {
        lock(&self.shared.store).get(sid).cloned()
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

impl Drop for TwilioSandbox {
    fn drop(&mut self) {
        // The accept loop and every connection watch this; they stop on their own.
        self.shutdown.send_replace(true);
    }
}

fn reset_stats(shared: &Shared) {
    let mut stats = lock(&shared.stats);
    stats.count = 0;
    stats.log.clear();
}

/// Back to the state of a fresh start (same port, same configuration).
pub(crate) fn reset(shared: &Shared) {
    lock(&shared.store).clear();
    *lock(&shared.knobs) = Knobs::default();
    reset_stats(shared);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handle_can_be_shared_across_tasks() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<TwilioSandbox>();
    }
}
