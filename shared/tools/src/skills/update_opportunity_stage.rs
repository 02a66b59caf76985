//! `update_opportunity_stage`: moves an opportunity through its stages (Booking Confirmed →
//! Checked In → Closed Won, and back to Negotiation/Review on compensation), as the domain's state
//! machine allows.

use super::references::Ref;
use super::sf::{self, Body};
use super::{STAFF_OVERWRITE, status_change};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::{IsoDate, RecordId, Text};
use dewy_domain::objects::opportunity::{CLOSE_DATE, OBJECT, OpportunityStage, PAYMENT_ID, STAGE};
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `update_opportunity_stage`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOpportunityStageInput {
    /// A booking's opportunity_id.
    pub opportunity_id: RecordId,
    pub stage_name: OpportunityStage,
    /// For a stay, its check-out date.
    pub close_date: IsoDate,
    /// The payment reference: the Stripe charge id once paid, PENDING_CHECKIN at check-in.
    pub payment_id: Text<255>,
}

/// Output of `update_opportunity_stage`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct UpdateOpportunityStageOutput {
    /// The opportunity's record id.
    pub opportunity_id: String,
    /// The stage now.
    pub stage_name: OpportunityStage,
    /// The stage before this call.
    pub previous_stage: OpportunityStage,
    /// The close date now.
    pub close_date: IsoDate,
    /// The payment reference now.
    pub payment_id: String,
    /// `false` when the opportunity already had this stage, close date and payment, so nothing was
    /// written.
    pub updated: bool,
}

/// The `update_opportunity_stage` tool.
pub struct UpdateOpportunityStage;

impl Tool for UpdateOpportunityStage {
    type Input = UpdateOpportunityStageInput;
    type Output = UpdateOpportunityStageOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "update_opportunity_stage",
        personas: crate::personas::MANAGER,
        deployment: crate::deployment::SKILL,
        description: "Set an opportunity's stage, close date and payment reference. Allowed moves: an open \
            stage to another, Checked In, Closed Won or Closed Lost; Checked In to Closed Won, Closed Lost \
            or Negotiation/Review; Closed Won to Negotiation/Review; Closed Lost is final; others are \
            INVALID_STATE_TRANSITION. The same values again are a no-op. Changes only the opportunity: \
            check_in_guest and process_guest_checkout move it with the booking and room. 409 \
            CONCURRENT_UPDATE: another call changed it meanwhile, nothing was written; retry.",
        effect: Effect::overwrites(KeyFrom::Fields(&[
            "opportunity_id",
            "stage_name",
            "close_date",
            "payment_id",
        ])),
        ..STAFF_OVERWRITE
    };

    fn sample(&self, today: NaiveDate) -> Sample {
        Sample::manager(
            "manager1@hotel.com",
            json!({
                "opportunity_id": "006Dn00042B7o1OIAR",
                "stage_name": "Closed Won",
                "close_date": today,
                "payment_id": "ch_3QfGh2R2eSoRt0A1c4D5e6F7",
            }),
        )
    }

    async fn call(
        &self,
        ctx: &Context,
        input: UpdateOpportunityStageInput,
    ) -> Result<UpdateOpportunityStageOutput, ToolError> {
        let current = sf::by_id(
            ctx,
            OBJECT,
            &["Id", STAGE, CLOSE_DATE, PAYMENT_ID],
            input.opportunity_id.as_str(),
        )
        .await?
        .ok_or_else(|| Ref::Opportunity(&input.opportunity_id).not_found());
        let current = ctx
            .audit()
            .check_on("opportunity_found", input.opportunity_id.as_str(), current)?;
        let id = current.id()?.to_owned();
        let previous_stage: OpportunityStage = current.picklist(STAGE)?;
        let other_changes = current.date(CLOSE_DATE)? != Some(input.close_date.date())
            || current.text(PAYMENT_ID)? != Some(input.payment_id.as_str());
        let body = Body::default()
            .always(STAGE, input.stage_name)
            .always(CLOSE_DATE, input.close_date)
            .always(PAYMENT_ID, &input.payment_id)
            .into_value();
        let updated = status_change::apply(
            ctx,
            OBJECT,
            &id,
            (previous_stage, input.stage_name),
            other_changes,
            &body,
        )
        .await?;
        Ok(UpdateOpportunityStageOutput {
            opportunity_id: id,
            stage_name: input.stage_name,
            previous_stage,
            close_date: input.close_date,
            payment_id: input.payment_id.to_string(),
            updated,
        })
    }
}
