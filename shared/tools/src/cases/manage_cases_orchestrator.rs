//! `manage_cases_orchestrator`: staff create a case, or change one, named by the idempotency token
//! it was filed with.
//!
//! Round trips: (1) in parallel, the case by its token, the contact by `guest_email` and the room
//! by `room_number` (each only when given); (2) the upsert on the token; (3) for a new case only,
//! the case read back for the number Salesforce gave it.
//!
//! Fixes and decisions:
//! - Status changes follow the domain's case lifecycle (the original allowed any):
//!   `409 INVALID_STATE_TRANSITION`, nothing written.
//! - Only the fields given are written; a field left out is left as it is.
//! - A new case needs a subject or a description (the original filed empty cases); its subject
//!   defaults to the description's first 255 characters, its status to New and its origin to
//!   Internal (staff filed it).
//! - An update that changes nothing writes nothing.

use crate::skills::sf::{self, Body};
use crate::skills::views::case::{self, CaseSummary};
use crate::skills::views::room;
use chrono::NaiveDate;
use dewy_domain::input::{Email, IdempotencyToken, RoomNumber, Text};
use dewy_domain::objects::case::{
    CONTACT, CaseOrigin, CasePriority, CaseStatus, CaseType, DESCRIPTION, EXTERNAL_ID, OBJECT, ORIGIN,
    PRIORITY, ROOM, STATUS, SUBJECT, TYPE,
};
use dewy_domain::state::transition;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::guard::guarded;
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Input of `manage_cases_orchestrator`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManageCaseInput {
    /// An existing case's token to change it; a new one (a UUID) to create a case.
    pub idempotency_token: IdempotencyToken,
    /// The email of the Contact (any type) the case is about.
    #[serde(default)]
    pub guest_email: Option<Email>,
    #[serde(default)]
    pub room_number: Option<RoomNumber>,
    #[serde(default, rename = "type")]
    pub case_type: Option<CaseType>,
    #[serde(default)]
    pub priority: Option<CasePriority>,
    #[serde(default)]
    pub status: Option<CaseStatus>,
    #[serde(default)]
    pub subject: Option<Text<255>>,
    #[serde(default)]
    pub description: Option<Text<32000>>,
    #[serde(default)]
    pub origin: Option<CaseOrigin>,
}

/// Output of `manage_cases_orchestrator`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ManageCaseOutput {
    /// The case's record id.
    pub case_id: String,
    /// The case number staff quote.
    pub case_number: String,
    /// The case's status now.
    pub status: Option<CaseStatus>,
    /// `true` when this call created the case, `false` when it updated (or left) an existing one.
    pub created: bool,
}

/// The `manage_cases_orchestrator` tool.
pub struct ManageCasesOrchestrator;

