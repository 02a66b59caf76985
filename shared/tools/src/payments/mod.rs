//! The Stripe atomic skills: single payment operations for managers (docs/tools.md).
//!
//! Unlike the original's atomics, which returned null fields on any failure, each skill checks its
//! input before anything reaches Stripe (amounts, currency, the shape of every id) and answers a
//! Stripe failure with the code the caller can act on (`backend_error::stripe`): a declined card is
//! `402 PAYMENT_FAILED` with the decline code, a refund Stripe will not make is `422
//! PAYMENT_NOT_REFUNDABLE`, an unknown id is `400 PAYMENT_NOT_FOUND`, an outage is `503
//! STRIPE_UNAVAILABLE`.
//!
//! Every write sends Stripe an `Idempotency-Key` derived from the operation's own key (scoped to the
//! caller, stable across retries; see [`stripe_key`]), never the client's raw token: a retried call
//! reaches Stripe as the same request, so it never creates or charges twice.
//!
//! # Layout
//! - one module per skill; `retrieve_stripe_payment_status` and `stripe_payment_status` are one
//!   implementation under two names, in [`payment_status`];
//! - [`input`]: the parsed inputs (Stripe ids, amounts in cents, currency, refund reason);
//! - [`view`]: how a PaymentIntent's charge, error and next action are shown.

pub mod confirm_stripe_payment;
pub mod create_stripe_customer;
pub mod create_stripe_payment_intent;
pub mod create_stripe_refund;
pub mod input;
pub mod payment_status;
pub mod view;

use dewy_domain::ToolError;
use dewy_stripe::{CardDetails, PaymentIntent, Refund, StripeIdempotencyKey};
use dewy_tool::confirm::{Card, MoneyDirection, StayRef};
use dewy_tool::{Context, MoneyMove, backend_error};

/// The `Idempotency-Key` of the write `step` of this operation: the operation's key (the caller and
/// their token, or the identifying fields) plus the step, so that a retry of the tool call repeats
/// the same Stripe request and Stripe replays it instead of running it twice.
///
/// Only side-effecting tools have an operation key; asking for one elsewhere is a bug, answered as
/// an internal error rather than a Stripe write without a key.
pub(crate) fn stripe_key(ctx: &Context, step: &str) -> Result<StripeIdempotencyKey, ToolError> {
    let Some(key) = ctx.downstream_key(step) else {
        tracing::error!(step, "a Stripe write was attempted without an operation key");
        return Err(ToolError::internal());
    };
    StripeIdempotencyKey::parse(key).map_err(|error| {
        tracing::error!(step, %error, "the operation key is not a valid Stripe idempotency key");
        ToolError::internal()
    })
}

/// Records a PaymentIntent written at Stripe (created, or confirmed) in the status Stripe answered.
/// Its status before is not read first, so it is left out.
pub(crate) fn audit_payment_intent(ctx: &Context, intent: &PaymentIntent) {
    ctx.audit().changed(
        "PaymentIntent",
        &intent.id,
        Some("status"),
        None,
        intent.status.as_str(),
    );
}

/// Records a refund Stripe made, in its status: money moved back, whatever Salesforce holds.
pub(crate) fn audit_refund(ctx: &Context, refund: &Refund) {
    ctx.audit()
        .changed("Refund", &refund.id, Some("status"), None, refund.status.as_str());
}

/// Records a Stripe customer created for a guest.
pub(crate) fn audit_customer(ctx: &Context, customer_id: &str) {
    ctx.audit().created_record("Customer", customer_id);
}

/// A move of money on an existing payment, as a person confirms it: `amount` of `intent`'s
/// currency charged or refunded, on the card its charge was paid with (or, before a first charge,
/// `card`), for the stay its metadata names.
pub(crate) fn move_on(
    intent: &PaymentIntent,
    direction: MoneyDirection,
    amount: u64,
    card: Option<Card>,
) -> MoneyMove {
    MoneyMove {
        direction,
        amount,
        currency: intent.currency.clone(),
        card: card.or_else(|| paid_with(intent)),
        stay: intent.metadata.get("booking_number").map(|number| StayRef {
            booking_number: number.clone(),
            room_number: None,
            check_in_date: None,
            check_out_date: None,
            guest_name: None,
        }),
    }
}

/// What is left to refund of a payment: what it collected less what was refunded already.
pub(crate) fn refundable(intent: &PaymentIntent) -> u64 {
    let refunded = intent.charge().map_or(0, |charge| charge.amount_refunded);
    intent.amount_received.saturating_sub(refunded)
}

/// The card a payment's charge was paid with.
fn paid_with(intent: &PaymentIntent) -> Option<Card> {
    let details = intent.charge()?.payment_method_details.as_ref()?;
    details.card.clone().map(card)
}

/// The card of a payment method, read from Stripe: what a person recognises a charge by.
pub(crate) async fn card_of_method(ctx: &Context, payment_method: &str) -> Result<Option<Card>, ToolError> {
    let method = ctx
        .stripe()?
        .retrieve_payment_method(payment_method)
        .await
        .map_err(backend_error::stripe)?;
    Ok(method.card.map(card))
}

fn card(details: CardDetails) -> Card {
    Card {
        brand: details.brand,
        last4: details.last4,
    }
}
