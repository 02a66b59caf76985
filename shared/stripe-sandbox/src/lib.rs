//! A Stripe sandbox: an HTTP server speaking the subset of the Stripe API the connector uses, with
//! Stripe's form-encoded requests, JSON shapes, status codes, error bodies, idempotency keys and
//! test payment methods. Nothing is seeded: every object is created through the API.
//!
//! Used in-process by tests and the local stack ([`StripeSandbox::start`] on an ephemeral port) and
//! standalone as the `stripe-sandbox` binary.
//!
//! # What it serves
//! - Auth: `Authorization: Bearer sk_test_...` with the configured key, else 401.
//! - `POST /v1/customers`, `GET /v1/customers?email=&limit=` (Stripe's list shape, case-sensitive
//!   email filter, newest first), `GET /v1/customers/{id}`.
//! - `POST /v1/payment_intents` (optionally `confirm=true` with a `payment_method`),
//!   `GET /v1/payment_intents/{id}` (`expand[]=latest_charge`), `POST .../{id}/confirm`.
//! - `POST /v1/refunds` (for a succeeded PaymentIntent; full or partial), `GET /v1/refunds/{id}`.
//! - `GET /v1/payment_methods/{id}` for the test payment methods, with their cards (brand, last
//!   four); charges carry the same card in `payment_method_details`.
//! - Idempotency: every POST with an `Idempotency-Key` saves its first response and replays it
//!   (`Idempotent-Replayed: true`); other parameters under the same key are a 400
//!   `idempotency_error`, a key still in use a 409. See `idempotency`.
//! - `/__sandbox/*`: the knobs over HTTP (stats, latency, faults, reset, completing 3-D Secure).
//!
//! Test payment methods: `pm_card_visa` and `pm_card_mastercard` succeed; `pm_card_chargeDeclined`
//! (`generic_decline`), `pm_card_chargeDeclinedInsufficientFunds` or `pm_card_insufficientFunds`
//! (`insufficient_funds`) and Stripe's other `pm_card_chargeDeclined*` decline with a 402;
//! `pm_card_authenticationRequired` leaves the PaymentIntent in `requires_action`.
//!
//! # Example
//! ```no_run
//! use dewy_stripe_sandbox::{Fault, FaultRule, StripeSandbox, StripeSandboxConfig};
//!
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = StripeSandbox::start(StripeSandboxConfig::default()).await?;
//! // Point the connector at sandbox.base_url() with sandbox.api_key().
//! sandbox.add_fault(FaultRule::new(Fault::ServerError).path("/v1/payment_intents").after_handling().times(1));
//! // ... run a checkout ...
//! let paid = sandbox.payment_intents().iter().filter(|pi| pi.metadata.get("booking_number")
//!     .is_some_and(|b| b == "BK-0001")).count();
//! # let _ = paid;
//! # Ok(())
//! # }
//! ```
//!
//! # Knobs
//! Latency ([`Latency`]), fault rules ([`FaultRule`]: 500, 429 with `Retry-After` and
//! `Stripe-Should-Retry`, timeout, dropped connection; before or after handling), a request log
//! ([`LoggedRequest`], with each request's idempotency key and whether it was replayed), counters
//! and [`StripeSandbox::reset`]. All but the last are the sandbox kit's (`dewy-sandbox-kit`), shared
//! with the Salesforce and Twilio sandboxes.
//!
//! # Layout
//! - `form`: the `x-www-form-urlencoded` decoder with bracket notation; `api::params` reads it the
//!   way Stripe does (unknown parameters refused, metadata limits).
//! - `idempotency`: the per-API-key store of idempotency keys and saved responses.
//! - `store`: the objects and Stripe's rules (amount minimums, test cards, confirm states, refunds)
//!   as plain synchronous code; `store::render` their JSON.
//! - [`records`](crate::PaymentIntentRecord): the stored objects, public for inspection.
//! - `api`: the HTTP routes (`api::auth` checks the key; `api::post` runs every POST through the
//!   idempotency store, detached from the connection); `server`: Stripe's wording of the kit's
//!   answers (admin JSON, the injected 500 and 429). The accept loop, fault injection, the request
//!   log and the common admin routes are the kit's.

mod api;
mod config;
mod error;
mod form;
mod idempotency;
mod ids;
mod records;
mod sandbox;
mod server;
mod state;
mod store;

pub use config::StripeSandboxConfig;
pub use dewy_sandbox_kit::{Fault, FaultPhase, FaultRule, Latency, LoggedRequest};
pub use error::{ErrorType, SandboxError};
pub use records::{
    ChargeRecord, CustomerRecord, NextActionRecord, PaymentErrorRecord, PaymentIntentRecord,
    PaymentIntentStatus, RefundRecord,
};
pub use sandbox::StripeSandbox;
