//! `compensate_checkout_failure`: the manager's saga step that undoes a paid checkout: a full
//! refund, and the stay put back (booking Checked In, room Occupied, opportunity reopened).
//!
//! Three sequential round trips:
//! 1. **read**, in parallel: the PaymentIntent, the guest's Contact, and the guest's checked-out
//!    stays with room and opportunity;
//! 2. **refund**, in full, its result checked (the original never looked);
//! 3. **revert**: one Composite `allOrNone` request, only when the room is still free for the guest.
//!
//! A repeat is safe: the refund's Stripe key comes from this operation's token, so Stripe replays
//! the same refund rather than refunding again, and `compensation_id` is derived from the refund.

mod revert;

use super::lease;
use super::stay::{self, Narrowing};
use super::stripe_calls;
use crate::payments;
use crate::stay::Stay;
use chrono::NaiveDate;
use dewy_domain::input::{Email, IdempotencyToken, Text};
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::{ErrorCode, ToolError};
use dewy_stripe::{PaymentIntent, Refund};
use dewy_tool::confirm::{MoneyDirection, money};
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec, backend_error};
use revert::Plan;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `compensate_checkout_failure`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompensateInput {
    /// The checkout's payment, as the checkout or its error returned it.
    #[schemars(extend("pattern" = "^pi_[A-Za-z0-9_]{1,252}$"))]
    pub payment_intent_id: String,
    /// The email of the guest who paid.
    pub guest_email: Email,
    /// A UUID; resending it never refunds twice.
    pub idempotency_token: IdempotencyToken,
    /// Why the checkout is undone (kept with the refund).
    #[serde(default)]
    pub reason: Option<Text<500>>,
}

/// Output of `compensate_checkout_failure`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompensateOutput {
    /// `comp_` and the refund id: the same for a replay and for a repeat of this compensation.
    pub compensation_id: String,
    /// The Stripe refund id (re_...).
    pub refund_id: String,
    /// The amount refunded, in cents.
    pub refund_amount: u64,
    /// The refund's status, e.g. succeeded or pending.
    pub refund_status: String,
    /// Whether the stay was put back in Salesforce.
    pub salesforce_reverted: bool,
    /// The booking's record id, when a checked-out stay was found.
    pub booking_id: Option<String>,
    /// The booking's number, when a checked-out stay was found.
    pub booking_number: Option<String>,
    /// What was done, and why Salesforce was left as it is if it was.
    pub message: String,
}

/// The `compensate_checkout_failure` tool.
pub struct CompensateCheckoutFailure;

