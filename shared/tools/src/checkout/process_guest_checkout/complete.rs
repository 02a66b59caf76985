//! Completing a payment the guest has authenticated (3-D Secure): `payment_intent_id` given.
//!
//! Two sequential round trips when the payment succeeded:
//! 1. **read**, in parallel: the guest's Contact, the guest's stays, and the PaymentIntent;
//! 2. **write**: the same Composite request as a first-time checkout (see `settle`).
//!
//! Nothing is charged here: the payment already exists. It must be this checkout's (the guest, the
//! booking and the amount it was created with), must not have been refunded, and is recorded at
//! most once: a payment already on the stay's opportunity answers the completed checkout again.

use super::output::{CheckoutCompleted, CheckoutOutput};
use super::{CURRENCY, CheckoutInput, META_BOOKING_NUMBER, META_GUEST_EMAIL, current_stay, settle, status};
use crate::checkout::lease::{self, read_under_lease};
use crate::checkout::stay::{self, Narrowing};
use crate::payments::input::PaymentIntentId;
use crate::stay::Stay;
use dewy_domain::input::BookingNumber;
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::{ErrorCode, ToolError};
use dewy_stripe::PaymentIntent;
use dewy_tool::{Context, backend_error};
use serde_json::json;

/// Completes the checkout paid (or being paid) by `intent_id`, under the guest's checkout lease:
/// two completions of one payment never record it twice, and a start never runs beside it.
pub(super) async fn complete(
    ctx: &Context,
    input: &CheckoutInput,
    intent_id: &PaymentIntentId,
) -> Result<CheckoutOutput, ToolError> {
    let stripe = ctx.stripe()?;
    let email = &input.guest_email;
    let statuses = [BookingStatus::CheckedIn, BookingStatus::CheckedOut];

    // Round trip 1: Salesforce and the payment at once, the lease beside them; the errors are then
    // answered in a fixed order (guest, payment, stays) rather than whichever came first.
    let (lease, (guest, stays, intent)) = read_under_lease(ctx, email, || async {
        Ok(tokio::join!(
            stay::find_guest(ctx, email),
            stay::find(ctx, email, &statuses, input.narrowing()),
            async { stripe.retrieve_payment_intent(intent_id.as_str()).await },
        ))
    })
    .await?;
    let mut carried = lease::carried(&lease);
    let result = complete_leased(ctx, input, intent_id, guest, stays, intent).await;
    // A completion that found its payment failed (declined, authentication refused) ends the wait.
    let failed = matches!(&result, Err(e) if e.code == ErrorCode::PaymentFailed);
    carried.awaiting = carried
        .awaiting
        .filter(|a| a.payment_intent_id != intent_id.as_str() || !failed);
    lease.release(ctx, lease::state_after(&result, &carried)).await;
    result
}

/// A completion once the lease is held and round trip 1 is read.
async fn complete_leased(
    ctx: &Context,
    input: &CheckoutInput,
    intent_id: &PaymentIntentId,
    guest: Result<Option<String>, ToolError>,
    stays: Result<Vec<Stay>, ToolError>,
    intent: Result<PaymentIntent, dewy_stripe::StripeError>,
) -> Result<CheckoutOutput, ToolError> {
    let email = &input.guest_email;
    let audit = ctx.audit();
    audit.check("guest_found", guest?.ok_or_else(|| stay::guest_not_found(email)))?;
    let intent = intent.map_err(|e| not_found(backend_error::stripe(e), intent_id))?;
    audit.check_on("payment_belongs", &intent.id, check_belongs(&intent, input))?;
    audit.check_on("payment_not_refunded", &intent.id, check_not_refunded(&intent))?;

    // The stay is the one the payment was made for, even when the guest has several.
    let paid_for = intent.metadata.get(META_BOOKING_NUMBER);
    let stays: Vec<Stay> = stays?
        .into_iter()
        .filter(|s| paid_for.is_none_or(|b| s.booking_number.eq_ignore_ascii_case(b)))
        .collect();
    if let Some(done) = already_recorded(ctx, input, &stays, &intent) {
        return Ok(CheckoutOutput::Completed(done));
    }
    let paid_for = paid_for.and_then(|b| BookingNumber::parse(b).ok());
    let narrowing = Narrowing {
        booking_number: input.booking_number.as_ref().or(paid_for.as_ref()),
        room_number: input.room_number.as_ref(),
    };
    let stay = current_stay(&stays, email, narrowing).map_err(|e| paid_without_stay(e, &intent));
    let stay = audit.check("one_checked_in_stay", stay)?;
    audit.check_on(
        "transition_allowed",
        &stay.booking_id,
        super::check_can_check_out(&stay),
    )?;
    status::answer(ctx, input, &stay, &intent).await
}

/// An unknown payment is `400 PAYMENT_NOT_FOUND`, naming the id; other failures are as mapped.
fn not_found(error: ToolError, intent_id: &PaymentIntentId) -> ToolError {
    if error.code == ErrorCode::PaymentNotFound {
        return unknown_payment(intent_id.as_str());
    }
    error
}

