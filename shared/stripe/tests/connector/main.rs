//! The connector against the in-process Stripe sandbox (one test binary, so it links once).

mod auth;
mod common;
mod customers;
mod idempotency;
mod payment_intents;
mod refunds;
mod resilience;
mod timing;
