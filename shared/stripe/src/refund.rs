//! Refunds of a PaymentIntent, full or partial.

use crate::client::{Request, checked_id};
use crate::form::Form;
use crate::wire_enum::wire_enum;
use crate::{Stripe, StripeError, StripeIdempotencyKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

wire_enum! {
    /// Where a refund stands.
    pub enum RefundStatus {
        /// Submitted, not settled yet.
        Pending => "pending",
        /// The customer must act.
        RequiresAction => "requires_action",
        /// Done.
        Succeeded => "succeeded",
        /// Failed.
        Failed => "failed",
        /// Canceled.
        Canceled => "canceled",
    }
}

wire_enum! {
    /// Why a refund is made (Stripe accepts only these three).
    pub enum RefundReason {
        /// A duplicate charge.
        Duplicate => "duplicate",
        /// A fraudulent charge.
        Fraudulent => "fraudulent",
        /// The customer asked (the compensation saga's reason).
        RequestedByCustomer => "requested_by_customer",
    }
}

/// A refund (the fields the hub uses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Refund {
    /// `re_...`.
    pub id: String,
    /// Where it stands.
    pub status: RefundStatus,
    /// The amount refunded (smallest unit).
    pub amount: u64,
    /// The currency.
    pub currency: String,
    /// The refunded PaymentIntent.
    pub payment_intent: Option<String>,
    /// The refunded charge.
    pub charge: Option<String>,
    /// The reason given.
    pub reason: Option<RefundReason>,
    /// Metadata.
    pub metadata: BTreeMap<String, String>,
}

/// The parameters of a refund.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateRefund<'a> {
    /// The PaymentIntent to refund (it must have succeeded).
    pub payment_intent: &'a str,
    /// How much (smallest unit); `None` refunds all that is left.
    pub amount: Option<u64>,
    /// Why.
    pub reason: Option<RefundReason>,
    /// Metadata entries (values up to 500 characters: truncate free text such as a reason).
    pub metadata: Vec<(&'a str, &'a str)>,
}

impl<'a> CreateRefund<'a> {
    /// A full refund of `payment_intent`.
    pub fn full(payment_intent: &'a str) -> Self {
        CreateRefund {
            payment_intent,
            ..CreateRefund::default()
        }
    }

    /// Only `amount` (smallest unit).
    pub fn amount(mut self, amount: u64) -> Self {
        self.amount = Some(amount);
        self
    }

    /// With a reason.
    pub fn reason(mut self, reason: RefundReason) -> Self {
        self.reason = Some(reason);
        self
    }

    /// With one more metadata entry.
    pub fn metadata(mut self, key: &'a str, value: &'a str) -> Self {
        self.metadata.push((key, value));
        self
    }
}

impl Stripe {
    /// Refunds a succeeded PaymentIntent: `POST /v1/refunds`.
    ///
    /// Stripe refuses (`InvalidRequest`) a PaymentIntent without a successful charge
    /// (`charge_not_refundable` in the sandbox), one already fully refunded
    /// (`charge_already_refunded`), and more than what is left (`amount_too_large`). `key` makes a
    /// retried refund return the same refund instead of refunding twice.
    pub async fn create_refund(
        &self,
        refund: &CreateRefund<'_>,
        key: &StripeIdempotencyKey,
    ) -> Result<Refund, StripeError> {
        let params = Form::new()
            .field(
                "payment_intent",
                checked_id(refund.payment_intent, "PaymentIntent")?,
            )
            .optional("amount", refund.amount)
            .optional("reason", refund.reason.as_ref().map(RefundReason::as_str))
            .metadata(refund.metadata.iter().copied());
        self.execute(&Request::post(
            "create refund",
            "/v1/refunds".to_owned(),
            params,
            key,
        ))
        .await
    }
}
