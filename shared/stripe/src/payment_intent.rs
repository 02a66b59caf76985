//! PaymentIntents: create (optionally confirming in the same call), confirm, retrieve, list.

use crate::client::{Request, checked_id};
use crate::form::Form;
use crate::wire_enum::wire_enum;
use crate::{Stripe, StripeError, StripeIdempotencyKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

wire_enum! {
    /// Where a PaymentIntent stands.
    pub enum PaymentIntentStatus {
        /// No payment method yet, or the last attempt failed (see `last_payment_error`).
        RequiresPaymentMethod => "requires_payment_method",
        /// Has a payment method; waiting to be confirmed.
        RequiresConfirmation => "requires_confirmation",
        /// The customer must act (3-D Secure); see `next_action`.
        RequiresAction => "requires_action",
        /// Being processed; the outcome comes later.
        Processing => "processing",
        /// Authorised, waiting to be captured.
        RequiresCapture => "requires_capture",
        /// Canceled.
        Canceled => "canceled",
        /// Paid.
        Succeeded => "succeeded",
    }
}

/// A PaymentIntent (the fields the hub uses; others are ignored).
///
/// `Debug` leaves out the client secret: whoever holds it can complete the payment from a browser,
/// so it must not reach a log through a `{:?}`.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentIntent {
    /// `pi_...`.
    pub id: String,
    /// Where it stands.
    pub status: PaymentIntentStatus,
    /// Amount in the currency's smallest unit (cents).
    pub amount: u64,
    /// Amount collected.
    pub amount_received: u64,
    /// Lowercase ISO code, e.g. `usd`.
    pub currency: String,
    /// The customer id.
    pub customer: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// The secret a browser needs to finish the payment (3-D Secure); not a credential of ours.
    pub client_secret: Option<String>,
    /// The latest charge: its id, or the object when expanded.
    pub latest_charge: Option<LatestCharge>,
    /// Why the last attempt failed.
    pub last_payment_error: Option<PaymentError>,
    /// What the customer must do next (in `requires_action`).
    pub next_action: Option<NextAction>,
    /// The attached payment method id.
    pub payment_method: Option<String>,
    /// Metadata, e.g. `guest_id`, `booking_number`.
    pub metadata: BTreeMap<String, String>,
}

impl std::fmt::Debug for PaymentIntent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentIntent")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("amount", &self.amount)
            .field("amount_received", &self.amount_received)
            .field("currency", &self.currency)
            .field("customer", &self.customer)
            .field("description", &self.description)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("latest_charge", &self.latest_charge)
            .field("last_payment_error", &self.last_payment_error)
            .field("next_action", &self.next_action)
            .field("payment_method", &self.payment_method)
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl PaymentIntent {
    /// The id of the latest charge, expanded or not: what the hub stores as the payment id.
    pub fn charge_id(&self) -> Option<&str> {
        match self.latest_charge.as_ref()? {
            LatestCharge::Id(id) => Some(id),
            LatestCharge::Charge(charge) => Some(&charge.id),
        }
    }

    /// The latest charge object, when it was expanded.
    pub fn charge(&self) -> Option<&Charge> {
        match self.latest_charge.as_ref()? {
            LatestCharge::Charge(charge) => Some(charge),
            LatestCharge::Id(_) => None,
        }
    }

    /// Whether it is paid.
    pub fn is_succeeded(&self) -> bool {
        self.status == PaymentIntentStatus::Succeeded
    }
}

/// A PaymentIntent's `latest_charge`: an id, or the charge when requested with `expand[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LatestCharge {
    /// `ch_...`.
    Id(String),
    /// The expanded charge.
    Charge(Box<Charge>),
}

/// A charge (the fields the hub uses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Charge {
    /// `ch_...`.
    pub id: String,
    /// The amount charged.
    pub amount: u64,
    /// The amount refunded so far.
    pub amount_refunded: u64,
    /// Whether it is fully refunded.
    pub refunded: bool,
    /// Whether it succeeded.
    pub paid: bool,
    /// `succeeded`, `pending` or `failed`.
    pub status: String,
    /// For a failed charge, the error code.
    pub failure_code: Option<String>,
    /// How it was paid: the card's brand and last four digits.
    pub payment_method_details: Option<PaymentMethodDetails>,
}

