//! `confirm_stripe_payment`: charges a PaymentIntent with a payment method.

use super::input::{PaymentIntentId, PaymentMethodId, ReturnUrl};
use super::stripe_key;
use super::view::NextStep;
use chrono::NaiveDate;
use dewy_domain::{ErrorCode, ToolError};
use dewy_stripe::{ConfirmPaymentIntent, PaymentIntentStatus, StripeError};
use dewy_tool::confirm::MoneyDirection;
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec, backend_error};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `confirm_stripe_payment`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmPaymentInput {
    /// From create_stripe_payment_intent.
    pub payment_intent_id: PaymentIntentId,
    /// The guest's card.
    pub payment_method_id: PaymentMethodId,
    /// Where the guest returns after 3-D Secure; with it, authentication answers a redirect URL.
    #[serde(default)]
    pub return_url: Option<ReturnUrl>,
}

/// Output of `confirm_stripe_payment`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ConfirmPaymentOutput {
    /// The PaymentIntent id.
    pub payment_intent_id: String,
    /// `succeeded` (paid), `requires_action` (the guest must authenticate), or `processing`.
    pub status: String,
    /// The charge id (`ch_...`) once paid: what Salesforce stores as the payment id.
    pub charge_id: Option<String>,
    /// The amount in cents.
    pub amount: u64,
    /// The currency.
    pub currency: String,
    /// `true` when the guest must authenticate (3-D Secure) before the payment can succeed.
    pub requires_action: bool,
    /// With `requires_action`: `redirect_to_url` or `use_stripe_sdk`.
    pub next_action_type: Option<String>,
    /// With `redirect_to_url`: where to send the guest.
    pub next_action_url: Option<String>,
}

/// The `confirm_stripe_payment` tool.
pub struct ConfirmStripePayment;

impl Tool for ConfirmStripePayment {
    type Input = ConfirmPaymentInput;
    type Output = ConfirmPaymentOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "confirm_stripe_payment",
        personas: crate::personas::MANAGER,
        deployment: crate::deployment::SKILL.with_stripe(),
        description: "Charge a PaymentIntent with the guest's card. Paid: status succeeded. If the guest \
            must authenticate with their bank: 202 requires_action with next_action_url (give return_url to \
            get one); send them there, then check with retrieve_stripe_payment_status. A declined card is \
            402 PAYMENT_FAILED with the decline_code: ask for another card. Already paid or canceled: 409 \
            INVALID_STATE_TRANSITION. Repeating the same confirmation charges once.",
        // One PaymentIntent charged with one payment method is one operation, whoever retries it.
        effect: Effect::adds(KeyFrom::Fields(&["payment_intent_id", "payment_method_id"])).moving_money(),
        open_world: true,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager@dewyhotel.com",
            json!({
                "payment_intent_id": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
                "payment_method_id": "pm_card_visa",
                "return_url": "https://dewy.example/checkout/complete",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        if output.requires_action { 202 } else { 200 }
    }

    async fn call(
        &self,
        ctx: &Context,
        input: ConfirmPaymentInput,
    ) -> Result<ConfirmPaymentOutput, ToolError> {
        let stripe = ctx.stripe()?;
        let key = stripe_key(ctx, "confirm")?;
        // A person confirms the charge first when the caller's client can ask them: the payment's
        // amount and the card, read from Stripe only then.
        ctx.confirm(|| async {
            let (intent, card) = tokio::try_join!(
                async {
                    stripe
                        .retrieve_payment_intent(input.payment_intent_id.as_str())
                        .await
                        .map_err(backend_error::stripe)
                },
                super::card_of_method(ctx, input.payment_method_id.as_str()),
            )?;
            Ok(super::move_on(
                &intent,
                MoneyDirection::Charge,
                intent.amount,
                card,
            ))
        })
        .await?;
        let mut confirmation = ConfirmPaymentIntent::new(input.payment_method_id.as_str());
        if let Some(url) = &input.return_url {
            confirmation = confirmation.return_url(url.as_str());
        }
        let intent = stripe
            .confirm_payment_intent(input.payment_intent_id.as_str(), &confirmation, &key)
            .await
            .map_err(not_confirmable);
        let intent = match intent {
            Err(error) if error.code == ErrorCode::InvalidStateTransition => {
                let id = input.payment_intent_id.as_str();
                return ctx.audit().check_on("payment_confirmable", id, Err(error));
            }
            other => other?,
        };
        super::audit_payment_intent(ctx, &intent);
        let next = NextStep::of(&intent);
        Ok(ConfirmPaymentOutput {
            charge_id: intent.charge_id().map(str::to_owned),
            requires_action: intent.status == PaymentIntentStatus::RequiresAction,
            status: intent.status.as_str().to_owned(),
            payment_intent_id: intent.id,
            amount: intent.amount,
            currency: intent.currency,
            next_action_type: next.action_type,
            next_action_url: next.url,
        })
    }
}

/// Stripe's answer for a PaymentIntent that cannot be confirmed in its state (already succeeded,
/// canceled, processing) is a state conflict here, not the refund refusal the shared mapping makes
/// of the same Stripe code; every other failure maps as usual.
fn not_confirmable(error: StripeError) -> ToolError {
    let StripeError::InvalidRequest {
        code: Some(code),
        payment_intent,
        ..
    } = &error
    else {
        return backend_error::stripe(error);
    };
    if code != "payment_intent_unexpected_state" {
        return backend_error::stripe(error);
    }
    tracing::warn!(backend = "stripe", %error, "PaymentIntent not confirmable in its state");
    let status = payment_intent.as_ref().map(|pi| pi.status.as_str().to_owned());
    let message = match status.as_deref() {
        Some("succeeded") => "This PaymentIntent is already paid, so there is nothing to confirm. Use \
            retrieve_stripe_payment_status for its charge."
            .to_owned(),
        Some(status) => format!(
            "This PaymentIntent cannot be confirmed: its status is {status}. Only one that requires a payment \
             method, confirmation or action can be; create a new PaymentIntent if needed."
        ),
        None => "This PaymentIntent cannot be confirmed in its current state. Check it with \
            retrieve_stripe_payment_status."
            .to_owned(),
    };
    let mut details = json!({ "backend": "stripe", "retryable": false, "stripe_error_code": code });
    if let Some(intent) = payment_intent {
        details["payment_intent_id"] = json!(intent.id);
        details["status"] = json!(intent.status.as_str());
        details["charge_id"] = json!(intent.charge_id());
    }
    ToolError::new(ErrorCode::InvalidStateTransition, message).with_details(details)
}
