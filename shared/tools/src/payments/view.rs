//! How the payment skills show a PaymentIntent's parts: the same few fields, read the same way,
//! whichever skill answers.

use dewy_stripe::{PaymentError, PaymentIntent, PaymentIntentStatus};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why a PaymentIntent's last payment attempt failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LastPaymentError {
    /// Stripe's error code, e.g. `card_declined`, `expired_card`.
    pub code: Option<String>,
    /// The issuer's reason, e.g. `generic_decline`, `insufficient_funds`.
    pub decline_code: Option<String>,
    /// Stripe's message, fit to show the guest.
    pub message: Option<String>,
}

impl From<&PaymentError> for LastPaymentError {
    fn from(error: &PaymentError) -> Self {
        LastPaymentError {
            code: error.code.clone(),
            decline_code: error.decline_code.clone(),
            message: error.message.clone(),
        }
    }
}

/// What the guest must do before a PaymentIntent in `requires_action` can succeed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NextStep {
    /// `redirect_to_url` (send the guest to `url`) or `use_stripe_sdk` (finish in the browser
    /// with Stripe.js and the PaymentIntent's client secret).
    pub action_type: Option<String>,
    /// Where to send the guest, for `redirect_to_url`.
    pub url: Option<String>,
}

impl NextStep {
    /// The next step of `intent`, empty unless it is in `requires_action`.
    pub fn of(intent: &PaymentIntent) -> Self {
        match (&intent.status, &intent.next_action) {
            (PaymentIntentStatus::RequiresAction, Some(action)) => NextStep {
                action_type: Some(action.action_type.clone()).filter(|t| !t.is_empty()),
                url: action.redirect_url().map(str::to_owned),
            },
            _ => NextStep::default(),
        }
    }
}
