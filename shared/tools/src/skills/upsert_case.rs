//! `upsert_case`: files a service or maintenance request, or updates the one filed with the same
//! idempotency token (`External_ID__c`), so a retried request never files a second case.

use super::ownership::{self, usable_contact, usable_room};
use super::sf::{self, Body};
use super::views::Saved;
use super::views::case::{self, CaseSummary};
use chrono::NaiveDate;
use dewy_domain::input::{IdempotencyToken, RecordId, Text};
use dewy_domain::objects::case::{
    CONTACT, CaseOrigin, CasePriority, CaseStatus, CaseType, DESCRIPTION, EXTERNAL_ID, OBJECT, ORIGIN,
    PRIORITY, ROOM, STATUS, SUBJECT, TYPE,
};
use dewy_domain::state::transition;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `upsert_case`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpsertCaseInput {
    /// A UUID for this request; the same token updates the same case.
    pub idempotency_token: IdempotencyToken,
    /// The Contact asking. Required for guests: their own (create_contact returns it).
    #[serde(default)]
    pub contact_id: Option<RecordId>,
    /// The room's record id.
    #[serde(default)]
    pub room_id: Option<RecordId>,
    #[serde(default, rename = "type")]
    pub case_type: Option<CaseType>,
    #[serde(default)]
    pub priority: Option<CasePriority>,
    /// A new case starts New.
    #[serde(default)]
    pub status: Option<CaseStatus>,
    #[serde(default)]
    pub subject: Option<Text<255>>,
    #[serde(default)]
    pub description: Option<Text<32000>>,
    /// Always Web for guests.
    #[serde(default)]
    pub origin: Option<CaseOrigin>,
}

/// The `upsert_case` tool.
pub struct UpsertCase;

impl Tool for UpsertCase {
    type Input = UpsertCaseInput;
    type Output = Saved<CaseSummary>;

    const SPEC: ToolSpec = ToolSpec {
        name: "upsert_case",
        personas: crate::personas::GUEST_HOUSEKEEPING_AND_MAINTENANCE,
        deployment: crate::deployment::SKILL,
        description: "File a case, or update the one filed with this idempotency_token (a retry never files \
            twice; a new request needs a new token). Status changes follow the case lifecycle, else \
            INVALID_STATE_TRANSITION. A guest's room_id must be a room they stay in or have booked. \
            submit_guest_service_request files a guest's request in one call.",
        effect: Effect::overwrites(KeyFrom::Token("idempotency_token")),
        open_world: false,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "guest2@hotel.com",
            json!({
                "idempotency_token": "e8b3d1f5-6a2c-4e7b-9d04-2c6f8a1e3b57",
                "contact_id": "003Dn0001BR1Y0PIQV",
                "room_id": "a02Dn0002rk6G0zIAE",
                "type": "Housekeeping",
                "priority": "Low",
                "subject": "Room cleaning after 2pm",
                "description": "Please make up room 101 after 2pm today; we are sleeping in.",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        dewy_tool::created_status(output.created)
    }

    fn resolve_defaults(&self, ctx: &Context, mut input: UpsertCaseInput) -> UpsertCaseInput {
        if ctx.caller().is_guest_only() {
            input.origin.get_or_insert(CaseOrigin::Web);
        }
        input
    }

    async fn call(&self, ctx: &Context, input: UpsertCaseInput) -> Result<Saved<CaseSummary>, ToolError> {
        let guest = ctx.caller().is_guest_only();
        if guest {
            ctx.audit()
                .check("guest_files_as_self", check_guest_request(&input))?;
        }
        // Round trip 1: the case as it is, and the contact and room the input names, at once.
        let contact = async {
            match &input.contact_id {
                Some(id) => usable_contact(ctx, id).await.map(Some),
                None => Ok(None),
            }
        };
        let room = async {
            match &input.room_id {
                Some(id) => usable_room(ctx, id).await.map(Some),
                None => Ok(None),
            }
        };
        let (existing, contact_id, _) =
            tokio::try_join!(case::find_by_token(ctx, &input.idempotency_token), contact, room,)?;
        if let Some(existing) = &existing {
            let audit = ctx.audit();
            // A guest's token must not reach someone else's case; same refusal as for a contact.
            if guest {
                let owned = if existing.contact_id == contact_id {
                    Ok(())
                } else {
                    Err(ownership::not_yours())
                };
                audit.check_on("guest_owns_case", &existing.case_id, owned)?;
            }
            if let (Some(from), Some(to)) = (existing.status, input.status) {
                audit.check_on("transition_allowed", &existing.case_id, transition(from, to))?;
            }
        }
        let status = match &existing {
            None => Some(input.status.unwrap_or(CaseStatus::New)),
            Some(_) => input.status,
        };
        let body = Body::default()
            .set(CONTACT, input.contact_id.as_ref())
            .set(ROOM, input.room_id.as_ref())
            .set(TYPE, input.case_type)
            .set(PRIORITY, input.priority)
            .set(STATUS, status)
            .set(SUBJECT, input.subject.as_ref())
            .set(DESCRIPTION, input.description.as_ref())
            .set(ORIGIN, input.origin)
            .into_value();
        // Round trip 2: the write, as a single sObject call (subject and description are free text,
        // which a Composite request would scan for references). Round trip 3: the case as it now is,
        // for its case number.
        let saved = sf::upsert(ctx, OBJECT, EXTERNAL_ID, input.idempotency_token.as_str(), &body).await?;
        audit_write(ctx, &saved.id, existing.as_ref(), status);
        let case = case::by_id(ctx, &saved.id)
            .await?
            .ok_or_else(|| sf::vanished(OBJECT, &saved.id))?;
        Ok(Saved {
            created: saved.created,
            record: case,
        })
    }
}

/// Records the written case: created in its status, or its status changed.
fn audit_write(ctx: &Context, id: &str, existing: Option<&CaseSummary>, status: Option<CaseStatus>) {
    match (existing, status) {
        (None, Some(status)) => ctx.audit().created(id, status),
        (Some(case), Some(to)) => ctx
            .audit()
            .transition(id, case.status.unwrap_or(CaseStatus::New), to),
        (_, None) => {}
    }
}

/// A guest files a case as themselves, from the web.
fn check_guest_request(input: &UpsertCaseInput) -> Result<(), ToolError> {
    if input.contact_id.is_none() {
        return Err(ToolError {
            message: "Required fields are missing: contact_id. Guests file cases as themselves: pass your \
                      contact_id (search_contact_by_email returns it; create_contact makes one)."
                .to_owned(),
            ..ToolError::missing_fields(&["contact_id"])
        });
    }
    if input.origin != Some(CaseOrigin::Web) {
        return Err(ToolError::new(
            ErrorCode::Forbidden,
            "Guests file cases from the web: leave origin out or use Web.",
        ));
    }
    Ok(())
}
