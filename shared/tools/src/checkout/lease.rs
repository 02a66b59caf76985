//! One checkout (or compensation) of a guest at a time, whoever calls and with whatever token: the
//! lease that makes "a stay is charged at most once" and "a payment is refunded at most once" hold
//! across callers and Lambda instances.
//!
//! The lease is named after the guest (their email, which every checkout names), not the stay: it
//! can then be taken in parallel with the first round of reads, before the stay is known, so it
//! costs no round trip up front; its release after the writes is the one DynamoDB round trip it
//! adds. The price is that two checkouts of *different* stays of one guest run one after the
//! other, which is rare and harmless.
//!
//! - Taken by another checkout: `409 CHECKOUT_IN_PROGRESS`, retryable; nothing was charged. The
//!   retry finds the stay as that checkout left it (checked out: `STAY_ALREADY_CHECKED_OUT`).
//! - Taken after a release that came after this call's reads started: the reads are made again,
//!   so no decision rests on a stay read before the previous checkout wrote it.
//! - A payment left waiting for the guest's 3-D Secure authentication is the lease's state: until
//!   that payment is completed or has failed, a new checkout of the guest answers
//!   `409 CHECKOUT_IN_PROGRESS` naming it, instead of starting a second payment the guest could
//!   also authenticate.

use super::process_guest_checkout::CheckoutOutput;
use dewy_domain::input::Email;
use dewy_domain::{ErrorCode, ToolError};
use dewy_stripe::{PaymentIntent, PaymentIntentStatus};
use dewy_tool::lease::{LeaseOn, WhenHeld};
use dewy_tool::{Context, HeldLease};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::future::Future;

/// The audit check of the lease.
const NOT_IN_PROGRESS: &str = "checkout_not_in_progress";

/// The lease's state while a payment waits for the guest's authentication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Awaiting {
    /// The PaymentIntent in `requires_action`.
    pub payment_intent_id: String,
    /// The booking it pays for.
    pub booking_number: String,
}

/// Takes the guest's checkout lease while running `read` (round trip 1), and runs `read` again if
/// the previous checkout released the lease after the first read started.
pub(super) async fn read_under_lease<T, F, Fut>(
    ctx: &Context,
    email: &Email,
    read: F,
) -> Result<(HeldLease, T), ToolError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, ToolError>>,
{
    let name = format!("checkout:{}", email.as_str().to_ascii_lowercase());
    let lease = LeaseOn {
        name: &name,
        when_held: WhenHeld::Refuse,
        check: NOT_IN_PROGRESS,
    };
    ctx.read_under_lease(lease, |retry_after| in_progress(email, retry_after), read)
        .await
}

/// The payment the previous checkout left waiting for the guest, if any.
pub(super) fn awaiting(lease: &HeldLease) -> Option<Awaiting> {
    lease
        .state()
        .and_then(|state| serde_json::from_value(state.clone()).ok())
}

/// What the lease keeps once a checkout answered `result`; `previous` is the waiting payment it
/// found, unless it learnt that payment was over.
pub(super) fn state_after(
    result: &Result<CheckoutOutput, ToolError>,
    previous: Option<&Awaiting>,
) -> Option<Value> {
    match result {
        Ok(CheckoutOutput::RequiresAction(waiting)) => serde_json::to_value(Awaiting {
            payment_intent_id: waiting.payment_intent_id.clone(),
            booking_number: waiting.booking_number.clone(),
        })
        .ok(),
        Ok(CheckoutOutput::Completed(_)) => None,
        Err(_) => previous.and_then(|p| serde_json::to_value(p).ok()),
    }
}

/// `409 CHECKOUT_IN_PROGRESS` when `intent`, left waiting for the guest by an earlier checkout,
/// may still be paid (or was): a second payment must not start beside it. A payment that failed
/// or was canceled is over, and the new checkout goes on.
pub(super) fn check_not_awaiting(intent: &PaymentIntent, awaiting: &Awaiting) -> Result<(), ToolError> {
    let next = match intent.status {
        PaymentIntentStatus::RequiresAction | PaymentIntentStatus::RequiresConfirmation => {
            "it waits for the guest's 3-D Secure authentication: once the guest has authenticated, complete the \
             checkout by calling process_guest_checkout with this payment_intent_id and a new idempotency_token"
        }
        PaymentIntentStatus::Processing => "Stripe is still processing it: retry in a few seconds",
        PaymentIntentStatus::Succeeded | PaymentIntentStatus::RequiresCapture => {
            "it went through: complete the checkout by calling process_guest_checkout with this \
             payment_intent_id and a new idempotency_token"
        }
        _ => return Ok(()),
    };
    Err(ToolError::new(
        ErrorCode::CheckoutInProgress,
        format!(
            "A checkout of booking {} already started payment {}, and {next}. Nothing was charged by this call.",
            awaiting.booking_number, intent.id
        ),
    )
    .with_details(json!({
        "retryable": true,
        "payment_intent_id": intent.id,
        "payment_status": intent.status.to_string(),
        "booking_number": awaiting.booking_number,
    })))
}

/// A checkout of `email` already running, as the caller is answered.
fn in_progress(email: &Email, retry_after: u64) -> ToolError {
    ToolError::new(
        ErrorCode::CheckoutInProgress,
        format!(
            "Another checkout or refund of {email}'s stay is running right now (another tab, agent or desk). \
             Nothing was charged or refunded by this call. Retry in {retry_after} s: the retry answers as that \
             call left the stay."
        ),
    )
}
