//! What a checkout's PaymentIntent status means, the same whether the payment was just created or is
//! being completed after the guest's authentication: paid → record the checkout; waiting on the
//! guest → 202; anything else → an error that says what to do next, with nothing recorded.

use super::output::{CheckoutOutput, PaymentRequiresAction};
use super::{CheckoutInput, PAYMENT_SUCCEEDED, settle};
use crate::stay::Stay;
use dewy_domain::{ErrorCode, ToolError};
use dewy_stripe::{PaymentIntent, PaymentIntentStatus};
use dewy_tool::{Context, Verdict};
use serde_json::json;

/// Stripe's code for a payment whose 3-D Secure authentication failed or was refused.
const AUTHENTICATION_FAILED: &str = "payment_intent_authentication_failure";

/// How long to wait before asking again about a payment Stripe is still processing.
const PROCESSING_RETRY_SECONDS: u64 = 5;

/// Records a paid checkout (or refunds it, see `settle`), or answers what the status asks for.
pub(super) async fn answer(
    ctx: &Context,
    input: &CheckoutInput,
    stay: &Stay,
    intent: &PaymentIntent,
) -> Result<CheckoutOutput, ToolError> {
    let audit = ctx.audit();
    let refused = |error: ToolError| audit.check_on(PAYMENT_SUCCEEDED, &intent.id, Err(error));
    match intent.status {
        PaymentIntentStatus::Succeeded => {
            audit.passed(PAYMENT_SUCCEEDED, Some(&intent.id));
            settle::record_or_refund(ctx, input, stay, intent)
                .await
                .map(CheckoutOutput::Completed)
        }
        PaymentIntentStatus::RequiresAction => {
            // Not paid yet, not refused: the checkout waits for the guest's authentication.
            audit.decide(PAYMENT_SUCCEEDED, Verdict::Refused, Some(&intent.id), None);
            Ok(CheckoutOutput::RequiresAction(PaymentRequiresAction::of(
                intent,
                &stay.booking_number,
                ctx.caller().is_guest_only(),
            )))
        }
        PaymentIntentStatus::RequiresPaymentMethod => refused(declined(intent, stay)),
        PaymentIntentStatus::Processing => refused(processing(intent, stay)),
        PaymentIntentStatus::Canceled => refused(canceled(intent, stay)),
        _ => refused(unexpected_status(intent, stay)),
    }
}

/// What a guest does after a decline: another card is another payment, so another token (Stripe
/// replays a request to the same key) and no payment_intent_id (that payment is spent).
const ANOTHER_CARD: &str = "Ask the guest for another card, then call process_guest_checkout with its \
    payment_method_id and a new idempotency_token (without payment_intent_id).";

/// A PaymentIntent Stripe left waiting for another payment method: a decline answered as a status
/// rather than a card error, or a failed or refused 3-D Secure authentication.
fn declined(intent: &PaymentIntent, stay: &Stay) -> ToolError {
    let error = intent.last_payment_error.clone().unwrap_or_default();
    let message = if error.code.as_deref() == Some(AUTHENTICATION_FAILED) {
        format!(
            "The guest's card authentication (3-D Secure) failed or was refused, so payment {} was not charged and \
             booking {} is still checked in; nothing was recorded. {ANOTHER_CARD}",
            intent.id, stay.booking_number
        )
    } else {
        format!(
            "Payment declined by card issuer: {} Nothing was recorded. {ANOTHER_CARD}",
            error.message.as_deref().unwrap_or("the card was declined.")
        )
    };
    ToolError::new(ErrorCode::PaymentFailed, message).with_details(json!({
        "backend": "stripe",
        "retryable": false,
        "payment_intent_id": intent.id,
        "stripe_error_code": error.code,
        "decline_code": error.decline_code,
    }))
}

/// Stripe has not decided yet. Retryable: nothing was recorded, and asking again later settles it.
/// The code is the one for "the same operation is still running" (409), which is what this is; a
/// new token is advised because a repeat of a *starting* call would only replay Stripe's answer.
fn processing(intent: &PaymentIntent, stay: &Stay) -> ToolError {
    ToolError::new(
        ErrorCode::IdempotencyInProgress,
        format!(
            "Stripe is still processing payment {}, so booking {} was not checked out yet. In about \
             {PROCESSING_RETRY_SECONDS} seconds, call process_guest_checkout again with payment_intent_id={} and \
             a new idempotency_token.",
            intent.id, stay.booking_number, intent.id
        ),
    )
    .with_details(json!({
        "backend": "stripe",
        "retryable": true,
        "retry_after_seconds": PROCESSING_RETRY_SECONDS,
        "payment_intent_id": intent.id,
        "payment_status": intent.status.as_str(),
    }))
}

/// A canceled payment can never be charged: a new checkout payment is needed.
fn canceled(intent: &PaymentIntent, stay: &Stay) -> ToolError {
    ToolError::new(
        ErrorCode::InvalidStateTransition,
        format!(
            "Payment {} was canceled, so it cannot pay for booking {}, which is still checked in. Start a new \
             payment: call process_guest_checkout with a payment_method_id and a new idempotency_token (without \
             payment_intent_id).",
            intent.id, stay.booking_number
        ),
    )
    .with_details(json!({
        "backend": "stripe",
        "retryable": false,
        "payment_intent_id": intent.id,
        "payment_status": intent.status.as_str(),
    }))
}

/// Any other status (e.g. waiting for capture, which checkout never asks for): nothing is recorded,
/// and the caller is told which payment to look at.
fn unexpected_status(intent: &PaymentIntent, stay: &Stay) -> ToolError {
    tracing::error!(
        payment_intent = %intent.id,
        status = intent.status.as_str(),
        "checkout payment in an unexpected status"
    );
    ToolError::new(
        ErrorCode::StripeError,
        format!(
            "Stripe left the payment {} in status '{}', so booking {} was not checked out. Check the payment \
             (retrieve_stripe_payment_status) before trying again.",
            intent.id,
            intent.status.as_str(),
            stay.booking_number
        ),
    )
    .with_details(json!({
        "backend": "stripe",
        "retryable": false,
        "payment_intent_id": intent.id,
        "payment_status": intent.status.as_str(),
    }))
}
