//! `create_stripe_customer`: the guest's Stripe customer, found by email or created.

use super::stripe_key;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::{Email, IdempotencyToken, RecordId, Text};
use dewy_stripe::CreateCustomer;
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec, backend_error};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `create_stripe_customer`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStripeCustomerInput {
    /// The guest's email: an existing customer with this email is reused.
    pub email: Email,
    /// The guest's full name, as receipts show it.
    pub name: Text<256>,
    /// The guest's Contact id (search_contact_by_email returns it), kept in the metadata.
    pub guest_id: RecordId,
    #[serde(default)]
    pub phone: Option<Text<20>>,
    /// A UUID; resending it never creates a second customer.
    pub idempotency_token: IdempotencyToken,
}

/// Output of `create_stripe_customer`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CreateStripeCustomerOutput {
    /// The Stripe customer id (`cus_...`): pass it as `customer_id` to create_stripe_payment_intent.
    pub customer_id: String,
    /// The email the customer is filed under.
    pub email: Email,
    /// `true` when this call created the customer, `false` when one with this email existed.
    pub created: bool,
}

/// The `create_stripe_customer` tool.
pub struct CreateStripeCustomer;

impl Tool for CreateStripeCustomer {
    type Input = CreateStripeCustomerInput;
    type Output = CreateStripeCustomerOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "create_stripe_customer",
        personas: crate::personas::MANAGER,
        deployment: crate::deployment::SKILL.with_stripe(),
        description: "Get the Stripe customer for a guest before charging them: reuses the one with this \
            email (created=false), or creates one. Returns customer_id for create_stripe_payment_intent.",
        effect: Effect::adds(KeyFrom::Token("idempotency_token")),
        open_world: true,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager@dewyhotel.com",
            json!({
                "email": "kay@example.com",
                "name": "Kay Nakamura",
                "guest_id": "003Dn0001kCiS0bIAF",
                "phone": "+15550100101",
                "idempotency_token": "6c1e9f4a-2b7d-4e8a-9c3f-1d5b7a9e2f40",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        dewy_tool::created_status(output.created)
    }

    async fn call(
        &self,
        ctx: &Context,
        input: CreateStripeCustomerInput,
    ) -> Result<CreateStripeCustomerOutput, ToolError> {
        let stripe = ctx.stripe()?;
        // Emails are lower-cased on the way in (`Email`), and Stripe's email filter is
        // case-sensitive: every customer this hub creates is found again by the same spelling.
        let existing = stripe
            .search_customers_by_email(input.email.as_str())
            .await
            .map_err(backend_error::stripe)?;
        if let Some(customer) = existing {
            return Ok(CreateStripeCustomerOutput {
                customer_id: customer.id,
                email: input.email,
                created: false,
            });
        }
        let key = stripe_key(ctx, "customer")?;
        let mut new = CreateCustomer::new(input.email.as_str())
            .name(input.name.as_str())
            .metadata("guest_id", input.guest_id.as_str());
        if let Some(phone) = &input.phone {
            new = new.phone(phone.as_str());
        }
        let customer = stripe
            .create_customer(&new, &key)
            .await
            .map_err(backend_error::stripe)?;
        super::audit_customer(ctx, &customer.id);
        Ok(CreateStripeCustomerOutput {
            customer_id: customer.id,
            email: input.email,
            created: true,
        })
    }
}