impl Tool for ManageCasesOrchestrator {
    type Input = ManageCaseInput;
    type Output = ManageCaseOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "manage_cases_orchestrator",
        personas: crate::personas::HOUSEKEEPING_AND_MAINTENANCE,
        deployment: crate::deployment::ORCHESTRATOR,
        description: "Create or change a case named by its idempotency_token, giving the contact by email \
            and the room by number (upsert_case takes record ids). Only the fields given change. A new case \
            needs a subject or a description and starts New. Status changes follow the case lifecycle (never \
            back to New; a Closed case may reopen as Working), else INVALID_STATE_TRANSITION. No Contact \
            with guest_email: GUEST_CONTACT_NOT_FOUND.",
        // The token names the case, not one change of it: the operation is the case and the values.
        effect: Effect::overwrites(KeyFrom::Input),
        open_world: false,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::housekeeping(
            "housekeeping1@hotel.com",
            json!({
                "idempotency_token": "9a7c4e2d-1b3f-4c8a-9e6d-5f2a1b7c8d34",
                "status": "Escalated",
                "priority": "Urgent",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        dewy_tool::created_status(output.created)
    }

    async fn call(&self, ctx: &Context, input: ManageCaseInput) -> Result<ManageCaseOutput, ToolError> {
        // Round trip 1: the case and the references the input names, at once.
        let (existing, contact_id, room_id) = tokio::try_join!(
            case::find_by_token(ctx, &input.idempotency_token),
            resolve_contact(ctx, input.guest_email.as_ref()),
            resolve_room(ctx, input.room_number.as_ref()),
        )?;
        let mut body = Body::default()
            .set(CONTACT, contact_id)
            .set(ROOM, room_id)
            .set(TYPE, input.case_type)
            .set(PRIORITY, input.priority)
            .set(DESCRIPTION, input.description.as_ref());
        let status = match &existing {
            Some(case) => {
                let current = case.status.unwrap_or(CaseStatus::New);
                if let Some(to) = input.status {
                    ctx.audit()
                        .check_on("transition_allowed", &case.case_id, transition(current, to))?;
                }
                body = body
                    .set(STATUS, input.status)
                    .set(SUBJECT, input.subject.as_ref())
                    .set(ORIGIN, input.origin);
                input.status.unwrap_or(current)
            }
            None => {
                let subject = new_case_subject(&input)?;
                let status = input.status.unwrap_or(CaseStatus::New);
                body = body
                    .always(STATUS, status)
                    .always(SUBJECT, subject)
                    .always(ORIGIN, input.origin.unwrap_or(CaseOrigin::Internal));
                status
            }
        };
        let body = body.into_value();
        if let Some(case) = existing {
            if nothing_changes(&case, &body) {
                return Ok(output(case, false));
            }
            // Round trip 2: the update, applied only if the case still has the status read; the
            // case number is known from the read.
            let body = guarded(body, case.status.unwrap_or(CaseStatus::New));
            sf::upsert(ctx, OBJECT, EXTERNAL_ID, input.idempotency_token.as_str(), &body).await?;
            ctx.audit()
                .transition(&case.case_id, case.status.unwrap_or(CaseStatus::New), status);
            return Ok(ManageCaseOutput {
                status: Some(status),
                ..output(case, false)
            });
        }
        // Round trips 2 and 3: the upsert (a single sObject call: subject and description are free
        // text, which Composite would scan for references) and the read of the new case's number.
        let saved = sf::upsert(ctx, OBJECT, EXTERNAL_ID, input.idempotency_token.as_str(), &body).await?;
        if saved.created {
            ctx.audit().created(&saved.id, status);
        }
        let case = case::by_id(ctx, &saved.id)
            .await?
            .ok_or_else(|| sf::vanished(OBJECT, &saved.id))?;
        Ok(output(case, saved.created))
    }
}

fn output(case: CaseSummary, created: bool) -> ManageCaseOutput {
    ManageCaseOutput {
        case_id: case.case_id,
        case_number: case.case_number,
        status: case.status,
        created,
    }
}

/// The subject of a new case: the one given, or the description's start; one of them is needed.
fn new_case_subject(input: &ManageCaseInput) -> Result<String, ToolError> {
    match (&input.subject, &input.description) {
        (Some(subject), _) => Ok(subject.as_str().to_owned()),
        (None, Some(description)) => Ok(super::subject_of(description.as_str())),
        (None, None) => Err(ToolError::validation(
            "No case has this idempotency_token, so a new case would be created, and a new case needs a \
             subject or a description. Give one, or check the token of the case to change \
             (search_case_by_token).",
        )
        .with_details(json!({ "idempotency_token": input.idempotency_token }))),
    }
}

/// Whether every field of `body` already has that value on the case (so there is nothing to write).
fn nothing_changes(case: &CaseSummary, body: &Value) -> bool {
    let Ok(Value::Object(current)) = serde_json::to_value(case) else {
        return false;
    };
    let Value::Object(changes) = body else {
        return false;
    };
    changes.iter().all(|(field, value)| {
        let shown = match field.as_str() {
            CONTACT => "contact_id",
            ROOM => "room_id",
            TYPE => "type",
            PRIORITY => "priority",
            STATUS => "status",
            SUBJECT => "subject",
            DESCRIPTION => "description",
            ORIGIN => "origin",
            _ => return false,
        };
        current.get(shown) == Some(value)
    })
}

/// The id of the contact with `email`, when one is given; `400 GUEST_CONTACT_NOT_FOUND` when no
/// contact has it.
async fn resolve_contact(ctx: &Context, email: Option<&Email>) -> Result<Option<String>, ToolError> {
    let Some(email) = email else { return Ok(None) };
    let found = match super::find_contact(ctx, email).await? {
        Some(contact) => Ok(Some(contact.id)),
        None => Err(ToolError::new(
            ErrorCode::GuestContactNotFound,
            format!(
                "No Contact has the email {email}. Check the email, or create the contact first \
                 (upsert_contact_by_email)."
            ),
        )
        .with_details(json!({ "guest_email": email }))),
    };
    ctx.audit().check("contact_found", found)
}

/// The id of room `number`, when one is given; `400 ROOM_NOT_FOUND` when no room has it.
async fn resolve_room(ctx: &Context, number: Option<&RoomNumber>) -> Result<Option<String>, ToolError> {
    let Some(number) = number else { return Ok(None) };
    let found = match room::find_by_number(ctx, number).await? {
        Some(room) => Ok(Some(room.id)),
        None => Err(room::room_not_found(number)),
    };
    ctx.audit().check("room_found", found)
}