/// A charge's `payment_method_details` (the card, for a card payment).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentMethodDetails {
    /// The card, for a card payment.
    pub card: Option<CardDetails>,
}

/// A card as Stripe shows it: never the number, only what a person recognises it by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CardDetails {
    /// `visa`, `mastercard`, `amex`, ...
    pub brand: String,
    /// The number's last four digits.
    pub last4: String,
}

/// A PaymentMethod (the fields the hub uses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentMethod {
    /// `pm_...`.
    pub id: String,
    /// The card, for a card payment method.
    pub card: Option<CardDetails>,
}

/// A PaymentIntent's `last_payment_error`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentError {
    /// `card_declined`, `expired_card`, ...
    pub code: Option<String>,
    /// `generic_decline`, `insufficient_funds`, ...
    pub decline_code: Option<String>,
    /// The message, fit for the customer.
    pub message: Option<String>,
    /// Stripe's error type, e.g. `card_error`.
    #[serde(rename = "type")]
    pub error_type: Option<String>,
}

/// A PaymentIntent's `next_action`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NextAction {
    /// `use_stripe_sdk` (finish with Stripe.js using the client secret) or `redirect_to_url`.
    #[serde(rename = "type")]
    pub action_type: String,
    /// Where to send the customer, for `redirect_to_url`.
    pub redirect_to_url: Option<RedirectToUrl>,
}

impl NextAction {
    /// The URL to send the customer to, if the action is a redirect.
    pub fn redirect_url(&self) -> Option<&str> {
        self.redirect_to_url.as_ref()?.url.as_deref()
    }
}

/// The redirect of a `redirect_to_url` next action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RedirectToUrl {
    /// Where to send the customer.
    pub url: Option<String>,
    /// Where they come back.
    pub return_url: Option<String>,
}

/// The parameters of a new PaymentIntent. Automatic payment methods are always on with redirects
/// off (`allow_redirects=never`): the hub confirms server-side with a PaymentMethod id, where a
/// redirect-only method could never complete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreatePaymentIntent<'a> {
    /// Amount in the currency's smallest unit; Stripe refuses less than 50 cents for usd
    /// (`amount_too_small`).
    pub amount: u64,
    /// Lowercase ISO code, e.g. `usd`.
    pub currency: &'a str,
    /// The customer id.
    pub customer: Option<&'a str>,
    /// The description (shown in the dashboard and on receipts).
    pub description: Option<&'a str>,
    /// Metadata entries.
    pub metadata: Vec<(&'a str, &'a str)>,
    /// The PaymentMethod id to charge (e.g. `pm_card_visa` in test mode).
    pub payment_method: Option<&'a str>,
    /// Confirm in the same call (needs `payment_method`): one round trip instead of two.
    pub confirm: bool,
    /// Where a 3-D Secure redirect returns; only with `confirm`. Without it, authentication-required
    /// cards answer `next_action.type = use_stripe_sdk` instead of a redirect URL.
    pub return_url: Option<&'a str>,
}

impl<'a> CreatePaymentIntent<'a> {
    /// A PaymentIntent for `amount` (smallest unit) in `currency`.
    pub fn new(amount: u64, currency: &'a str) -> Self {
        CreatePaymentIntent {
            amount,
            currency,
            ..CreatePaymentIntent::default()
        }
    }

    /// For this customer.
    pub fn customer(mut self, customer: &'a str) -> Self {
        self.customer = Some(customer);
        self
    }

    /// With a description.
    pub fn description(mut self, description: &'a str) -> Self {
        self.description = Some(description);
        self
    }

    /// With one more metadata entry.
    pub fn metadata(mut self, key: &'a str, value: &'a str) -> Self {
        self.metadata.push((key, value));
        self
    }

    /// Attach `payment_method` and confirm in the same call.
    pub fn confirm_with(mut self, payment_method: &'a str) -> Self {
        self.payment_method = Some(payment_method);
        self.confirm = true;
        self
    }

    /// With a 3-D Secure return URL (with [`CreatePaymentIntent::confirm_with`]).
    pub fn return_url(mut self, return_url: &'a str) -> Self {
        self.return_url = Some(return_url);
        self
    }

