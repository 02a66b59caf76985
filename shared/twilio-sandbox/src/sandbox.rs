//! [`TwilioSandbox`]: a running server and the knobs and state behind it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use dewy_sandbox_kit::{Controls, Listener, Server};

use crate::api;
use crate::config::TwilioSandboxConfig;
use crate::server::TwilioApi;
use crate::state::{Shared, lock};
use crate::store::{SentMessage, Store};

/// A running sandbox: an HTTP server on its own port. It shuts down when dropped.
///
/// The knobs ([`TwilioSandbox::set_latency`], [`TwilioSandbox::add_fault`], the request log) are
/// the sandbox kit's. [`TwilioSandbox::messages`] and [`TwilioSandbox::message`] read the store
/// directly: they are not counted and get no latency or faults.
#[derive(Debug)]
pub struct TwilioSandbox {
    shared: Arc<Shared>,
    server: Server,
}

dewy_sandbox_kit::sandbox_handle!(TwilioSandbox, server, TwilioSandboxConfig);

impl TwilioSandbox {
    /// Starts a sandbox on `addr`.
    ///
    /// # Errors
    /// If the address cannot be bound.
    pub async fn start_on(addr: SocketAddr, config: TwilioSandboxConfig) -> std::io::Result<TwilioSandbox> {
        let listener = Listener::bind(addr).await?;
        let controls = Arc::new(Controls::new(TwilioApi));
        let shared = Arc::new(Shared {
            config,
            store: Mutex::new(Store::default()),
            controls: controls.clone(),
        });
        let router = api::router(shared.clone());
        Ok(TwilioSandbox {
            shared,
            server: listener.serve(controls, router),
        })
    }

    /// The configuration it was started with (account, credentials, senders).
    pub fn config(&self) -> &TwilioSandboxConfig {
        &self.shared.config
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
}

/// Back to the state of a fresh start (same port, same configuration).
pub(crate) fn reset(shared: &Shared) {
    lock(&shared.store).clear();
    shared.controls.reset();
}
