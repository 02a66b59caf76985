//! `upsert_contact_by_email`: staff make sure a contact exists for an email: the existing one is
//! returned untouched (as the original does), otherwise one is created.
//!
//! Round trips: (1) the contact by email; (2) only when there is none, the upsert on
//! `Unique_Email__c`, made by the `upsert_contact` skill itself (one implementation of a contact
//! write). Should another call create the contact between the two, the upsert lands on it rather
//! than making a duplicate, and the answer says it was found.
//!
//! The original's `account_id` input was ignored, so it is not in the schema: an input a schema
//! lists must do something.

use crate::skills::contact_upsert::{ContactInput, UPSERT_CONTACT};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::{Email, Text};
use dewy_domain::objects::contact::ContactType;
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `upsert_contact_by_email`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactByEmailInput {
    /// The key an existing contact is found by.
    pub email: Email,
    pub first_name: Text<40>,
    pub last_name: Text<80>,
    /// In international form (+1 555 010 0142), so the contact can be texted.
    #[serde(default)]
    pub phone: Option<Text<40>>,
    pub contact_type: ContactType,
}

/// Output of `upsert_contact_by_email`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ContactByEmailOutput {
    /// `true` when a contact with this email already existed (and was left unchanged).
    pub found: bool,
    /// `true` when this call created the contact.
    pub created: bool,
    /// The Contact's id.
    pub contact_id: String,
}

/// The `upsert_contact_by_email` tool.
pub struct UpsertContactByEmail;

impl Tool for UpsertContactByEmail {
    type Input = ContactByEmailInput;
    type Output = ContactByEmailOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "upsert_contact_by_email",
        personas: crate::personas::FRONT_DESK_AND_MAINTENANCE,
        deployment: crate::deployment::ORCHESTRATOR,
        description: "Make sure a Contact exists for an email: an existing one is returned unchanged \
            (found=true); otherwise one is created from the other fields. Returns contact_id. Safe to retry. \
            To change an existing contact, use create_contact.",
        effect: Effect::adds(KeyFrom::Input),
        open_world: false,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::staff(
            "manager1@hotel.com",
            json!({
                "email": "tess.lindqvist@example.com",
                "first_name": "Tess",
                "last_name": "Lindqvist",
                "phone": "+1 555 010 0177",
                "contact_type": "Guest",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        dewy_tool::created_status(output.created)
    }

    async fn call(
        &self,
        ctx: &Context,
        input: ContactByEmailInput,
    ) -> Result<ContactByEmailOutput, ToolError> {
        if let Some(existing) = super::find_contact(ctx, &input.email).await? {
            return Ok(ContactByEmailOutput {
                found: true,
                created: false,
                contact_id: existing.id,
            });
        }
        let contact = ContactInput {
            email: input.email,
            last_name: input.last_name,
            first_name: Some(input.first_name),
            phone: input.phone,
            contact_type: Some(input.contact_type),
            account_id: None,
        };
        let saved = UPSERT_CONTACT.call(ctx, contact).await?;
        Ok(ContactByEmailOutput {
            found: !saved.created,
            created: saved.created,
            contact_id: saved.id,
        })
    }
}
