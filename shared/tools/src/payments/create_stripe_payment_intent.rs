//! `create_stripe_payment_intent`: a PaymentIntent for a guest's customer, not yet charged.

use super::input::{ChargeCents, Currency, CustomerId};
use super::stripe_key;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::{BookingNumber, IdempotencyToken, RecordId, Text};
use dewy_stripe::CreatePaymentIntent;
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec, backend_error};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `create_stripe_payment_intent`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePaymentIntentInput {
    /// In cents (5000 is $50.00).
    pub amount: ChargeCents,
    /// ISO 4217 code.
    pub currency: Currency,
    /// From create_stripe_customer.
    pub customer_id: CustomerId,
    /// What the payment is for, shown on the receipt.
    pub description: Text<1000>,
    /// The guest's Contact id, kept in the metadata.
    pub guest_id: RecordId,
    /// The booking paid for, kept in the metadata.
    #[serde(default)]
    pub booking_number: Option<BookingNumber>,
    /// A UUID; resending it returns the same PaymentIntent, never a second one.
    pub idempotency_token: IdempotencyToken,
}

/// Output of `create_stripe_payment_intent`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CreatePaymentIntentOutput {
    /// The PaymentIntent id (`pi_...`): pass it to confirm_stripe_payment.
    pub payment_intent_id: String,
    /// The secret a browser needs to finish the payment with Stripe.js (not a credential of the
    /// hotel's; give it only to the paying guest's browser).
    pub client_secret: Option<String>,
    /// Where it stands: `requires_payment_method` until it is confirmed with a card.
    pub status: String,
    /// The amount in cents.
    pub amount: u64,
    /// The currency.
    pub currency: String,
}

/// The `create_stripe_payment_intent` tool.
pub struct CreateStripePaymentIntent;

impl Tool for CreateStripePaymentIntent {
    type Input = CreatePaymentIntentInput;
    type Output = CreatePaymentIntentOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "create_stripe_payment_intent",
        personas: crate::personas::MANAGER,
        deployment: crate::deployment::SKILL.with_stripe(),
        description: "Create a Stripe PaymentIntent for a guest's customer to pay. Charges nothing yet: \
            confirm it with confirm_stripe_payment. To charge a checkout, use process_guest_checkout \
            instead.",
        effect: Effect::adds(KeyFrom::Token("idempotency_token")),
        open_world: true,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager@dewyhotel.com",
            json!({
                "amount": 44997,
                "currency": "usd",
                "customer_id": "cus_NffrFeUfNV2Hib",
                "description": "Hotel checkout payment",
                "guest_id": "003Dn0001kCiS0bIAF",
                "booking_number": "BK-0001",
                "idempotency_token": "8e3a1c5d-7f2b-4d9e-a1c6-3b5f7d9e1a24",
            }),
        )
    }

    fn success_status(&self, _output: &Self::Output) -> u16 {
        201
    }

    async fn call(
        &self,
        ctx: &Context,
        input: CreatePaymentIntentInput,
    ) -> Result<CreatePaymentIntentOutput, ToolError> {
        let stripe = ctx.stripe()?;
        let key = stripe_key(ctx, "payment_intent")?;
        let mut intent = CreatePaymentIntent::new(input.amount.get(), input.currency.as_str())
            .customer(input.customer_id.as_str())
            .description(input.description.as_str())
            .metadata("guest_id", input.guest_id.as_str());
        // The original passed `booking_id`, which its callee ignored: the number is what a person
        // looks a payment up by in the dashboard.
        if let Some(booking) = &input.booking_number {
            intent = intent.metadata("booking_number", booking.as_str());
        }
        let created = stripe
            .create_payment_intent(&intent, &key)
            .await
            .map_err(backend_error::stripe)?;
        super::audit_payment_intent(ctx, &created);
        Ok(CreatePaymentIntentOutput {
            payment_intent_id: created.id,
            client_secret: created.client_secret,
            status: created.status.as_str().to_owned(),
            amount: created.amount,
            currency: created.currency,
        })
    }
}
