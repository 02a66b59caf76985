//! A charge a checkout made and never recorded: the checkout stopped (a crash, its deadline)
//! between the payment and the Composite write, so its lease lapsed instead of being released,
//! and the stay is still Checked In although the guest has paid.
//!
//! A new payment of the guest first looks for such a charge, once per lapse (the lease remembers
//! the lapse until then, see `lease::Carried`): every PaymentIntent created since the lapsed
//! checkout could have taken the lease, from Stripe's list endpoint (which reads what was just
//! written, unlike the Search API), kept if its metadata names the guest. One Stripe round trip,
//! only after a lapse. The lapse is settled once no open payment of the guest is left but the one
//! this checkout records; one for another of the guest's stays keeps it for that stay's checkout.
//!
//! - Paid and not refunded: the checkout is recorded with it (the saga's write, refund if the
//!   write fails) and nothing new is charged.
//! - Waiting for the guest or for Stripe: `409 CHECKOUT_IN_PROGRESS` naming it, as for a payment a
//!   released checkout left waiting; the lease now carries it as that.
//! - Refunded, declined or canceled: over; the new payment goes on.

use super::{META_BOOKING_NUMBER, META_GUEST_EMAIL, NO_PAYMENT_WAITING};
use crate::checkout::lease::{self, Awaiting};
use crate::stay::Stay;
use dewy_domain::ToolError;
use dewy_domain::input::Email;
use dewy_stripe::{PaymentIntent, PaymentIntentStatus, Stripe};
use dewy_tool::backend_error;
use dewy_tool::lease::LONGEST_HOLD;

/// Pages of 100 PaymentIntents read at most: a hotel makes far fewer payments in the window.
const MAX_PAGES: usize = 20;

/// What the lapsed checkout left open for the guest `email`: their payments created since it
/// could have taken the lease (`lapsed` is when its lease lapsed, Unix seconds), newest first.
pub(super) async fn find(
    stripe: &Stripe,
    email: &Email,
    lapsed: u64,
) -> Result<Vec<PaymentIntent>, ToolError> {
    let since = lapsed.saturating_sub(LONGEST_HOLD.as_secs());
    let intents = stripe
        .list_payment_intents_since(i64::try_from(since).unwrap_or(i64::MAX), MAX_PAGES)
        .await
        .map_err(backend_error::stripe)?;
    Ok(intents
        .into_iter()
        .filter(|intent| {
            let guests = intent
                .metadata
                .get(META_GUEST_EMAIL)
                .is_some_and(|e| e.eq_ignore_ascii_case(email.as_str()));
            guests && still_open(intent)
        })
        .collect())
}

/// The newest of `open` that pays for `stay`; the others stay unsettled (another stay's).
pub(super) fn for_stay(open: Vec<PaymentIntent>, stay: &Stay) -> (Option<PaymentIntent>, usize) {
    let (mine, others): (Vec<_>, Vec<_>) = open.into_iter().partition(|intent| {
        intent
            .metadata
            .get(META_BOOKING_NUMBER)
            .is_some_and(|b| b.eq_ignore_ascii_case(&stay.booking_number))
    });
    if mine.len() > 1 {
        // Two open payments for one stay predate this invariant: the newest is recorded.
        tracing::error!(booking = %stay.booking_number, count = mine.len(), "more than one open payment for a stay");
    }
    (mine.into_iter().next(), others.len())
}

/// Paid and not wholly refunded, or still able to be paid.
fn still_open(intent: &PaymentIntent) -> bool {
    match intent.status {
        PaymentIntentStatus::Succeeded => intent
            .charge()
            .is_none_or(|charge| charge.amount_refunded < charge.amount),
        PaymentIntentStatus::RequiresAction
        | PaymentIntentStatus::RequiresConfirmation
        | PaymentIntentStatus::Processing
        | PaymentIntentStatus::RequiresCapture => true,
        _ => false,
    }
}

/// How the found payment decides the checkout: `Ok` when it is paid and the checkout must be
/// recorded with it; otherwise the 409 naming it, with the lease now carrying it as a payment that
/// waits (`awaiting`).
pub(super) fn decide(
    ctx: &dewy_tool::Context,
    stay: &Stay,
    intent: &PaymentIntent,
    awaiting: &mut Option<Awaiting>,
) -> Result<(), ToolError> {
    let audit = ctx.audit();
    if intent.status == PaymentIntentStatus::Succeeded {
        tracing::warn!(booking = %stay.booking_number, payment_intent = %intent.id, "recording the charge of a checkout that stopped before recording it");
        audit.passed(ORPHAN_RECORDED, Some(&intent.id));
        return Ok(());
    }
    let waiting = Awaiting {
        payment_intent_id: intent.id.clone(),
        booking_number: stay.booking_number.clone(),
    };
    let refusal = lease::check_not_awaiting(intent, &waiting);
    *awaiting = Some(waiting);
    audit.check_on(NO_PAYMENT_WAITING, &intent.id, refusal)
}

/// The audit check of a lapsed checkout's charge recorded instead of a new one.
const ORPHAN_RECORDED: &str = "unrecorded_charge_recorded";
