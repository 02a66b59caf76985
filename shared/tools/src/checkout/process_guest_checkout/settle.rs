//! After a successful charge: record the checkout in Salesforce, or give the money back.
//!
//! The saga: the charge cannot be part of Salesforce's transaction, so a write that fails after
//! the charge is compensated by a full refund, and the answer is the final `CHECKOUT_REFUNDED`.
//! When the write's outcome is unknown (a timeout or a 5xx: Salesforce may have applied it), the
//! booking is read back first, so that a checkout that did land is never refunded.

use super::output::CheckoutCompleted;
use super::{CURRENCY, CheckoutInput};
use crate::checkout::stripe_calls;
use crate::record::Record;
use crate::stay::Stay;
use chrono::NaiveDate;
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::opportunity::{self, OpportunityStage};
use dewy_domain::objects::room::{self, RoomStatus};
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_salesforce::{CompositeRequest, SalesforceError};
use dewy_stripe::PaymentIntent;
use dewy_tool::{Context, backend_error};
use serde_json::{Value, json};

/// Records the paid checkout, or refunds the payment when that fails.
pub(super) async fn record_or_refund(
    ctx: &Context,
    input: &CheckoutInput,
    stay: &Stay,
    intent: &PaymentIntent,
) -> Result<CheckoutCompleted, ToolError> {
    let today = ctx.today();
    let charge_id = intent.charge_id().unwrap_or_else(|| {
        // A succeeded PaymentIntent always has a charge; keep a reference to the payment anyway.
        tracing::error!(payment_intent = %intent.id, "succeeded PaymentIntent without a charge id");
        &intent.id
    });
    let write = checkout_writes(stay, charge_id, intent.amount, today);
    let Err(failure) = ctx.salesforce().composite(&write).await else {
        stay.audit_moves(
            ctx,
            (
                BookingStatus::CheckedOut,
                RoomStatus::Cleaning,
                OpportunityStage::ClosedWon,
            ),
        );
        return Ok(completed(input, stay, intent, charge_id, today));
    };
    if outcome_unknown(&failure) && landed(ctx, &stay.booking_id).await {
        tracing::warn!(booking = %stay.booking_number, "checkout write reported a failure but was applied");
        stay.audit_moves(
            ctx,
            (
                BookingStatus::CheckedOut,
                RoomStatus::Cleaning,
                OpportunityStage::ClosedWon,
            ),
        );
        return Ok(completed(input, stay, intent, charge_id, today));
    }
    Err(refund(ctx, input, stay, intent, backend_error::salesforce(failure)).await)
}

/// The three updates of a checkout as one `allOrNone` Composite request. The opportunity records
/// what was paid (`Amount`, in dollars) beside the charge that paid it.
fn checkout_writes(stay: &Stay, charge_id: &str, paid_cents: u64, today: NaiveDate) -> CompositeRequest {
    let booking_update = json!({
        booking::STATUS: BookingStatus::CheckedOut,
        booking::CHECK_OUT_DATE: today,
    });
    let room_update = json!({ room::STATUS: RoomStatus::Cleaning, room::CURRENT_GUEST: Value::Null });
    let opportunity_update = json!({
        opportunity::STAGE: OpportunityStage::ClosedWon,
        opportunity::PAYMENT_ID: charge_id,
        opportunity::AMOUNT: paid_cents as f64 / 100.0,
        opportunity::CLOSE_DATE: today,
    });
    stay.update_all(booking_update, room_update, opportunity_update)
}

/// The completed checkout's answer (also for a payment found already recorded, see `complete`).
pub(super) fn completed(
    input: &CheckoutInput,
    stay: &Stay,
    intent: &PaymentIntent,
    charge_id: &str,
    today: NaiveDate,
) -> CheckoutCompleted {
    CheckoutCompleted {
        success: true,
        transaction_id: charge_id.to_owned(),
        payment_intent_id: intent.id.clone(),
        amount: intent.amount,
        currency: CURRENCY.to_owned(),
        booking_number: stay.booking_number.clone(),
        room_number: stay.room_number.clone(),
        room_status: RoomStatus::Cleaning.to_string(),
        checkout_date: today.into(),
        guest_email: input.guest_email.to_string(),
        message: "Payment processed successfully. Thank you for your stay!".to_owned(),
    }
}

/// Whether Salesforce may have applied a write it reported as failed: a timeout, a dropped
/// connection or a 5xx. A rolled-back composite or a 4xx certainly changed nothing.
fn outcome_unknown(error: &SalesforceError) -> bool {
    !matches!(error, SalesforceError::CompositeFailed { .. }) && error.status().is_none_or(|s| s >= 500)
}