    fn form(&self) -> Form {
        Form::new()
            .field("amount", self.amount)
            .field("currency", self.currency)
            .optional("customer", self.customer)
            .optional("description", self.description)
            .metadata(self.metadata.iter().copied())
            .optional("payment_method", self.payment_method)
            .optional("confirm", self.confirm.then_some(true))
            .optional("return_url", self.return_url)
            .field("automatic_payment_methods[enabled]", true)
            .field("automatic_payment_methods[allow_redirects]", "never")
    }
}

/// The parameters of a confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfirmPaymentIntent<'a> {
    /// The PaymentMethod id to charge.
    pub payment_method: &'a str,
    /// Where a 3-D Secure redirect returns.
    pub return_url: Option<&'a str>,
}

impl<'a> ConfirmPaymentIntent<'a> {
    /// Confirm with `payment_method`.
    pub fn new(payment_method: &'a str) -> Self {
        ConfirmPaymentIntent {
            payment_method,
            return_url: None,
        }
    }

    /// With a 3-D Secure return URL.
    pub fn return_url(mut self, return_url: &'a str) -> Self {
        self.return_url = Some(return_url);
        self
    }
}

impl Stripe {
    /// Creates a PaymentIntent, and with `confirm` charges it in the same call: `POST
    /// /v1/payment_intents`.
    ///
    /// A declined card is `Err(StripeError::Card)` carrying the PaymentIntent (left in
    /// `requires_payment_method`); a card that needs 3-D Secure is `Ok` with status `requires_action`.
    /// `key` makes a retry (by the connector, or by the caller with the same key) return the same
    /// PaymentIntent instead of charging twice.
    pub async fn create_payment_intent(
        &self,
        intent: &CreatePaymentIntent<'_>,
        key: &StripeIdempotencyKey,
    ) -> Result<PaymentIntent, StripeError> {
        let path = "/v1/payment_intents".to_owned();
        self.execute(&Request::post("create payment_intent", path, intent.form(), key))
            .await
    }

    /// Confirms (charges) a PaymentIntent: `POST /v1/payment_intents/{id}/confirm`. Outcomes as for
    /// [`Stripe::create_payment_intent`]; confirming one that already succeeded is
    /// `InvalidRequest` `payment_intent_unexpected_state`, carrying the PaymentIntent.
    pub async fn confirm_payment_intent(
        &self,
        id: &str,
        confirmation: &ConfirmPaymentIntent<'_>,
        key: &StripeIdempotencyKey,
    ) -> Result<PaymentIntent, StripeError> {
        let path = format!("/v1/payment_intents/{}/confirm", checked_id(id, "PaymentIntent")?);
        let params = Form::new()
            .field("payment_method", confirmation.payment_method)
            .optional("return_url", confirmation.return_url);
        self.execute(&Request::post("confirm payment_intent", path, params, key))
            .await
    }

    /// A PaymentMethod: `GET /v1/payment_methods/{id}`, e.g. for the card a person confirms a
    /// charge on. A missing one is `InvalidRequest` with status 404 (`is_not_found()`).
    pub async fn retrieve_payment_method(&self, id: &str) -> Result<PaymentMethod, StripeError> {
        let path = format!("/v1/payment_methods/{}", checked_id(id, "PaymentMethod")?);
        self.execute(&Request::get("retrieve payment_method", path, Form::new()))
            .await
    }

    /// A PaymentIntent with its latest charge expanded: `GET /v1/payment_intents/{id}`.
    /// A missing one is `InvalidRequest` with status 404 (`is_not_found()`).
    pub async fn retrieve_payment_intent(&self, id: &str) -> Result<PaymentIntent, StripeError> {
        let path = format!("/v1/payment_intents/{}", checked_id(id, "PaymentIntent")?);
        let params = Form::new().expand("latest_charge");
        self.execute(&Request::get("retrieve payment_intent", path, params))
            .await
    }
}

/// A page of `GET /v1/payment_intents`.
#[derive(Debug, Deserialize)]
struct Page {
    data: Vec<PaymentIntent>,
    has_more: bool,
}

/// Stripe's largest page.
const PAGE_SIZE: u32 = 100;