impl Tool for CompensateCheckoutFailure {
    type Input = CompensateInput;
    type Output = CompensateOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "compensate_checkout_failure",
        personas: crate::personas::MANAGER,
        deployment: crate::deployment::ORCHESTRATOR.with_stripe(),
        description: "Undo a paid checkout: refunds the payment in full, then puts the guest's stay back \
            (booking Checked In, room Occupied, opportunity Negotiation/Review) if the room is still free.",
        effect: Effect::overwrites(KeyFrom::Token("idempotency_token")).moving_money(),
        open_world: true,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager@dewyhotel.com",
            json!({
                "payment_intent_id": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
                "guest_email": "guest1@hotel.com",
                "idempotency_token": "d4f6a8c0-2e4a-4b6c-8e0a-3c5e7a9b1d57",
                "reason": "Salesforce did not record the checkout; refunding the guest.",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: CompensateInput) -> Result<CompensateOutput, ToolError> {
        let intent_id = parse_intent_id(&input.payment_intent_id)?;
        let stripe = ctx.stripe()?;
        let email = &input.guest_email;

        // Round trip 1: the payment, the guest and their checked-out stays, at once, with the
        // guest's checkout lease taken beside them: no checkout or other compensation of the guest
        // runs meanwhile, so two compensations of one payment never both refund and revert.
        let (lease, (intent, guest, stays)) = lease::read_under_lease(ctx, email, || async {
            Ok(tokio::join!(
                async { stripe.retrieve_payment_intent(intent_id).await },
                stay::find_guest(ctx, email),
                stay::find(ctx, email, &[BookingStatus::CheckedOut], Narrowing::default()),
            ))
        })
        .await?;
        let result = compensate(ctx, &input, intent, guest, stays).await;
        lease.release_as_found(ctx).await;
        result
    }
}

/// The compensation once the lease is held and round trip 1 is read.
async fn compensate(
    ctx: &Context,
    input: &CompensateInput,
    intent: Result<PaymentIntent, dewy_stripe::StripeError>,
    guest: Result<Option<String>, ToolError>,
    stays: Result<Vec<Stay>, ToolError>,
) -> Result<CompensateOutput, ToolError> {
    let email = &input.guest_email;
    let audit = ctx.audit();
    let guest_id = audit.check("guest_found", guest?.ok_or_else(|| stay::guest_not_found(email)))?;
    let intent = intent.map_err(backend_error::stripe)?;
    audit.check_on("payment_refundable", &intent.id, check_refundable(&intent, email))?;
    let stays = stays?;
    let plan = revert::plan(revert::paid_stay(&stays, intent.charge_id()), &guest_id);
    plan.audit(ctx);

    // A person confirms the refund first when the caller's client can ask them: all that is left
    // of the payment, to the card it was paid with.
    ctx.confirm(|| async {
        let amount = payments::refundable(&intent);
        Ok(payments::move_on(&intent, MoneyDirection::Refund, amount, None))
    })
    .await?;

    // Round trip 2: the refund, checked.
    let refund = refund(ctx, &intent, input).await?;

    // Round trip 3: the revert, when it is safe.
    match plan {
        Plan::Revert { stay, guest_id } => {
            ctx.salesforce()
                .composite(&revert::revert_writes(&stay, &guest_id))
                .await
                .map_err(|e| revert_failed(backend_error::salesforce(e), &refund))?;
            stay.audit_moves(ctx, revert::REVERTED);
            let message = format!(
                "Refunded {} to the guest and put booking {} back: checked in, room {} occupied by the guest.",
                money(refund.amount, &refund.currency),
                stay.booking_number,
                stay.room_number
            );
            Ok(output(&refund, true, Some(&stay), message))
        }
        Plan::Leave { stay, why } => {
            let message = format!(
                "Refunded {} to the guest. Salesforce was not changed: {why}.",
                money(refund.amount, &refund.currency)
            );
            Ok(output(&refund, false, stay.as_ref(), message))
        }
    }
}

/// A PaymentIntent id that can go into Stripe's URL: `pi_` and letters, digits or `_`.
fn parse_intent_id(raw: &str) -> Result<&str, ToolError> {
    let id = raw.trim();
    let valid = id.len() <= 255
        && id.strip_prefix("pi_").is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
    if valid {
        Ok(id)
    } else {
        Err(ToolError::validation(
            "payment_intent_id must be a Stripe PaymentIntent id: pi_ followed by letters, digits or '_'.",
        )
        .with_details(json!({ "field": "payment_intent_id" })))
    }
}

/// Only a paid PaymentIntent of this guest can be compensated.
fn check_refundable(intent: &PaymentIntent, email: &Email) -> Result<(), ToolError> {
    if !intent.is_succeeded() {
        return Err(ToolError::new(
            ErrorCode::PaymentNotRefundable,
            format!(
                "Payment {} was not charged (status '{}'), so there is nothing to refund or undo.",
                intent.id,
                intent.status.as_str()
            ),
        )
        .with_details(json!({ "payment_intent_id": intent.id, "payment_status": intent.status.as_str() })));
    }
    // Checkout records the guest on the payment: a mismatch means the wrong guest or payment was named,
    // and the wrong guest's stay must not be put back.
    match intent.metadata.get("guest_email") {
        Some(paid_by) if !paid_by.eq_ignore_ascii_case(email.as_str()) => Err(ToolError::validation(format!(
            "Payment {} was made for another guest, not {email}. Check the payment_intent_id and guest_email.",
            intent.id
        ))
        .with_details(json!({ "payment_intent_id": intent.id, "guest_email": email }))),
        _ => Ok(()),
    }
}

async fn refund(ctx: &Context, intent: &PaymentIntent, input: &CompensateInput) -> Result<Refund, ToolError> {
    let reason = input
        .reason
        .as_ref()
        .map_or("Checkout compensation requested by a manager", |r| r.as_str());
    let metadata = [
        ("reason", reason),
        ("compensated_payment_intent", intent.id.as_str()),
    ];
    let refund = stripe_calls::refund_in_full(ctx, &intent.id, &metadata)
        .await?
        .map_err(|error| {
            let mut mapped = backend_error::stripe(error);
            if mapped.code == ErrorCode::PaymentNotRefundable {
                mapped.message = format!(
                    "Payment {} has already been refunded (by the checkout's automatic refund or an earlier \
                     compensation), so nothing more was refunded and Salesforce was not changed.",
                    intent.id
                );
            }
            mapped
        })?;
    crate::payments::audit_refund(ctx, &refund);
    // A refund Stripe accepted but then failed or canceled did not give the money back.
    if matches!(refund.status.as_str(), "failed" | "canceled") {
        tracing::error!(refund = %refund.id, status = refund.status.as_str(), "compensation refund did not go through");
        return Err(ToolError::new(
            ErrorCode::StripeError,
            format!(
                "Stripe did not complete the refund {} (status '{}'): the guest has NOT been refunded and Salesforce \
                 was not changed. Check the payment in Stripe.",
                refund.id,
                refund.status.as_str()
            ),
        )
        .with_details(json!({ "refund_id": refund.id, "refund_status": refund.status.as_str(), "retryable": false })));
    }
    Ok(refund)
}

/// The refund happened, the revert did not: said plainly, and retryable with the same token (Stripe
/// replays the refund, the revert runs again).
fn revert_failed(mut error: ToolError, refund: &Refund) -> ToolError {
    error.message = format!(
        "The guest was refunded ({}), but Salesforce could not be reverted: {} Retry with the same \
         idempotency_token to finish (the refund will not be repeated).",
        refund.id, error.message
    );
    let mut details = error.details.take().unwrap_or_else(|| json!({}));
    details["refund_id"] = json!(refund.id);
    error.with_details(details)
}

fn output(refund: &Refund, reverted: bool, stay: Option<&Stay>, message: String) -> CompensateOutput {
    CompensateOutput {
        compensation_id: format!("comp_{}", refund.id),
        refund_id: refund.id.clone(),
        refund_amount: refund.amount,
        refund_status: refund.status.as_str().to_owned(),
        salesforce_reverted: reverted,
        booking_id: stay.map(|s| s.booking_id.clone()),
        booking_number: stay.map(|s| s.booking_number.clone()),
        message,
    }
}