/// How many times the booking is read back before its state counts as unknown: a read that
/// fails here turns a recorded checkout into a refunded one, so it is worth insisting.
const READ_BACK_ATTEMPTS: u32 = 3;

/// Whether the booking is now Checked Out. A read that still fails after [`READ_BACK_ATTEMPTS`]
/// (each with the connector's own retries) counts as "no": the refund then errs on the guest's
/// side.
async fn landed(ctx: &Context, booking_id: &str) -> bool {
    let soql = Soql::select(&["Id", booking::STATUS])
        .from(booking::OBJECT)
        .filter(Cond::eq("Id", booking_id))
        .limit(1);
    for attempt in 1..=READ_BACK_ATTEMPTS {
        match ctx.salesforce().query::<Record>(&soql).await {
            Ok(rows) => {
                return rows.first().and_then(|r| r.picklist(booking::STATUS).ok())
                    == Some(BookingStatus::CheckedOut);
            }
            Err(error) if error.is_retry_safe() && attempt < READ_BACK_ATTEMPTS => {
                tracing::warn!(%error, attempt, "reading the booking back after a failed checkout write; again");
            }
            Err(error) => {
                tracing::error!(%error, "could not read the booking back after a failed checkout write");
                return false;
            }
        }
    }
    false
}

/// Refunds the payment in full after `salesforce_error`; answers `CHECKOUT_REFUNDED`, or, if the
/// refund failed too, an error saying the guest was charged and NOT refunded.
async fn refund(
    ctx: &Context,
    input: &CheckoutInput,
    stay: &Stay,
    intent: &PaymentIntent,
    salesforce_error: ToolError,
) -> ToolError {
    let metadata = [
        ("checkout_booking_number", stay.booking_number.as_str()),
        ("guest_email", input.guest_email.as_str()),
        (
            "reason",
            "Automatic refund: the checkout could not be recorded in Salesforce.",
        ),
    ];
    let sf_code = salesforce_error.code.as_str();
    let refunded = match stripe_calls::refund_in_full(ctx, &intent.id, &metadata).await {
        Ok(result) => result.map_err(backend_error::stripe),
        Err(error) => Err(error),
    };
    match refunded {
        Ok(refund) => {
            crate::payments::audit_refund(ctx, &refund);
            tracing::warn!(
                payment_intent = %intent.id, refund = %refund.id, salesforce_error = %sf_code,
                "checkout refunded: Salesforce update failed after payment"
            );
            let mut details = json!({
                "payment_intent_id": intent.id,
                "refund_id": refund.id,
                "refund_status": refund.status.as_str(),
                "booking_number": stay.booking_number,
                "salesforce_error": sf_code,
                "retryable": false,
            });
            if let Some(code) = salesforce_error
                .details
                .as_ref()
                .and_then(|d| d.get("salesforce_error_code"))
            {
                details["salesforce_error_code"] = code.clone();
            }
            ToolError::new(
                ErrorCode::CheckoutRefunded,
                format!(
                    "The payment went through but the checkout could not be recorded in Salesforce, so the guest was \
                     refunded in full and nothing changed: booking {} is still checked in. Try the checkout again \
                     with a new idempotency_token.",
                    stay.booking_number
                ),
            )
            .with_details(details)
        }
        Err(refund_error) => not_refunded(intent, stay, sf_code, &refund_error),
    }
}

/// The worst case: charged, not recorded, not refunded. Logged loudly for a person to act on.
fn not_refunded(intent: &PaymentIntent, stay: &Stay, sf_code: String, refund_error: &ToolError) -> ToolError {
    tracing::error!(
        payment_intent = %intent.id, booking = %stay.booking_number, salesforce_error = %sf_code,
        refund_error = %refund_error.code.as_str(),
        "CHECKOUT CHARGED BUT NOT RECORDED AND NOT REFUNDED: run compensate_checkout_failure"
    );
    // A transient Stripe failure keeps its retryable code: a retry with the same token repeats the
    // (Stripe-deduplicated) charge, the write and, if needed, the refund.
    let code = match refund_error.code {
        ErrorCode::StripeTimeout | ErrorCode::StripeUnavailable => refund_error.code,
        _ => ErrorCode::StripeError,
    };
    ToolError::new(
        code,
        format!(
            "The payment {} was taken but the checkout could not be recorded in Salesforce, and the automatic \
             refund failed: the guest has NOT been refunded. Retry with the same idempotency_token, or ask a \
             manager to run compensate_checkout_failure with this payment_intent_id.",
            intent.id
        ),
    )
    .with_details(json!({
        "payment_intent_id": intent.id,
        "booking_number": stay.booking_number,
        "refunded": false,
        "salesforce_error": sf_code,
        "refund_error": refund_error.code.as_str(),
        "retryable": code.is_retryable(),
    }))
}
