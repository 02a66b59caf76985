//! `submit_maintenance_request`: a manager reports a fault in a room; a case is filed and the
//! on-call number is texted.
//!
//! Round trips: (1) in parallel, the manager's Contact, the room and the case the token may
//! already have filed; (2) the case upsert; (3) the case read back for its number. Then the text
//! is queued; the notifier sends it after the request has answered (see [`crate::notify`]).
//!
//! Decisions:
//! - The requester must BE a Manager (the original's check was inverted and refused managers).
//! - The room's status is left alone (the original's docs said "room → Maintenance", its source
//!   did not): taking a room out of use is `update_room_status`'s decision, made by staff.
//! - The text is queued only after the case is written, names the room, type, priority, the first
//!   100 characters of the description and the case number, and never fails the request.
//! - `manager_first_name` / `manager_last_name` (unused by the original) prepare the
//!   `upsert_contact_by_email` call suggested when the manager has no Contact; the next suggested
//!   call is this request again (see [`dewy_tool::next_step`]).
//! - The room is checked before the Contact, so that the request suggested again is one that can
//!   be filed.

use super::filing::{self, Request};
use super::upsert_contact_by_email::UpsertContactByEmail;
use crate::notify::{self, Notification};
use crate::skills::views::case;
use crate::skills::views::room;
use chrono::NaiveDate;
use dewy_domain::input::{Email, IdempotencyToken, RoomNumber, Text};
use dewy_domain::objects::case::{CaseOrigin, CasePriority, CaseStatus, CaseType};
use dewy_domain::objects::contact::ContactType;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::{Caller, Context, Effect, KeyFrom, NextStep, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The case types a maintenance request may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum MaintenanceType {
    /// Something in the room is broken.
    Maintenance,
    /// The building or its shared facilities.
    Facilities,
}

impl From<MaintenanceType> for CaseType {
    fn from(kind: MaintenanceType) -> CaseType {
        match kind {
            MaintenanceType::Maintenance => CaseType::Maintenance,
            MaintenanceType::Facilities => CaseType::Facilities,
        }
    }
}

/// Input of `submit_maintenance_request`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceRequestInput {
    /// A UUID for this request; reuse it on retry and the case is filed and texted once.
    pub idempotency_token: IdempotencyToken,
    /// The reporting manager's email (a Contact of type Manager).
    pub manager_email: Email,
    /// Used only if the manager has no Contact.
    #[serde(default)]
    pub manager_first_name: Option<Text<40>>,
    /// Used only if the manager has no Contact.
    #[serde(default)]
    pub manager_last_name: Option<Text<80>>,
    pub room_number: RoomNumber,
    #[serde(rename = "type")]
    pub case_type: MaintenanceType,
    pub priority: CasePriority,
    /// What is wrong.
    pub description: Text<32000>,
}

/// Output of `submit_maintenance_request`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct MaintenanceRequestOutput {
    /// The case's record id.
    pub case_id: String,
    /// The case number staff quote.
    pub case_number: String,
    /// The manager's Contact id.
    pub contact_id: String,
    /// The room's record id.
    pub room_id: String,
    /// The room's number (Room_Number__c).
    pub room_number: String,
    /// The room's status, unchanged by the request.
    pub room_status: String,
    /// The case's status (New for a new request).
    pub status: Option<CaseStatus>,
    /// `true` when this call filed the case; `false` when the token had filed it already.
    pub created: bool,
    /// The text to the on-call number: queued, skipped, rejected, failed or unknown. The case is
    /// filed whatever it says.
    pub notification: Notification,
}

/// The `submit_maintenance_request` tool.
pub struct SubmitMaintenanceRequest;

