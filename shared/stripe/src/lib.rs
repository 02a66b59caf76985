//! The Stripe connector: Stripe's form-encoded API with an `Idempotency-Key` on every POST, typed
//! errors with decline codes, and the hub's shared resilience (deadline, one retry layer, circuit
//! breaker, call recording).
//!
//! # Layout
//! - [`Stripe`] (`client`): the client, built once per container, scoped per invocation with a
//!   [`CallRecorder`](dewy_connector::CallRecorder) and a [`Deadline`](dewy_connector::Deadline).
//!   Every request may be retried: GETs read, and POSTs carry a [`StripeIdempotencyKey`], so a repeat
//!   of one that had landed is replayed by Stripe rather than run twice.
//! - `customer`, `payment_intent`, `refund`: one module per resource, each with its request
//!   parameters, its response type (only the fields the hub reads; unknown fields and enum values
//!   are tolerated) and its operations.
//! - [`StripeError`] (`error`): Stripe's error bodies decoded (card declines with their decline code
//!   and PaymentIntent), and transport failures.
//! - `form`: Stripe's bracket notation (`metadata[k]`, `expand[]`) for bodies and query strings.
//!
//! # Example
//! ```no_run
//! use dewy_stripe::{CreatePaymentIntent, StripeIdempotencyKey, Stripe, StripeConfig, StripeError};
//!
//! # async fn demo(token: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let stripe = Stripe::new(StripeConfig::stripe("sk_test_..."), dewy_connector::http_client());
//! let key = StripeIdempotencyKey::parse(token)?.for_step("payment")?;
//! let intent = CreatePaymentIntent::new(5000, "usd")
//!     .customer("cus_123")
//!     .description("Hotel checkout payment")
//!     .metadata("booking_number", "BK-0001")
//!     .confirm_with("pm_card_visa");
//! match stripe.create_payment_intent(&intent, &key).await {
//!     Ok(pi) if pi.is_succeeded() => println!("charged: {:?}", pi.charge_id()),
//!     Ok(pi) => println!("needs the customer: {}", pi.status),
//!     Err(StripeError::Card { decline_code, .. }) => println!("declined: {decline_code:?}"),
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(())
//! # }
//! ```

mod client;
mod config;
mod customer;
mod error;
mod form;
mod idempotency_key;
mod payment_intent;
mod refund;
mod wire_enum;

pub use client::Stripe;
pub use config::StripeConfig;
pub use customer::{CreateCustomer, Customer};
pub use error::StripeError;
pub use idempotency_key::{InvalidStripeIdempotencyKey, StripeIdempotencyKey};
pub use payment_intent::{
    CardDetails, Charge, ConfirmPaymentIntent, CreatePaymentIntent, LatestCharge, NextAction, PaymentError,
    PaymentIntent, PaymentIntentStatus, PaymentMethod, PaymentMethodDetails, RedirectToUrl,
};
pub use refund::{CreateRefund, Refund, RefundReason, RefundStatus};
