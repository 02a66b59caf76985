//! The input of `process_guest_checkout`, and the checks serde's types cannot make, all made before
//! any backend is called.

use crate::checkout::stay::Narrowing;
use crate::payments::input::PaymentIntentId;
use dewy_domain::input::{BookingNumber, Email, IdempotencyToken, RoomNumber, Text};
use dewy_domain::{ErrorCode, ToolError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Stripe's minimum charge in usd, in cents ($0.50).
pub const MIN_AMOUNT: u64 = 50;
/// Stripe's maximum charge in usd, in cents ($999,999.99).
pub const MAX_AMOUNT: u64 = 99_999_999;
/// The longest return URL accepted.
const MAX_URL: usize = 2048;

/// Input of `process_guest_checkout`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutInput {
    /// The guest's email, as on their Salesforce Contact.
    pub guest_email: Email,
    /// The guest's full name, as the Stripe customer is named.
    pub guest_name: Text<255>,
    /// Optional: the amount the client expects to be charged, in US cents. The checkout charges
    /// the stay's bill (get_stay_folio shows it); a different amount is refused with
    /// AMOUNT_MISMATCH naming the amount due. When completing a payment (payment_intent_id), the
    /// amount of that payment.
    #[serde(default)]
    #[schemars(range(min = 50, max = 99_999_999))]
    pub amount: Option<u64>,
    /// Managers only: charge `amount` instead of the bill, for this reason (e.g. a goodwill
    /// discount). Recorded on the audit trail and on the payment.
    #[serde(default)]
    pub amount_override_reason: Option<Text<500>>,
    /// The Stripe PaymentMethod to charge, e.g. pm_card_visa in test mode. Required, unless
    /// payment_intent_id is given (the payment then already has its card, and this is ignored).
    #[serde(default)]
    #[schemars(extend("pattern" = "^[A-Za-z0-9_]{3,255}$"))]
    pub payment_method_id: Option<String>,
    /// The payment (pi_...) of an earlier 202 answer, to complete once the guest has authenticated
    /// it (3-D Secure): nothing new is charged, the checkout is recorded if the payment succeeded.
    /// Send it with a new idempotency_token.
    #[serde(default)]
    pub payment_intent_id: Option<PaymentIntentId>,
    /// A token naming this call (a UUID): resending it never charges twice. Use a new token for a
    /// new attempt (e.g. with another card) and for completing a payment after authentication.
    pub idempotency_token: IdempotencyToken,
    /// The room of the stay to check out, when the guest has several stays.
    #[serde(default)]
    pub room_number: Option<RoomNumber>,
    /// The booking to check out (e.g. BK-0042), when the guest has several stays.
    #[serde(default)]
    pub booking_number: Option<BookingNumber>,
    /// Where the guest returns after 3-D Secure authentication (http or https URL). Ignored when
    /// completing a payment.
    #[serde(default)]
    #[schemars(extend("format" = "uri", "maxLength" = 2048))]
    pub return_url: Option<String>,
}

impl CheckoutInput {
    /// The checks on amount, payment method and return URL, so that Stripe never sees a request
    /// it would refuse for its shape.
    pub(super) fn validate(&self) -> Result<(), ToolError> {
        if let Some(amount) = self.amount
            && !(MIN_AMOUNT..=MAX_AMOUNT).contains(&amount)
        {
            return Err(ToolError::validation(format!(
                "amount must be between {MIN_AMOUNT} and {MAX_AMOUNT} cents ($0.50 to $999,999.99); it is {amount}."
            ))
            .with_details(json!({ "field": "amount", "amount": amount })));
        }
        if self.amount_override_reason.is_some() && self.amount.is_none() {
            return Err(ToolError::validation(
                "amount_override_reason goes with amount: the amount to charge instead of the bill.",
            )
            .with_details(json!({ "field": "amount_override_reason" })));
        }
        if let Some(pm) = self.payment_method_id.as_deref().map(str::trim)
            && (!(3..=255).contains(&pm.len()) || !pm.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        {
            return Err(ToolError::validation(
                "payment_method_id must be a Stripe PaymentMethod id (letters, digits and '_', like pm_card_visa).",
            )
            .with_details(json!({ "field": "payment_method_id" })));
        }
        if let Some(url) = &self.return_url
            && !is_web_url(url)
        {
            return Err(ToolError::new(
                ErrorCode::ValidationError,
                "return_url must be an http or https URL of at most 2048 characters without spaces.",
            )
            .with_details(json!({ "field": "return_url" })));
        }
        Ok(())
    }

    /// The card to charge when starting a payment: required then, as a missing field would be.
    pub(super) fn payment_method(&self) -> Result<&str, ToolError> {
        self.payment_method_id.as_deref().map(str::trim).ok_or_else(|| {
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

fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    url.len() <= MAX_URL
        && rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(amount: u64, pm: &str, url: Option<&str>) -> CheckoutInput {
        serde_json::from_value(json!({
            "guest_email": "a@b.co", "guest_name": "A B", "amount": amount, "payment_method_id": pm,
            "idempotency_token": "t-1", "return_url": url,
        }))
        .unwrap()
    }

    #[test]
    fn amounts_methods_and_urls_are_checked() {
        assert!(
            input(50, "pm_card_visa", Some("https://hotel.example/done"))
                .validate()
                .is_ok()
        );
        assert!(input(49, "pm_card_visa", None).validate().is_err());
        assert!(input(100_000_000, "pm_card_visa", None).validate().is_err());
        assert!(input(5000, "pm/../x", None).validate().is_err());
        let mut completing = input(5000, "pm_card_visa", None);
        completing.payment_method_id = None;
        assert!(completing.validate().is_ok(), "checked when the path needs it");
        assert!(completing.payment_method().is_err());
        assert!(
            input(5000, "pm_card_visa", Some("javascript:alert(1)"))
                .validate()
                .is_err()
        );
        assert!(
            input(5000, "pm_card_visa", Some("https://a b"))
                .validate()
                .is_err()
        );
    }
}
