//! `create_contact` and `upsert_contact`: the original's two names for one recipe, an upsert of a
//! Contact on its unique email. One implementation, [`ContactUpsert`], is registered under each
//! name ([`CREATE_CONTACT`], [`UPSERT_CONTACT`]).

use super::references::{self, Ref};
use super::sf::{self, Body};
use chrono::NaiveDate;
use dewy_domain::input::{Email, RecordId, Text};
use dewy_domain::objects::contact::{self, ContactType};
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::{Context, Effect, GuestScope, KeyFrom, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::marker::PhantomData;

/// Input of `create_contact` / `upsert_contact`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// The key: the contact with this email is updated, or created.
    pub email: Email,
    pub last_name: Text<80>,
    #[serde(default)]
    pub first_name: Option<Text<40>>,
    #[serde(default)]
    pub phone: Option<Text<40>>,
    /// A guest's own contact is always Guest.
    #[serde(default)]
    pub contact_type: Option<ContactType>,
    /// The contact's Account (staff only).
    #[serde(default)]
    pub account_id: Option<RecordId>,
}

/// Output of `create_contact` / `upsert_contact`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ContactOutput {
    /// The Contact's id: pass it as `contact_id` to other tools.
    pub id: String,
    /// The contact's email.
    pub email: Email,
    /// `true` when this call created the contact, `false` when it updated an existing one.
    pub created: bool,
}

/// Which of the two names the tool is registered under.
pub trait ContactToolName: Send + Sync + 'static {
    /// The tool name.
    const NAME: &'static str;
    /// For the second name, the first (see `ToolSpec::alias_of`).
    const ALIAS_OF: Option<&'static str> = None;
}

/// The name `create_contact`.
pub struct CreateName;
impl ContactToolName for CreateName {
    const NAME: &'static str = "create_contact";
}

/// The name `upsert_contact`.
pub struct UpsertName;
impl ContactToolName for UpsertName {
    const NAME: &'static str = "upsert_contact";
    const ALIAS_OF: Option<&'static str> = Some("create_contact");
}

/// The contact upsert, under the name `N`.
pub struct ContactUpsert<N>(PhantomData<N>);

/// `create_contact`.
pub const CREATE_CONTACT: ContactUpsert<CreateName> = ContactUpsert(PhantomData);
/// `upsert_contact`.
pub const UPSERT_CONTACT: ContactUpsert<UpsertName> = ContactUpsert(PhantomData);

impl<N: ContactToolName> Tool for ContactUpsert<N> {
    type Input = ContactInput;
    type Output = ContactOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: N::NAME,
        personas: crate::personas::GUEST_AND_FRONT_DESK,
        deployment: crate::deployment::SKILL,
        description: "Create a Contact, or update the one with this email: never a duplicate, safe to retry. \
            Fields left out stay as they are. Returns id: the contact_id other tools take (e.g. \
            upsert_case).",
        // An upsert is idempotent by nature; a different request for the same email is a new update.
        effect: Effect::overwrites(KeyFrom::Input),
        open_world: false,
        alias_of: N::ALIAS_OF,
        guest_scope: Some(GuestScope { email_field: "email" }),
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "ines.moreno@example.com",
            json!({
                "email": "ines.moreno@example.com",
                "first_name": "Ines",
                "last_name": "Moreno",
                "phone": "+1 555 010 0188",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        dewy_tool::created_status(output.created)
    }

    fn resolve_defaults(&self, ctx: &Context, mut input: ContactInput) -> ContactInput {
        if ctx.caller().is_guest_only() {
            input.contact_type.get_or_insert(ContactType::Guest);
        }
        input
    }

    async fn call(&self, ctx: &Context, input: ContactInput) -> Result<ContactOutput, ToolError> {
        if ctx.caller().is_guest_only() {
            ctx.audit()
                .check("guest_may_write", check_guest_may_write(&input))?;
        }
        let account = Ref::Account;
        references::ensure_given(ctx, input.account_id.as_ref().map(account)).await?;
        let body = Body::default()
            .always(contact::EMAIL, &input.email)
            .always(contact::LAST_NAME, &input.last_name)
            .set(contact::FIRST_NAME, input.first_name.as_ref())
            .set(contact::PHONE, input.phone.as_ref())
            .set(contact::CONTACT_TYPE, input.contact_type)
            .set(contact::ACCOUNT, input.account_id.as_ref())
            .into_value();
        let saved = sf::upsert(
            ctx,
            contact::OBJECT,
            contact::UNIQUE_EMAIL,
            input.email.as_str(),
            &body,
        )
        .await?;
        if saved.created {
            ctx.audit().created_record(contact::OBJECT, &saved.id);
        }
        Ok(ContactOutput {
            id: saved.id,
            email: input.email,
            created: saved.created,
        })
    }
}

/// A guest makes or updates only their own guest profile (their email is enforced by the invoke
/// path): not a staff or vendor contact, and not one filed under an account.
fn check_guest_may_write(input: &ContactInput) -> Result<(), ToolError> {
    if input.contact_type != Some(ContactType::Guest) {
        return Err(ToolError::new(
            ErrorCode::Forbidden,
            "Guests may create only their own guest profile: leave contact_type out or use Guest.",
        ));
    }
    if input.account_id.is_some() {
        return Err(ToolError::new(
            ErrorCode::Forbidden,
            "Guests may not file their contact under an account: leave account_id out.",
        ));
    }
    Ok(())
}