impl Stripe {
    /// Every PaymentIntent created at or after `since` (Unix seconds), newest first, latest charges
    /// expanded: `GET /v1/payment_intents?created[gte]=`, page after page (`starting_after`).
    ///
    /// The list endpoint, not the Search API: a list reads what was just written, while search
    /// may miss a payment made in the last minute, which is the one a caller of this looks for.
    /// More than `max_pages` pages is [`StripeError::InvalidInput`]: the caller asked for a window
    /// wider than it meant to read.
    pub async fn list_payment_intents_since(
        &self,
        since: i64,
        max_pages: usize,
    ) -> Result<Vec<PaymentIntent>, StripeError> {
        let mut intents: Vec<PaymentIntent> = Vec::new();
        for _ in 0..max_pages {
            let mut params = Form::new()
                .field("created[gte]", since)
                .field("limit", PAGE_SIZE)
                .expand("data.latest_charge");
            if let Some(last) = intents.last() {
                params = params.field("starting_after", &last.id);
            }
            let request = Request::get("list payment_intents", "/v1/payment_intents".to_owned(), params);
            let page: Page = self.execute(&request).await?;
            intents.extend(page.data);
            if !page.has_more {
                return Ok(intents);
            }
        }
        Err(StripeError::InvalidInput(format!(
            "more than {max_pages} pages of PaymentIntents were created since {since}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unknown statuses and extra fields decode; the charge id is found expanded or not.
    #[test]
    fn payment_intents_decode_tolerantly() {
        let json = r#"{"id":"pi_1","object":"payment_intent","status":"requires_magic","amount":5000,
            "amount_received":0,"currency":"usd","customer":null,"latest_charge":"ch_1","metadata":{"k":"v"},
            "next_action":{"type":"redirect_to_url","redirect_to_url":{"url":"https://x","return_url":"https://y"}},
            "brand_new_field":[1,2,3]}"#;
        let pi: PaymentIntent = serde_json::from_str(json).unwrap();
        assert_eq!(pi.status, PaymentIntentStatus::Unknown("requires_magic".into()));
        assert_eq!(pi.status.as_str(), "requires_magic");
        assert_eq!(pi.charge_id(), Some("ch_1"));
        assert_eq!(
            pi.next_action.as_ref().and_then(NextAction::redirect_url),
            Some("https://x")
        );
        let expanded: PaymentIntent = serde_json::from_str(
            r#"{"id":"pi_2","status":"succeeded","latest_charge":{"id":"ch_2","object":"charge","amount":5000,"amount_refunded":100}}"#,
        )
        .unwrap();
        assert!(expanded.is_succeeded());
        assert_eq!(expanded.charge_id(), Some("ch_2"));
        assert_eq!(expanded.charge().map(|c| c.amount_refunded), Some(100));
        assert_eq!(serde_json::to_value(&expanded.status).unwrap(), "succeeded");
    }

    /// Create-and-confirm sends everything in one form, redirects off.
    #[test]
    fn the_create_form_confirms_in_one_call() {
        let form = CreatePaymentIntent::new(5000, "usd")
            .customer("cus_1")
            .metadata("booking_number", "BK-0001")
            .confirm_with("pm_card_visa")
            .form();
        let pairs: Vec<(&str, &str)> = form
            .pairs()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        for expected in [
            ("amount", "5000"),
            ("customer", "cus_1"),
            ("metadata[booking_number]", "BK-0001"),
            ("payment_method", "pm_card_visa"),
            ("confirm", "true"),
            ("automatic_payment_methods[allow_redirects]", "never"),
        ] {
            assert!(pairs.contains(&expected), "{expected:?} in {pairs:?}");
        }
        let unconfirmed = CreatePaymentIntent::new(5000, "usd").form();
        assert!(
            !unconfirmed
                .pairs()
                .iter()
                .any(|(k, _)| k == "confirm" || k == "payment_method")
        );
    }

    #[test]
    fn debug_leaves_out_the_client_secret() {
        let intent = PaymentIntent {
            id: "pi_1".to_owned(),
            client_secret: Some("pi_1_secret_abc".to_owned()),
            ..PaymentIntent::default()
        };
        let printed = format!("{intent:?}");
        assert!(
            printed.contains("pi_1") && printed.contains("[redacted]"),
            "{printed}"
        );
        assert!(!printed.contains("secret_abc"), "{printed}");
    }
}
