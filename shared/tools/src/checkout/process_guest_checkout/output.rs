//! What `process_guest_checkout` answers: a completed checkout (200), or a payment waiting on the
//! guest's 3-D Secure authentication (202).

use dewy_domain::input::IsoDate;
use dewy_stripe::PaymentIntent;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Output of `process_guest_checkout`: one of two shapes, told apart by `requires_action`
/// (present and `true` only while the payment waits on the guest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
// MCP wants an object at the root of an output schema; both shapes are objects.
#[schemars(extend("type" = "object"))]
pub enum CheckoutOutput {
    /// Paid and checked out (HTTP 200).
    Completed(CheckoutCompleted),
    /// The card needs authentication; nothing was recorded in Salesforce (HTTP 202).
    RequiresAction(PaymentRequiresAction),
}

impl CheckoutOutput {
    /// The HTTP status of the answer: 202 while the payment waits on the guest, else 200.
    pub fn status(&self) -> u16 {
        match self {
            CheckoutOutput::Completed(_) => 200,
            CheckoutOutput::RequiresAction(_) => 202,
        }
    }
}

/// A paid, completed checkout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckoutCompleted {
    /// Always `true`.
    pub success: bool,
    /// The Stripe charge id, recorded on the opportunity as Payment_ID__c.
    pub transaction_id: String,
    /// The Stripe PaymentIntent id.
    pub payment_intent_id: String,
    /// The amount charged, in cents.
    pub amount: u64,
    /// Always `usd`.
    pub currency: String,
    /// The booking checked out, e.g. BK-0042.
    pub booking_number: String,
    /// The room's number (Room_Number__c), e.g. 105.
    pub room_number: String,
    /// The room's new status: Cleaning (its current one when the payment was already recorded).
    pub room_status: String,
    /// The checkout date (today).
    pub checkout_date: IsoDate,
    /// The guest's email.
    pub guest_email: String,
    /// A message for the guest (saying so when the payment was already recorded).
    pub message: String,
}

/// A payment that waits on the guest (3-D Secure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentRequiresAction {
    /// Always `true`.
    pub requires_action: bool,
    /// The Stripe PaymentIntent waiting for authentication.
    pub payment_intent_id: String,
    /// The booking the payment is for, still checked in.
    pub booking_number: String,
    /// `redirect_to_url` (send the guest to `next_action_url`) or `use_stripe_sdk` (finish with
    /// Stripe.js).
    pub next_action_type: String,
    /// Where to send the guest, for `redirect_to_url`.
    pub next_action_url: Option<String>,
    /// What happens next: after the guest authenticates, call again with `payment_intent_id` and a
    /// new idempotency_token to complete the checkout.
    pub message: String,
}

impl PaymentRequiresAction {
    /// The answer for `intent`, left in `requires_action` by Stripe, in words for the caller: a
    /// guest (whose email comes from their token) or staff (who name the guest).
    pub(super) fn of(intent: &PaymentIntent, booking_number: &str, guest_only: bool) -> Self {
        let action = intent.next_action.as_ref();
        let next_action_url = action.and_then(|a| a.redirect_url()).map(str::to_owned);
        let authenticate = match &next_action_url {
            Some(_) => "Send the guest to next_action_url to authenticate",
            None => {
                "The guest authenticates in the payment page with Stripe.js (no redirect URL: send return_url \
                        to get one)"
            }
        };
        let same = if guest_only {
            "the same booking_number if you gave one"
        } else {
            "the same guest_email"
        };
        PaymentRequiresAction {
            requires_action: true,
            payment_intent_id: intent.id.clone(),
            booking_number: booking_number.to_owned(),
            next_action_type: action.map_or_else(|| "use_stripe_sdk".to_owned(), |a| a.action_type.clone()),
            next_action_url,
            message: format!(
                "The card needs the guest's authentication (3-D Secure) before it can be charged. Booking \
                 {booking_number} is still checked in and nothing was recorded. {authenticate}; once they have, \
                 call process_guest_checkout again with payment_intent_id={id}, {same}, and a new \
                 idempotency_token (this token keeps answering with this message).",
                id = intent.id
            ),
        }
    }
}
