//! The objects the sandbox stores, public so that tests can inspect them (see
//! [`StripeSandbox::payment_intents`](crate::StripeSandbox::payment_intents) and friends).

use std::collections::BTreeMap;

/// A customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRecord {
    /// `cus_...`.
    pub id: String,
    /// The email, as given (Stripe's list filter on it is case-sensitive).
    pub email: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// The phone number.
    pub phone: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Metadata.
    pub metadata: BTreeMap<String, String>,
    /// Creation time, Unix seconds.
    pub created: i64,
}

/// A PaymentIntent's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentIntentStatus {
    /// Created without a payment method, or the last attempt failed.
    RequiresPaymentMethod,
    /// Has a payment method, not confirmed yet.
    RequiresConfirmation,
    /// The customer must authenticate (3-D Secure).
    RequiresAction,
    /// Being processed (never reached by the sandbox's test cards).
    Processing,
    /// Authorised, awaiting capture (the sandbox always captures automatically).
    RequiresCapture,
    /// Canceled.
    Canceled,
    /// Paid.
    Succeeded,
}

impl PaymentIntentStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentIntentStatus::RequiresPaymentMethod => "requires_payment_method",
            PaymentIntentStatus::RequiresConfirmation => "requires_confirmation",
            PaymentIntentStatus::RequiresAction => "requires_action",
            PaymentIntentStatus::Processing => "processing",
            PaymentIntentStatus::RequiresCapture => "requires_capture",
            PaymentIntentStatus::Canceled => "canceled",
            PaymentIntentStatus::Succeeded => "succeeded",
        }
    }
}

/// Why the last payment attempt failed (a PaymentIntent's `last_payment_error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentErrorRecord {
    /// `card_declined`, `expired_card`, ...
    pub code: String,
    /// `generic_decline`, `insufficient_funds`, ...
    pub decline_code: Option<String>,
    /// The message shown to the customer.
    pub message: String,
    /// The payment method that failed.
    pub payment_method: String,
}

/// What the customer must do next (a PaymentIntent's `next_action`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextActionRecord {
    /// `use_stripe_sdk`: the client finishes 3-D Secure with Stripe.js.
    UseStripeSdk,
    /// `redirect_to_url`: send the customer to `url`; they come back to `return_url`.
    RedirectToUrl {
        /// Where to send the customer.
        url: String,
        /// Where they return.
        return_url: String,
    },
}

/// A PaymentIntent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentIntentRecord {
    /// `pi_...`.
    pub id: String,
    /// Amount in the currency's smallest unit (cents).
    pub amount: u64,
    /// Amount collected: `amount` once succeeded, else 0.
    pub amount_received: u64,
    /// Lowercase ISO code.
    pub currency: String,
    /// The customer id.
    pub customer: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Metadata.
    pub metadata: BTreeMap<String, String>,
    /// The status.
    pub status: PaymentIntentStatus,
    /// The attached payment method (cleared when an attempt fails, as Stripe does).
    pub payment_method: Option<String>,
    /// `{id}_secret_...`.
    pub client_secret: String,
    /// The id of the latest charge (failed or succeeded).
    pub latest_charge: Option<String>,
    /// Why the last attempt failed.
    pub last_payment_error: Option<PaymentErrorRecord>,
    /// What the customer must do next.
    pub next_action: Option<NextActionRecord>,
    /// `automatic_payment_methods[enabled]`.
    pub automatic_payment_methods: bool,
    /// `automatic_payment_methods[allow_redirects]`: false for `never`.
    pub allow_redirects: bool,
    /// Creation time, Unix seconds.
    pub created: i64,
}

/// A charge, created by each confirmation attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRecord {
    /// `ch_...`.
    pub id: String,
    /// The PaymentIntent it belongs to.
    pub payment_intent: String,
    /// The amount charged (or attempted).
    pub amount: u64,
    /// The amount refunded so far.
    pub amount_refunded: u64,
    /// The currency.
    pub currency: String,
    /// The customer.
    pub customer: Option<String>,
    /// Whether the charge succeeded (else it failed).
    pub succeeded: bool,
    /// The payment method used.
    pub payment_method: String,
    /// For a failed charge, the error code.
    pub failure_code: Option<String>,
    /// Creation time, Unix seconds.
    pub created: i64,
}

impl ChargeRecord {
    /// What can still be refunded.
    pub fn refundable(&self) -> u64 {
        if self.succeeded {
            self.amount.saturating_sub(self.amount_refunded)
        } else {
            0
        }
    }
}

/// A refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRecord {
    /// `re_...`.
    pub id: String,
    /// The refunded PaymentIntent.
    pub payment_intent: String,
    /// The refunded charge.
    pub charge: String,
    /// The amount refunded.
    pub amount: u64,
    /// The currency.
    pub currency: String,
    /// `duplicate`, `fraudulent` or `requested_by_customer`.
    pub reason: Option<String>,
    /// Always `succeeded` in the sandbox.
    pub status: String,
    /// Metadata.
    pub metadata: BTreeMap<String, String>,
    /// Creation time, Unix seconds.
    pub created: i64,
}
