//! The input of `process_guest_checkout`, and the checks serde's types cannot make, all made before
//! any backend is called.

use crate::checkout::stay::Narrowing;
use crate::payments::input::{ChargeCents, PaymentIntentId, PaymentMethodId, ReturnUrl};
use dewy_domain::ToolError;
use dewy_domain::input::{BookingNumber, Email, IdempotencyToken, RoomNumber, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `process_guest_checkout`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutInput {
    /// The guest's email.
    pub guest_email: Email,
    /// The guest's full name, for the Stripe customer.
    pub guest_name: Text<255>,
    /// In cents; leave it out to charge the bill. Another amount is 422 AMOUNT_MISMATCH naming the
    /// amount due.
    #[serde(default)]
    pub amount: Option<ChargeCents>,
    /// Managers only: charge `amount` instead of the bill, for this reason (recorded).
    #[serde(default)]
    pub amount_override_reason: Option<Text<500>>,
    /// The card to charge; not needed with payment_intent_id.
    #[serde(default)]
    pub payment_method_id: Option<PaymentMethodId>,
    /// From a 202 answer: completes that payment after 3-D Secure.
    #[serde(default)]
    pub payment_intent_id: Option<PaymentIntentId>,
    /// A UUID; resending it never charges twice. Use a new one for another attempt or to complete
    /// a payment.
    pub idempotency_token: IdempotencyToken,
    /// Which stay, if the guest has several.
    #[serde(default)]
    pub room_number: Option<RoomNumber>,
    /// Which stay, if the guest has several.
    #[serde(default)]
    pub booking_number: Option<BookingNumber>,
    /// Where the guest returns after 3-D Secure.
    #[serde(default)]
    pub return_url: Option<ReturnUrl>,
}

impl CheckoutInput {
    /// The one rule between fields that the types cannot carry: an override reason goes with an
    /// amount. (Amount, payment method and return URL are parsed by their types, so Stripe never
    /// sees a request it would refuse for its shape.)
    pub(super) fn validate(&self) -> Result<(), ToolError> {
        if self.amount_override_reason.is_some() && self.amount.is_none() {
            return Err(ToolError::validation(
                "amount_override_reason goes with amount: the amount to charge instead of the bill.",
            )
            .with_details(json!({ "field": "amount_override_reason" })));
        }
        Ok(())
    }

    /// The amount the client named, in cents.
    pub(crate) fn amount(&self) -> Option<u64> {
        self.amount.map(ChargeCents::get)
    }

    /// The card to charge when starting a payment: required then, as a missing field would be.
    pub(super) fn payment_method(&self) -> Result<&str, ToolError> {
        self.payment_method_id
            .as_ref()
            .map(PaymentMethodId::as_str)
            .ok_or_else(|| {
                let mut error = ToolError::missing_fields(&["payment_method_id"]);
                error.message.push_str(
                    " (it may be left out only to complete an authenticated payment with payment_intent_id)",
                );
                error
            })
    }

    /// What narrows the search for the guest's stay.
    pub(super) fn narrowing(&self) -> Narrowing<'_> {
        Narrowing {
            booking_number: self.booking_number.as_ref(),
            room_number: self.room_number.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_methods_and_urls_are_parsed_by_their_types() {
        let input = |amount: u64, pm: &str, url: Option<&str>| {
            serde_json::from_value::<CheckoutInput>(json!({
                "guest_email": "a@b.co", "guest_name": "A B", "amount": amount, "payment_method_id": pm,
                "idempotency_token": "t-1", "return_url": url,
            }))
        };
        let good = input(50, "pm_card_visa", Some("https://hotel.example/done")).unwrap();
        assert_eq!(
            (good.amount(), good.payment_method().unwrap()),
            (Some(50), "pm_card_visa")
        );
        assert!(input(49, "pm_card_visa", None).is_err());
        assert!(input(100_000_000, "pm_card_visa", None).is_err());
        assert!(input(5000, "pm/../x", None).is_err());
        assert!(input(5000, "pm_card_visa", Some("javascript:alert(1)")).is_err());
        assert!(input(5000, "pm_card_visa", Some("https://a b")).is_err());
        let mut completing = good;
        completing.payment_method_id = None;
        assert!(completing.validate().is_ok(), "checked when the path needs it");
        assert!(completing.payment_method().is_err());
        completing.amount = None;
        completing.amount_override_reason = Some(serde_json::from_value(json!("goodwill")).unwrap());
        assert!(completing.validate().is_err(), "a reason needs an amount");
    }
}