/// `400 PAYMENT_NOT_FOUND` for a payment that does not exist *or is another guest's*: the same
/// words for both, so that a guest cannot learn that someone else's payment exists.
fn unknown_payment(intent_id: &str) -> ToolError {
    ToolError::new(
        ErrorCode::PaymentNotFound,
        format!("No checkout payment {intent_id} of this guest was found. Pass the payment_intent_id of this guest's 202 answer."),
    )
    .with_details(json!({ "payment_intent_id": intent_id }))
}

/// The payment must be this checkout's: created for this guest (and this booking, when one is
/// named), for this amount in usd. Another guest's payment is answered as one that does not exist;
/// the other mismatches are `400 VALIDATION_ERROR` naming the field.
fn check_belongs(intent: &PaymentIntent, input: &CheckoutInput) -> Result<(), ToolError> {
    let mismatch = |field: &str, message: String| {
        ToolError::validation(message).with_details(json!({
            "field": "payment_intent_id",
            "payment_intent_id": intent.id,
            "mismatch": field,
        }))
    };
    let email = &input.guest_email;
    let paid_by = intent.metadata.get(META_GUEST_EMAIL);
    if !paid_by.is_some_and(|e| e.eq_ignore_ascii_case(email.as_str())) {
        return Err(unknown_payment(&intent.id));
    }
    if let (Some(paid_for), Some(asked)) = (intent.metadata.get(META_BOOKING_NUMBER), &input.booking_number)
        && !paid_for.eq_ignore_ascii_case(asked.as_str())
    {
        return Err(mismatch(
            "booking_number",
            format!(
                "Payment {} was made for booking {paid_for}, not {asked}.",
                intent.id
            ),
        ));
    }
    if let Some(given) = input.amount()
        && intent.amount != given
    {
        return Err(mismatch(
            "amount",
            format!(
                "Payment {} is for {} cents, not the {given} cents given: pass the amount of the original checkout, \
                 or leave amount out.",
                intent.id, intent.amount
            ),
        ));
    }
    if !intent.currency.eq_ignore_ascii_case(CURRENCY) {
        return Err(mismatch(
            "currency",
            format!("Payment {} is in '{}', not usd.", intent.id, intent.currency),
        ));
    }
    Ok(())
}

/// A refunded payment (by the automatic refund of a failed completion, or a compensation) stays
/// `succeeded` in Stripe but must never be recorded as paying for a checkout.
fn check_not_refunded(intent: &PaymentIntent) -> Result<(), ToolError> {
    let Some(charge) = intent.charge().filter(|c| c.refunded || c.amount_refunded > 0) else {
        return Ok(());
    };
    Err(ToolError::new(
        ErrorCode::InvalidStateTransition,
        format!(
            "Payment {} was refunded, so it cannot pay for the checkout, and nothing was recorded. Start a new \
             payment: call process_guest_checkout with a payment_method_id and a new idempotency_token (without \
             payment_intent_id).",
            intent.id
        ),
    )
    .with_details(json!({
        "retryable": false,
        "payment_intent_id": intent.id,
        "amount_refunded": charge.amount_refunded,
    })))
}

/// The completed checkout again when this payment is already on a checked-out stay: a completion
/// repeated after the replay window (or after a first one whose answer was lost) records nothing
/// twice.
fn already_recorded(
    ctx: &Context,
    input: &CheckoutInput,
    stays: &[Stay],
    intent: &PaymentIntent,
) -> Option<CheckoutCompleted> {
    let charge_id = intent.charge_id().filter(|_| intent.is_succeeded())?;
    let stay = stays
        .iter()
        .find(|s| s.status == BookingStatus::CheckedOut && s.payment_id.as_deref() == Some(charge_id))?;
    let date = stay.check_out_date.unwrap_or_else(|| ctx.today());
    let mut done = settle::completed(input, stay, intent, charge_id, date);
    done.room_status = stay.room_status.to_string();
    done.message = format!(
        "This payment was already recorded: booking {} was checked out. Thank you for your stay!",
        stay.booking_number
    );
    Some(done)
}

/// No stay to record a payment that went through: the guest was charged for nothing, which the
/// answer must say (the usual "nothing was charged" would be false) along with how to undo it.
fn paid_without_stay(mut error: ToolError, intent: &PaymentIntent) -> ToolError {
    let no_stay = matches!(
        error.code,
        ErrorCode::ReservationNotFound | ErrorCode::StayAlreadyCheckedOut
    );
    if !no_stay || !intent.is_succeeded() {
        return error;
    }
    tracing::error!(payment_intent = %intent.id, "authenticated checkout payment has no stay to record it");
    error.message = format!(
        "Payment {} went through, but the guest has no checked-in stay for it to pay for, so nothing was \
         recorded. Ask a manager to refund it with compensate_checkout_failure (payment_intent_id={}).",
        intent.id, intent.id
    );
    let mut details = error.details.take().unwrap_or_else(|| json!({}));
    details["payment_intent_id"] = json!(intent.id);
    details["charged"] = json!(true);
    error.with_details(details)
}
