//! `retrieve_stripe_payment_status` and `stripe_payment_status`: the original's two names for one
//! recipe, a read of a PaymentIntent. One implementation, [`PaymentStatus`], is registered under
//! each name ([`RETRIEVE_STRIPE_PAYMENT_STATUS`], [`STRIPE_PAYMENT_STATUS`]).

use super::input::PaymentIntentId;
use super::view::LastPaymentError;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_tool::{Context, Effect, Sample, Tool, ToolSpec, backend_error};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// Input of the payment status tools.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentStatusInput {
    pub payment_intent_id: PaymentIntentId,
}

/// Output of the payment status tools.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct PaymentStatusOutput {
    /// The PaymentIntent id.
    pub payment_intent_id: String,
    /// `requires_payment_method` (none yet, or the last attempt failed), `requires_confirmation`,
    /// `requires_action` (the guest must authenticate), `processing`, `requires_capture`,
    /// `canceled` or `succeeded` (paid).
    pub status: String,
    /// The amount in cents.
    pub amount: u64,
    /// The amount collected, in cents.
    pub amount_received: u64,
    /// The currency.
    pub currency: String,
    /// The Stripe customer, if any.
    pub customer_id: Option<String>,
    /// The latest charge (`ch_...`): the payment when succeeded, the failed attempt after a decline.
    pub charge_id: Option<String>,
    /// Why the last attempt failed, or null.
    pub last_payment_error: Option<LastPaymentError>,
    /// The metadata, e.g. `guest_id` and `booking_number`.
    pub metadata: BTreeMap<String, String>,
}

/// Which of the two names the tool is registered under.
pub trait StatusToolName: Send + Sync + 'static {
    /// The tool name.
    const NAME: &'static str;
    /// For the second name, the first (see `ToolSpec::alias_of`).
    const ALIAS_OF: Option<&'static str> = None;
}

/// The name `retrieve_stripe_payment_status`.
pub struct RetrieveName;
impl StatusToolName for RetrieveName {
    const NAME: &'static str = "retrieve_stripe_payment_status";
}

/// The name `stripe_payment_status`.
pub struct ShortName;
impl StatusToolName for ShortName {
    const NAME: &'static str = "stripe_payment_status";
    const ALIAS_OF: Option<&'static str> = Some("retrieve_stripe_payment_status");
}

/// The payment status read, under the name `N`.
pub struct PaymentStatus<N>(PhantomData<N>);

/// `retrieve_stripe_payment_status`.
pub const RETRIEVE_STRIPE_PAYMENT_STATUS: PaymentStatus<RetrieveName> = PaymentStatus(PhantomData);
/// `stripe_payment_status`.
pub const STRIPE_PAYMENT_STATUS: PaymentStatus<ShortName> = PaymentStatus(PhantomData);

impl<N: StatusToolName> Tool for PaymentStatus<N> {
    type Input = PaymentStatusInput;
    type Output = PaymentStatusOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: N::NAME,
        personas: crate::personas::MANAGER,
        deployment: crate::deployment::SKILL.with_stripe(),
        description: "Read where a Stripe PaymentIntent stands: status succeeded = paid, requires_action = \
            the guest still has to authenticate, requires_payment_method = not paid yet or declined (see \
            last_payment_error). Use it after a 3-D Secure step or before a refund. An unknown id is \
            PAYMENT_NOT_FOUND.",
        effect: Effect::ReadOnly,
        open_world: true,
        alias_of: N::ALIAS_OF,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager@dewyhotel.com",
            json!({
                "payment_intent_id": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: PaymentStatusInput) -> Result<PaymentStatusOutput, ToolError> {
        let intent = ctx
            .stripe()?
            .retrieve_payment_intent(input.payment_intent_id.as_str())
            .await
            .map_err(backend_error::stripe)?;
        Ok(PaymentStatusOutput {
            charge_id: intent.charge_id().map(str::to_owned),
            last_payment_error: intent.last_payment_error.as_ref().map(LastPaymentError::from),
            status: intent.status.as_str().to_owned(),
            payment_intent_id: intent.id,
            amount: intent.amount,
            amount_received: intent.amount_received,
            currency: intent.currency,
            customer_id: intent.customer,
            metadata: intent.metadata,
        })
    }
}
