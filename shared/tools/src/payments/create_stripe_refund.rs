//! `create_stripe_refund`: gives back all or part of a paid PaymentIntent.

use super::input::{PaymentIntentId, RefundCents, RefundReason, metadata_value};
use super::stripe_key;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::IdempotencyToken;
use dewy_stripe::CreateRefund;
use dewy_tool::confirm::MoneyDirection;
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec, backend_error};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `create_stripe_refund`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRefundInput {
    /// The paid payment to refund.
    pub payment_intent_id: PaymentIntentId,
    /// In cents; leave it out to refund all that is left. More than is left is VALIDATION_ERROR.
    #[serde(default)]
    pub amount: Option<RefundCents>,
    #[serde(default)]
    pub reason: Option<RefundReason>,
    /// Why, in your words (kept with the refund, up to 500 characters).
    #[serde(default)]
    pub metadata_reason: Option<String>,
    /// A UUID; resending it never refunds twice.
    pub idempotency_token: IdempotencyToken,
}

/// Output of `create_stripe_refund`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CreateRefundOutput {
    /// The refund id (`re_...`).
    pub refund_id: String,
    /// `succeeded`, `pending` (settles later), `failed`, `canceled` or `requires_action`.
    pub status: String,
    /// The amount refunded, in cents.
    pub amount: u64,
    /// The currency.
    pub currency: String,
    /// The refunded PaymentIntent.
    pub payment_intent_id: String,
}

/// The `create_stripe_refund` tool.
pub struct CreateStripeRefund;

impl Tool for CreateStripeRefund {
    type Input = CreateRefundInput;
    type Output = CreateRefundOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "create_stripe_refund",
        personas: crate::personas::MANAGER,
        deployment: crate::deployment::SKILL.with_stripe(),
        description: "Refund a paid PaymentIntent, fully or partly. It moves money back to the guest and \
            cannot be undone. A payment that has not succeeded is 422 PAYMENT_NOT_REFUNDABLE (check it with \
            retrieve_stripe_payment_status). To undo a whole checkout, use compensate_checkout_failure \
            instead.",
        effect: Effect::overwrites(KeyFrom::Token("idempotency_token")).moving_money(),
        open_world: true,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager@dewyhotel.com",
            json!({
                "payment_intent_id": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
                "amount": 14999,
                "reason": "requested_by_customer",
                "metadata_reason": "One night refunded: the heating in room 105 failed.",
                "idempotency_token": "b2d4f6a8-1c3e-4a5b-9d7f-0e2c4a6b8d13",
            }),
        )
    }

    fn success_status(&self, _output: &Self::Output) -> u16 {
        201
    }

    async fn call(&self, ctx: &Context, input: CreateRefundInput) -> Result<CreateRefundOutput, ToolError> {
        let stripe = ctx.stripe()?;
        let key = stripe_key(ctx, "refund")?;
        let mut refund = CreateRefund::full(input.payment_intent_id.as_str());
        if let Some(amount) = input.amount {
            refund = refund.amount(amount.get());
        }
        if let Some(reason) = input.reason {
            refund = refund.reason(reason.into());
        }
        let note = input
            .metadata_reason
            .as_deref()
            .map(str::trim)
            .unwrap_or_default();
        if !note.is_empty() {
            // Stripe refuses metadata values over 500 characters; a long note is kept in part
            // rather than failing the refund.
            refund = refund.metadata("reason", metadata_value(note));
        }
        // A person confirms the refund first when the caller's client can ask them: the amount (all
        // that is left unless one is given) and the card, read from Stripe only then.
        ctx.confirm(|| async {
            let intent = stripe
                .retrieve_payment_intent(input.payment_intent_id.as_str())
                .await
                .map_err(backend_error::stripe)?;
            let amount = input
                .amount
                .map_or_else(|| super::refundable(&intent), |a| a.get());
            Ok(super::move_on(&intent, MoneyDirection::Refund, amount, None))
        })
        .await?;
        // Whether the PaymentIntent can be refunded is Stripe's answer (422 PAYMENT_NOT_REFUNDABLE
        // through the shared mapping), not a guess from an earlier read that may be stale.
        let made = stripe
            .create_refund(&refund, &key)
            .await
            .map_err(backend_error::stripe)?;
        super::audit_refund(ctx, &made);
        Ok(CreateRefundOutput {
            refund_id: made.id,
            status: made.status.as_str().to_owned(),
            amount: made.amount,
            currency: made.currency,
            payment_intent_id: made
                .payment_intent
                .unwrap_or_else(|| input.payment_intent_id.as_str().to_owned()),
        })
    }
}
