//! `create_opportunity`: the revenue record a booking hangs from (a booking's master).

use super::STAFF_OVERWRITE;
use super::sf::{self, Body};
use super::views::contact::{self, full_name};
use chrono::{Days, NaiveDate};
use dewy_domain::ToolError;
use dewy_domain::input::{Email, IsoDate, Text};
use dewy_domain::objects::contact::ACCOUNT as CONTACT_ACCOUNT;
use dewy_domain::objects::opportunity::{self, OpportunityStage};
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec, Write};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The opportunity type when none is given, as in the original.
pub(crate) const DEFAULT_TYPE: &str = "New Business";

/// Salesforce's limit on an opportunity's name.
pub(crate) const MAX_NAME: usize = 120;

/// The largest amount a Salesforce currency field holds (18 digits, 2 of them after the point):
/// a larger one would be Salesforce's `NUMBER_OUTSIDE_VALID_RANGE`, the caller's error.
const MAX_AMOUNT: f64 = 9_999_999_999_999_999.99;

/// Input of `create_opportunity`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOpportunityInput {
    /// The guest's email; their Contact must exist.
    pub contact_email: Email,
    /// For a booking, Booking Confirmed.
    pub stage_name: OpportunityStage,
    /// For a booking, its check-in date.
    pub close_date: IsoDate,
    /// In dollars.
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_AMOUNT))]
    pub amount: Option<f64>,
    /// Defaults to New Business.
    #[serde(default, rename = "type")]
    pub opportunity_type: Option<Text<255>>,
}

/// Output of `create_opportunity`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CreateOpportunityOutput {
    /// The new opportunity's id: pass it as `opportunity_id` to upsert_booking.
    pub opportunity_id: String,
    /// Its name, "Booking for First Last - close date".
    pub name: String,
    /// Its stage.
    pub stage_name: OpportunityStage,
    /// Its close date.
    pub close_date: IsoDate,
    /// Its amount.
    pub amount: Option<f64>,
    /// The guest's Contact id.
    pub contact_id: String,
    /// Always `true`.
    pub created: bool,
}

/// The `create_opportunity` tool.
pub struct CreateOpportunity;

impl Tool for CreateOpportunity {
    type Input = CreateOpportunityInput;
    type Output = CreateOpportunityOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "create_opportunity",
        personas: crate::personas::FRONT_DESK,
        deployment: crate::deployment::SKILL,
        description: "Create a guest's opportunity, the record a booking belongs to. Returns opportunity_id \
            for upsert_booking. Each call creates a new one (an identical retry within the replay window \
            gets the first answer). To book a room in one step, use create_booking_orchestrator instead.",
        // A create, not an upsert: it neither overwrites anything nor is harmless to repeat once
        // the replay window has passed.
        effect: Effect::Writes(Write {
            key: KeyFrom::Input,
            destructive: false,
            idempotent: false,
            moves_money: false,
        }),
        open_world: false,
        ..STAFF_OVERWRITE
    };

    fn sample(&self, today: NaiveDate) -> Sample {
        Sample::manager(
            "manager1@hotel.com",
            json!({
                "contact_email": "james.wilson@example.com",
                "stage_name": "Booking Confirmed",
                "close_date": today + Days::new(180),
                "amount": 599.98,
                "type": "Hotel Booking",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        dewy_tool::created_status(output.created)
    }

    async fn call(
        &self,
        ctx: &Context,
        input: CreateOpportunityInput,
    ) -> Result<CreateOpportunityOutput, ToolError> {
        if let Some(amount) = input.amount.filter(|a| !(0.0..=MAX_AMOUNT).contains(a)) {
            return Err(ToolError::validation(format!(
                "amount must be a number of dollars from 0 to {MAX_AMOUNT}, not {amount}."
            ))
            .with_details(json!({ "field": "amount" })));
        }
        let guest = contact::find_by_email(ctx, &input.contact_email)
            .await?
            .ok_or_else(|| contact::guest_not_found(&input.contact_email));
        let guest = ctx.audit().check("guest_found", guest)?;
        let contact_id = guest.id()?.to_owned();
        let name: String = format!("Booking for {} - {}", full_name(&guest)?, input.close_date)
            .chars()
            .take(MAX_NAME)
            .collect();
        let opportunity_type = input.opportunity_type.as_ref().map_or(DEFAULT_TYPE, Text::as_str);
        let body = Body::default()
            .always(opportunity::NAME, &name)
            .always(opportunity::STAGE, input.stage_name)
            .always(opportunity::CLOSE_DATE, input.close_date)
            .always(opportunity::TYPE, opportunity_type)
            .always(opportunity::CONTACT, &contact_id)
            .set(opportunity::AMOUNT, input.amount)
            .set(opportunity::ACCOUNT, guest.text(CONTACT_ACCOUNT)?)
            .into_value();
        let opportunity_id = sf::create(ctx, opportunity::OBJECT, &body).await?;
        ctx.audit().created(&opportunity_id, input.stage_name);
        Ok(CreateOpportunityOutput {
            opportunity_id,
            name,
            stage_name: input.stage_name,
            close_date: input.close_date,
            amount: input.amount,
            contact_id,
            created: true,
        })
    }
}
