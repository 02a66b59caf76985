//! Objects as the API renders them: Stripe's JSON shapes (the fields the hub reads, plus the common
//! ones a client would expect to see).

use super::test_cards;
use serde_json::{Value, json};

use super::Store;
use crate::records::{ChargeRecord, CustomerRecord, NextActionRecord, PaymentIntentRecord, RefundRecord};

impl Store {
    /// A PaymentIntent; `expand_charge` renders `latest_charge` as the charge object (for
    /// `expand[]=latest_charge`) instead of its id.
    pub fn render_payment_intent(&self, intent: &PaymentIntentRecord, expand_charge: bool) -> Value {
        let latest_charge = match &intent.latest_charge {
            Some(id) if expand_charge => self.charge(id).map_or(json!(id), render_charge),
            Some(id) => json!(id),
            None => Value::Null,
        };
        let last_payment_error = intent.last_payment_error.as_ref().map(|e| {
            json!({
                "type": "card_error",
                "code": e.code,
                "decline_code": e.decline_code,
                "message": e.message,
                "payment_method": {"id": e.payment_method, "object": "payment_method", "type": "card"},
            })
        });
        let next_action = intent.next_action.as_ref().map(|action| match action {
            NextActionRecord::UseStripeSdk => json!({
                "type": "use_stripe_sdk",
                "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": ""},
            }),
            NextActionRecord::RedirectToUrl { url, return_url } => json!({
                "type": "redirect_to_url",
                "redirect_to_url": {"url": url, "return_url": return_url},
            }),
        });
        let automatic_payment_methods = intent.automatic_payment_methods.then(|| {
            json!({
                "enabled": true,
                "allow_redirects": if intent.allow_redirects { "always" } else { "never" },
            })
        });
        json!({
            "id": intent.id,
            "object": "payment_intent",
            "amount": intent.amount,
            "amount_capturable": 0,
            "amount_received": intent.amount_received,
            "automatic_payment_methods": automatic_payment_methods,
            "capture_method": "automatic",
            "client_secret": intent.client_secret,
            "confirmation_method": "automatic",
            "created": intent.created,
            "currency": intent.currency,
            "customer": intent.customer,
            "description": intent.description,
            "last_payment_error": last_payment_error,
            "latest_charge": latest_charge,
            "livemode": false,
            "metadata": intent.metadata,
            "next_action": next_action,
            "payment_method": intent.payment_method,
            "payment_method_types": ["card"],
            "status": intent.status.as_str(),
        })
    }
}

/// A customer.
pub(crate) fn render_customer(customer: &CustomerRecord) -> Value {
    json!({
        "id": customer.id,
        "object": "customer",
        "balance": 0,
        "created": customer.created,
        "currency": null,
        "delinquent": false,
        "description": customer.description,
        "email": customer.email,
        "livemode": false,
        "metadata": customer.metadata,
        "name": customer.name,
        "phone": customer.phone,
    })
}

/// A charge.
pub(crate) fn render_charge(charge: &ChargeRecord) -> Value {
    json!({
        "id": charge.id,
        "object": "charge",
        "amount": charge.amount,
        "amount_captured": if charge.succeeded { charge.amount } else { 0 },
        "amount_refunded": charge.amount_refunded,
        "captured": charge.succeeded,
        "created": charge.created,
        "currency": charge.currency,
        "customer": charge.customer,
        "failure_code": charge.failure_code,
        "livemode": false,
        "paid": charge.succeeded,
        "payment_intent": charge.payment_intent,
        "payment_method": charge.payment_method,
        "payment_method_details": {
            "type": "card",
            "card": test_cards::card(&charge.payment_method).map(|(brand, last4)| card_json(brand, last4)),
        },
        "refunded": charge.succeeded && charge.amount_refunded >= charge.amount,
        "status": if charge.succeeded { "succeeded" } else { "failed" },
    })
}

/// A test payment method, as `GET /v1/payment_methods/{id}` answers it.
pub(crate) fn render_payment_method(id: &str, brand: &str, last4: &str) -> Value {
    json!({
        "id": id,
        "object": "payment_method",
        "billing_details": {"address": null, "email": null, "name": null, "phone": null},
        "card": card_json(brand, last4),
        "created": 1_700_000_000,
        "customer": null,
        "livemode": false,
        "metadata": {},
        "type": "card",
    })
}

/// A card's public details (the shape of `card` on a PaymentMethod and on a charge's
/// `payment_method_details`).
fn card_json(brand: &str, last4: &str) -> Value {
    json!({
        "brand": brand,
        "country": "US",
        "exp_month": 12,
        "exp_year": 2034,
        "funding": if last4 == "5556" { "debit" } else { "credit" },
        "last4": last4,
    })
}

/// A refund.
pub(crate) fn render_refund(refund: &RefundRecord) -> Value {
    json!({
        "id": refund.id,
        "object": "refund",
        "amount": refund.amount,
        "charge": refund.charge,
        "created": refund.created,
        "currency": refund.currency,
        "metadata": refund.metadata,
        "payment_intent": refund.payment_intent,
        "reason": refund.reason,
        "status": refund.status,
    })
}
