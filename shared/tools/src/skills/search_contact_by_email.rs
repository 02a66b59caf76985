//! `search_contact_by_email`: a Contact by its unique email.

use super::views::Found;
use super::views::contact::{self, ContactSummary};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::Email;
use dewy_tool::{Context, Effect, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `search_contact_by_email`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchContactInput {
    pub email: Email,
}

/// The `search_contact_by_email` tool.
pub struct SearchContactByEmail;

impl Tool for SearchContactByEmail {
    type Input = SearchContactInput;
    type Output = Found<ContactSummary>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_contact_by_email",
        personas: crate::personas::FRONT_DESK,
        deployment: crate::deployment::SKILL,
        description: "Find a Contact (guest, manager or vendor) by email: its id is the contact_id other \
            tools take. found=false when none has it (create_contact adds one).",
        effect: Effect::ReadOnly,
        open_world: false,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::staff(
            "staff1@hotel.com",
            json!({
                "email": "guest2@hotel.com",
            }),
        )
    }

    async fn call(
        &self,
        ctx: &Context,
        input: SearchContactInput,
    ) -> Result<Found<ContactSummary>, ToolError> {
        let record = contact::find_by_email(ctx, &input.email).await?;
        Ok(record
            .as_ref()
            .map(ContactSummary::from_record)
            .transpose()?
            .into())
    }
}
