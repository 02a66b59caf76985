//! Checkout with payment, and its compensation (docs/tools.md#check-in-and-checkout).
//!
//! # Layout
//! - [`process_guest_checkout`]: charge the guest and check their current stay out, refunding
//!   automatically if Salesforce cannot record it;
//! - [`compensate_checkout_failure`]: a manager's full refund with the stay put back;
//! - [`folio`]: a stay's bill from Salesforce, which checkout charges;
//! - [`get_stay_folio`]: that bill, shown before checkout;
//! - `stay`: how both find a guest and their stays (by status); the stay itself is `crate::stay`;
//! - `stripe_calls`: the Stripe idempotency keys and the full refund both make;
//! - `lease`: one checkout or compensation of a guest at a time, across callers and instances.

pub mod compensate_checkout_failure;
pub mod process_guest_checkout;

pub mod folio;
pub mod get_stay_folio;
mod lease;
mod stay;
mod stripe_calls;
