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
//! - A checkout that never released the lease (stopped by a crash or its deadline) may have
//!   charged without recording the checkout. The lease remembers it until a new payment has looked
//!   for that charge in Stripe and recorded it instead of charging again (see `orphan`).

use super::process_guest_checkout::CheckoutOutput;
use dewy_domain::input::Email;
use dewy_domain::{ErrorCode, ToolError};
use dewy_stripe::{PaymentIntent, PaymentIntentStatus};
use dewy_tool::lease::{LeaseOn, WhenHeld};
use dewy_tool::{Context, HeldLease};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::future::Future;
use std::time::SystemTime;

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

/// What the guest's checkout lease carries from one checkout to the next.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Carried {
    /// A payment an earlier checkout left waiting for the guest's authentication.
    #[serde(flatten)]
    pub awaiting: Option<Awaiting>,
    /// A checkout that never released the lease, until then (Unix seconds): it may have charged
    /// the guest and stopped before recording it. Kept until a new payment has looked for that
    /// charge (see `orphan`).
    #[serde(rename = "unsettled_lapse", default, skip_serializing_if = "Option::is_none")]
    pub unsettled_lapse: Option<u64>,
}

/// What the lease carries now that `lease` is held.
pub(super) fn carried(lease: &HeldLease) -> Carried {
    let mut carried: Carried = lease
        .state()
        .and_then(|state| serde_json::from_value(state.clone()).ok())
        .unwrap_or_default();
    carried.unsettled_lapse = lease
        .unsettled_lapse()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map(|d| d.as_secs());
    carried
}

/// What the lease keeps once a checkout answered `result`, from what it `carried` (a waiting
/// payment this checkout did not learn was over, a lapse it did not settle).
pub(super) fn state_after(result: &Result<CheckoutOutput, ToolError>, carried: &Carried) -> Option<Value> {
    let awaiting = match result {
        Ok(CheckoutOutput::RequiresAction(waiting)) => Some(Awaiting {
            payment_intent_id: waiting.payment_intent_id.clone(),
            booking_number: waiting.booking_number.clone(),
        }),
        Ok(CheckoutOutput::Completed(_)) => None,
        Err(_) => carried.awaiting.clone(),
    };
    let next = Carried {
        awaiting,
        unsettled_lapse: carried.unsettled_lapse,
    };
    (next != Carried::default())
        .then(|| serde_json::to_value(next).ok())
        .flatten()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The state round-trips, and a state of either part alone reads back as that part.
    #[test]
    fn the_carried_state_reads_back_part_by_part() {
        let awaiting = Awaiting {
            payment_intent_id: "pi_1".into(),
            booking_number: "BK-0001".into(),
        };
        let both = Carried {
            awaiting: Some(awaiting.clone()),
            unsettled_lapse: Some(1_700_000_000),
        };
        let value = serde_json::to_value(&both).unwrap();
        assert_eq!(
            value,
            json!({"payment_intent_id": "pi_1", "booking_number": "BK-0001", "unsettled_lapse": 1_700_000_000})
        );
        assert_eq!(serde_json::from_value::<Carried>(value).unwrap(), both);
        let lapse_only: Carried = serde_json::from_value(json!({"unsettled_lapse": 5})).unwrap();
        assert_eq!((lapse_only.awaiting, lapse_only.unsettled_lapse), (None, Some(5)));
        let awaiting_only: Carried =
            serde_json::from_value(json!({"payment_intent_id": "pi_1", "booking_number": "BK-0001"}))
                .unwrap();
        assert_eq!(
            (awaiting_only.awaiting, awaiting_only.unsettled_lapse),
            (Some(awaiting), None)
        );
    }
}
