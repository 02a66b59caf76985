//! `submit_guest_service_request`: a guest asks for something (towels, room service, a taxi) and a
//! case is filed for them, in one call.
//!
//! Round trips: (1) in parallel, the guest's Contact, the room, the case the token may already
//! have filed, and the guest's stay in that room; (2) the case upsert; (3) the case read back for
//! its number. A retry of a filed request stops after (1).
//!
//! Decisions:
//! - A guest files only for a room they are staying in or have booked (a Reserved or Checked In
//!   booking not yet over), so nobody can order room service to a stranger's door; staff may file
//!   for any room. The stay found is linked to the case (`Booking__c`).
//! - `guest_first_name` and `guest_last_name` are optional (the original required them and never
//!   used them). They are used where they help: when the guest has no Contact, the error's
//!   `details.next_steps` holds the `create_contact` call with them, then the `upsert_case` call
//!   (an agent can compose the request itself), each valid for the caller as it stands (see
//!   [`dewy_tool::next_step`]).
//! - For staff the room is checked before the Contact: the calls suggested for a missing Contact
//!   file the case for the room, so they are offered only once the room is known to exist. A guest
//!   without a Contact has no stay on record, so theirs file it without a room; for a guest with
//!   one, their stay in the room stands for its existence (a stranger's room and a missing one get
//!   the same 403).

use super::filing::{self, Request};
use crate::skills::contact_upsert::CREATE_CONTACT;
use crate::skills::sf;
use crate::skills::upsert_case::UpsertCase;
use crate::skills::views::case;
use crate::skills::views::room::{self, RoomSummary};
use chrono::NaiveDate;
use dewy_domain::input::{Email, IdempotencyToken, RoomNumber, Text};
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::case::{CaseOrigin, CasePriority, CaseStatus, CaseType};
use dewy_domain::objects::contact::ContactType;
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Order, Soql};
use dewy_tool::{Caller, Context, Effect, GuestScope, KeyFrom, NextStep, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `submit_guest_service_request`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestServiceRequestInput {
    /// A UUID for this request; reuse it on retry and the case is filed once.
    pub idempotency_token: IdempotencyToken,
    /// The guest's email.
    pub guest_email: Email,
    /// Used only if the guest has no Contact.
    #[serde(default)]
    pub guest_first_name: Option<Text<40>>,
    /// Used only if the guest has no Contact.
    #[serde(default)]
    pub guest_last_name: Option<Text<80>>,
    pub room_number: RoomNumber,
    #[serde(rename = "type")]
    pub case_type: CaseType,
    pub priority: CasePriority,
    /// What the guest asks for, in their words.
    pub description: Text<32000>,
}

/// Output of `submit_guest_service_request`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct GuestServiceRequestOutput {
    /// The case's record id.
    pub case_id: String,
    /// The case number staff quote, e.g. 00001004.
    pub case_number: String,
    /// The guest's Contact id.
    pub contact_id: String,
    /// The room's record id.
    pub room_id: String,
    /// The room's number (Room_Number__c).
    pub room_number: String,
    /// The room's status: Vacant, Occupied, Cleaning, Maintenance or Out of Service.
    pub room_status: String,
    /// The booking the case is linked to: the guest's stay in that room, when there is one.
    pub booking_id: Option<String>,
    /// The case's status (New for a new request).
    pub status: Option<CaseStatus>,
    /// `true` when this call filed the case; `false` when the token had filed it already.
    pub created: bool,
}

/// The `submit_guest_service_request` tool.
pub struct SubmitGuestServiceRequest;

