//! [`StripeSandbox`]: a running server and the knobs and state behind it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use dewy_sandbox_kit::{Controls, Listener, Server};

use crate::api;
use crate::config::StripeSandboxConfig;
use crate::error::SandboxError;
use crate::idempotency::IdempotencyStore;
use crate::records::{ChargeRecord, CustomerRecord, PaymentIntentRecord, RefundRecord};
use crate::server::StripeApi;
use crate::state::{Shared, lock};
use crate::store::Store;

/// A running sandbox: an HTTP server on its own port. It shuts down when dropped.
///
/// The knobs ([`StripeSandbox::set_latency`], [`StripeSandbox::add_fault`], the request log) are
/// the sandbox kit's. The inspection methods ([`StripeSandbox::payment_intents`] and friends) read
/// the state directly: they are not counted as requests and get no latency or faults.
#[derive(Debug)]
pub struct StripeSandbox {
    shared: Arc<Shared>,
    server: Server,
}

dewy_sandbox_kit::sandbox_handle!(StripeSandbox, server, StripeSandboxConfig);

impl StripeSandbox {
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
        let listener = Listener::bind(addr).await?;
        let controls = Arc::new(Controls::new(StripeApi));
        let shared = Arc::new(Shared {
            config,
            store: Mutex::new(Store {
                browser_base: listener.base_url().to_owned(),
                ..Store::default()
            }),
            idempotency: Mutex::new(IdempotencyStore::default()),
            controls: controls.clone(),
        });
        let router = api::router(shared.clone());
        Ok(StripeSandbox {
            shared,
            server: listener.serve(controls, router),
        })
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &StripeSandboxConfig {
        &self.shared.config
    }

    /// The secret key clients must send.
    pub fn api_key(&self) -> &str {
        &self.shared.config.api_key
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
}

/// Clears objects, idempotency keys, knobs and stats (each under its own lock).
pub(crate) fn reset_all(shared: &Shared) {
    let mut store = lock(&shared.store);
    *store = Store {
        browser_base: std::mem::take(&mut store.browser_base),
        ..Store::default()
    };
    drop(store);
    lock(&shared.idempotency).clear();
    shared.controls.reset();
}