impl Tool for SubmitMaintenanceRequest {
    type Input = MaintenanceRequestInput;
    type Output = MaintenanceRequestOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "submit_maintenance_request",
        personas: crate::personas::MAINTENANCE,
        deployment: crate::deployment::ORCHESTRATOR.texting(),
        description: "File a maintenance or facilities case for a room, reported by a manager, and text the \
            on-call number about it; the room's status is not changed. No Contact for the manager: \
            MANAGER_CONTACT_NOT_FOUND, whose details.next_steps hold the upsert_contact_by_email call and \
            this request again: send each one's arguments with the fields its fill_in names added.",
        // It texts the on-call number (through the outbox and Twilio).
        effect: Effect::adds(KeyFrom::Token("idempotency_token")),
        open_world: true,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::maintenance(
            "maintenance1@hotel.com",
            json!({
                "idempotency_token": "7e4a9c2b-5d13-4f8e-a6b0-3c5d7e9f1a24",
                "manager_email": "manager1@hotel.com",
                "room_number": "108",
                "type": "Maintenance",
                "priority": "High",
                "description": "Bathroom sink drains slowly; water pools on the floor.",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        dewy_tool::created_status(output.created)
    }

    async fn call(
        &self,
        ctx: &Context,
        input: MaintenanceRequestInput,
    ) -> Result<MaintenanceRequestOutput, ToolError> {
        let email = &input.manager_email;
        // Round trip 1: everything the checks need, at once.
        let (contact, room, existing) = tokio::try_join!(
            super::find_contact(ctx, email),
            room::find_by_number(ctx, &input.room_number),
            case::find_by_token(ctx, &input.idempotency_token),
        )?;
        let audit = ctx.audit();
        let room = audit.check(
            "room_found",
            room.ok_or_else(|| room::room_not_found(&input.room_number)),
        )?;
        let contact = contact.ok_or_else(|| manager_not_found(ctx.caller(), &input));
        let contact = audit.check("contact_found", contact)?;
        filing::require_type(
            ctx,
            &contact,
            email,
            ContactType::Manager,
            "Maintenance requests are reported by managers; guests' requests go through \
             submit_guest_service_request.",
        )?;
        let request = Request {
            token: &input.idempotency_token,
            contact: &contact,
            room: &room,
            booking_id: None,
            case_type: input.case_type.into(),
            priority: input.priority,
            description: input.description.as_str(),
            origin: CaseOrigin::Internal,
        };
        // Round trips 2 and 3: the upsert and the read of the case number (none on a repeat).
        let filed = request.file(ctx, existing).await?;
        let notification = if filed.created {
            let body = format!(
                "Maintenance {}: room {} — {}: {} (case {})",
                input.priority,
                room.room_number,
                CaseType::from(input.case_type),
                notify::excerpt(input.description.as_str(), 100),
                filed.case_number
            );
            notify::text_on_call(ctx, &body).await
        } else {
            Notification::skipped("The request was filed before; on-call was notified then.")
        };
        Ok(MaintenanceRequestOutput {
            case_id: filed.case_id,
            case_number: filed.case_number,
            contact_id: contact.id,
            room_id: room.id,
            room_number: room.room_number,
            room_status: room.status.to_string(),
            status: filed.status,
            created: filed.created,
            notification,
        })
    }
}

/// `400 MANAGER_CONTACT_NOT_FOUND`, with the call that would create the manager's Contact and
/// this request again.
fn manager_not_found(caller: &Caller, input: &MaintenanceRequestInput) -> ToolError {
    let email = &input.manager_email;
    let create = NextStep::call(&UpsertContactByEmail, caller)
        .with("email", json!(email))
        .with_or_fill_in(
            "first_name",
            json!(input.manager_first_name),
            "the manager's first name",
        )
        .with_or_fill_in(
            "last_name",
            json!(input.manager_last_name),
            "the manager's last name",
        )
        .with("contact_type", json!(ContactType::Manager));
    let again = NextStep::call(&SubmitMaintenanceRequest, caller)
        .with("idempotency_token", json!(input.idempotency_token))
        .with("manager_email", json!(email))
        .with("manager_first_name", json!(input.manager_first_name))
        .with("manager_last_name", json!(input.manager_last_name))
        .with("room_number", json!(input.room_number))
        .with("type", json!(input.case_type))
        .with("priority", json!(input.priority))
        .with("description", json!(input.description));
    ToolError::new(
        ErrorCode::ManagerContactNotFound,
        format!(
            "No Contact exists for manager {email}. Create it with upsert_contact_by_email (contact_type \
             Manager), then submit the request again with the same idempotency_token. details.next_steps \
             has both calls: send each one's arguments with its fill_in fields added."
        ),
    )
    .with_details(json!({
        "manager_email": email,
        "next_steps": [create, again],
    }))
}