impl Tool for SubmitGuestServiceRequest {
    type Input = GuestServiceRequestInput;
    type Output = GuestServiceRequestOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "submit_guest_service_request",
        personas: crate::personas::GUEST_AND_FRONT_DESK,
        deployment: crate::deployment::ORCHESTRATOR,
        description: "File a guest's service request (towels, room service, concierge) as a case linked to \
            the guest, the room and their stay. A guest files only for a room they stay in or have booked. \
            No Contact for the guest: GUEST_CONTACT_NOT_FOUND, whose details.next_steps hold the calls to \
            make instead (create_contact, then upsert_case for a guest or this request again for staff): \
            send each one's arguments with the fields its fill_in names added.",
        effect: Effect::adds(KeyFrom::Token("idempotency_token")),
        open_world: false,
        alias_of: None,
        guest_scope: Some(GuestScope {
            email_field: "guest_email",
        }),
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "guest2@hotel.com",
            json!({
                "idempotency_token": "5c0f3b8e-2d41-4a6f-9b7e-1e2d3c4b5a60",
                "room_number": "101",
                "type": "Housekeeping",
                "priority": "Medium",
                "description": "Two extra bath towels, please.",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        dewy_tool::created_status(output.created)
    }

    async fn call(
        &self,
        ctx: &Context,
        input: GuestServiceRequestInput,
    ) -> Result<GuestServiceRequestOutput, ToolError> {
        let email = &input.guest_email;
        // Round trip 1: everything the checks need, at once.
        let (contact, room, existing, stay) = tokio::try_join!(
            super::find_contact(ctx, email),
            room::find_by_number(ctx, &input.room_number),
            case::find_by_token(ctx, &input.idempotency_token),
            find_stay(ctx, email, &input.room_number, ctx.today()),
        )?;
        let audit = ctx.audit();
        let guest_only = ctx.caller().is_guest_only();
        let room_found = |room: Option<RoomSummary>| {
            audit.check(
                "room_found",
                room.ok_or_else(|| room::room_not_found(&input.room_number)),
            )
        };
        // Staff may name any room that exists. A guest may name only the room of a stay of theirs,
        // checked below, which stands for the room's existence too: a stranger's room and a room
        // that does not exist then get the same answer.
        let staffs_room = if guest_only {
            None
        } else {
            Some(room_found(room.clone())?)
        };
        let contact = contact.ok_or_else(|| contact_not_found(ctx.caller(), &input));
        let contact = audit.check("contact_found", contact)?;
        filing::require_type(
            ctx,
            &contact,
            email,
            ContactType::Guest,
            "Service requests are filed for guests; staff requests go through submit_maintenance_request \
             or manage_cases_orchestrator.",
        )?;
        if guest_only {
            let staying = stay
                .as_ref()
                .map(|_| ())
                .ok_or_else(|| not_your_room(&input.room_number));
            audit.check_on("guest_stays_in_room", input.room_number.as_str(), staying)?;
        }
        let room = match staffs_room {
            Some(room) => room,
            None => room_found(room)?,
        };
        let request = Request {
            token: &input.idempotency_token,
            contact: &contact,
            room: &room,
            booking_id: stay.as_deref(),
            case_type: input.case_type,
            priority: input.priority,
            description: input.description.as_str(),
            origin: CaseOrigin::Web,
        };
        // Round trips 2 and 3: the upsert and the read of the case number (none on a repeat).
        let filed = request.file(ctx, existing).await?;
        Ok(GuestServiceRequestOutput {
            case_id: filed.case_id,
            case_number: filed.case_number,
            contact_id: contact.id,
            room_id: room.id,
            room_number: room.room_number,
            room_status: room.status.to_string(),
            booking_id: stay,
            status: filed.status,
            created: filed.created,
        })
    }
}

/// The guest's stay in room `number` that is not over: Checked In, or Reserved and not yet past
/// its check-out date; the earliest first. Its id, if any.
async fn find_stay(
    ctx: &Context,
    email: &Email,
    number: &RoomNumber,
    today: chrono::NaiveDate,
) -> Result<Option<String>, ToolError> {
    let filter = Cond::eq("Primary_Guest__r.Unique_Email__c", email.as_str())
        .and(Cond::eq("Room__r.Room_Number__c", number.as_str()))
        .and(Cond::is_in(
            booking::STATUS,
            [
                BookingStatus::CheckedIn.to_string(),
                BookingStatus::Reserved.to_string(),
            ],
        ))
        .and(Cond::ge(booking::CHECK_OUT_DATE, today));
    let soql = Soql::select(&["Id"])
        .from(booking::OBJECT)
        .filter(filter)
        .order_by(booking::CHECK_IN_DATE, Order::Asc);
    match sf::first(ctx, soql).await? {
        Some(record) => Ok(Some(record.id()?.to_owned())),
        None => Ok(None),
    }
}

/// `400 GUEST_CONTACT_NOT_FOUND`, telling an agent what to call instead: `create_contact` for the
/// guest, then, for a guest, `upsert_case` with the contact id it returns (a guest without a Contact
/// has no stay on record, so no room this tool would accept), and for the front desk this request
/// again. The calls and the message fit `caller`: a guest is not asked for the email their token
/// carries.
fn contact_not_found(caller: &Caller, input: &GuestServiceRequestInput) -> ToolError {
    let email = &input.guest_email;
    let create_contact = NextStep::call(&CREATE_CONTACT, caller)
        .with("email", json!(email))
        .with("first_name", json!(input.guest_first_name))
        .with_or_fill_in("last_name", json!(input.guest_last_name), "the guest's last name")
        .with("contact_type", json!(ContactType::Guest));
    if !caller.is_guest_only() {
        let again = NextStep::call(&SubmitGuestServiceRequest, caller)
            .with("idempotency_token", json!(input.idempotency_token))
            .with("guest_email", json!(email))
            .with("room_number", json!(input.room_number))
            .with("type", json!(input.case_type))
            .with("priority", json!(input.priority))
            .with("description", json!(input.description));
        let message = format!(
            "No guest profile (Contact) exists for {email}, so the request cannot be filed yet. Create it \
             with create_contact (email, last_name, first_name, contact_type Guest), then send this request \
             again. details.next_steps has both calls: send each one's arguments with its fill_in fields \
             added."
        );
        return ToolError::new(ErrorCode::GuestContactNotFound, message).with_details(json!({
            "guest_email": email,
            "room_number": input.room_number,
            "next_steps": [create_contact, again],
        }));
    }
    let upsert_case = NextStep::call(&UpsertCase, caller)
        .with("idempotency_token", json!(input.idempotency_token))
        .fill_in("contact_id", "the id create_contact returns")
        .with("type", json!(input.case_type))
        .with("priority", json!(input.priority))
        .with("subject", json!(super::subject_of(input.description.as_str())))
        .with("description", json!(input.description))
        .with("origin", json!(CaseOrigin::Web));
    let message = "You have no guest profile (Contact) yet, so the request cannot be filed. Create it with \
         create_contact (last_name, first_name; the email is taken from your sign-in), then file the \
         request with upsert_case and the contact_id it returns, without a room: a guest names only the \
         room of a stay on record, and you have none yet (the front desk places the request). \
         details.next_steps has both calls: send each one's arguments with its fill_in fields added.";
    ToolError::new(ErrorCode::GuestContactNotFound, message).with_details(json!({
        "guest_email": email,
        "room_number": input.room_number,
        "next_steps": [create_contact, upsert_case],
    }))
}

/// `403 FORBIDDEN` for a guest filing for a room they have no current or coming stay in. The same
/// answer whoever is in the room, so it reveals nothing about other guests.
fn not_your_room(number: &RoomNumber) -> ToolError {
    ToolError::new(
        ErrorCode::Forbidden,
        format!(
            "You can file requests only for a room you are staying in or have booked, and room {number} is \
             not one of them. Check the room number, or ask the front desk."
        ),
    )
    .with_details(json!({ "room_number": number }))
}
