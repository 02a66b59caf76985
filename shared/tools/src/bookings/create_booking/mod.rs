//! `create_booking_orchestrator`: books a room for a guest in one call.
//!
//! Two Salesforce round trips:
//! 1. **read**, in parallel: the guest's Contact, the room, the room's bookings overlapping the
//!    stay, and any booking already made with this `booking_external_id`; beside them, the room's
//!    lease (`room_lease`), released after the write, so that two bookings of the same room never
//!    both pass the clash check;
//! 2. **write**: one Composite `allOrNone` request (see `write`) creating the Contact if missing,
//!    the opportunity and the booking, and reading the booking back.
//!
//! A booking already made with the same external id is an earlier attempt of this request (decision
//! 1): it is returned with `already_booked: true` and status 200 instead of a conflict with itself,
//! whoever retries, and nothing new is created. The same external id for a different stay is
//! refused (`422 IDEMPOTENCY_KEY_REUSED`). A first booking answers 201.

mod request;
mod write;

use super::checks;
use super::output::BookingView;
use super::records::{self, Booked, Guest, Room, RoomKey};
use super::room_lease;
use crate::record::Record;
use crate::skills::views::booking::BookingSummary;
use crate::skills::views::{contact, room};
use chrono::{Days, NaiveDate};
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::objects::opportunity::OpportunityStage;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::{Context, Effect, GuestScope, KeyFrom, Sample, Tool, ToolSpec, backend_error};
pub use request::CreateBookingInput;
use request::Request;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Output of `create_booking_orchestrator`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CreateBookingOutput {
    /// The booking.
    #[serde(flatten)]
    pub booking: BookingView,
    /// `true` when this call created the guest's Contact.
    pub guest_created: bool,
    /// `true` when an earlier call with this booking_external_id had already made the booking:
    /// nothing was created this time.
    pub already_booked: bool,
}

/// The `create_booking_orchestrator` tool.
pub struct CreateBookingOrchestrator;

impl Tool for CreateBookingOrchestrator {
    type Input = CreateBookingInput;
    type Output = CreateBookingOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "create_booking_orchestrator",
        personas: crate::personas::GUEST_AND_FRONT_DESK,
        deployment: crate::deployment::ORCHESTRATOR,
        description: "Book a room for a guest, all or nothing: checks the room is in service, fits \
            number_of_guests and is free (a stay ending or starting the same day clashes: \
            ROOM_ALREADY_BOOKED), then creates the guest's Contact if missing (from the names given), an \
            opportunity and a Reserved booking. A retry with the same booking_external_id returns the \
            booking already made.",
        effect: Effect::adds(KeyFrom::Token("booking_external_id")),
        open_world: false,
        alias_of: None,
        guest_scope: Some(GuestScope {
            email_field: "guest_email",
        }),
    };

    fn sample(&self, today: NaiveDate) -> Sample {
        Sample::guest(
            "kay@example.com",
            json!({
                "booking_external_id": "0c9e4b7a-2f61-4d3e-8a15-7b2c9d4e6f80",
                "guest_email": "kay@example.com",
                "guest_first_name": "Kay",
                "guest_last_name": "Nakamura",
                "guest_phone": "+1 415 555 0142",
                "room_number": "209",
                "check_in_date": today + Days::new(180),
                "check_out_date": today + Days::new(183),
                "number_of_guests": 2,
                "special_requests": "Ocean-facing side if possible",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        if output.already_booked { 200 } else { 201 }
    }

    async fn call(&self, ctx: &Context, input: CreateBookingInput) -> Result<CreateBookingOutput, ToolError> {
        let request = ctx
            .audit()
            .check("booking_request_valid", Request::parse(input, ctx.today()))?;

        // Round trip 1: every read at once, beside the room's lease (see `room_lease`).
        let (lease, (contact, room, overlapping, earlier)) =
            room_lease::read_under_lease(ctx, request.room_number.as_str(), || async {
                tokio::try_join!(
                    contact::find_by_email(ctx, &request.email),
                    records::room_by_number(ctx, &request.room_number),
                    records::overlapping(
                        ctx,
                        RoomKey::Number(&request.room_number),
                        request.check_in,
                        request.check_out
                    ),
                    records::booking_by_external_id(ctx, &request.external_id),
                )
            })
            .await?;
        let reads = Reads {
            contact,
            room,
            overlapping,
            earlier,
        };
        room_lease::release_after(ctx, lease, book(ctx, &request, reads)).await
    }
}

/// What round trip 1 read.
struct Reads {
    contact: Option<Record>,
    room: Option<Room>,
    overlapping: Vec<BookingSummary>,
    earlier: Option<Booked>,
}

/// Checks the request against what was read and, when it passes, books (round trip 2).
async fn book(ctx: &Context, request: &Request, reads: Reads) -> Result<CreateBookingOutput, ToolError> {
    let audit = ctx.audit();
    if let Some(earlier) = reads.earlier {
        return audit.check_on("same_request", &earlier.id, earlier_attempt(request, &earlier));
    }
    let guest = reads.contact.as_ref().map(Guest::from_contact).transpose()?;
    let room = reads
        .room
        .ok_or_else(|| room::room_not_found(&request.room_number));
    let room = audit.check("room_found", room)?;
    audit.check_on("room_bookable", &room.id, checks::bookable(&room))?;
    audit.check_on("room_fits_guests", &room.id, checks::fits(&room, request.guests))?;
    let staff = !ctx.caller().is_guest_only();
    let clashes = checks::no_conflicts(
        &room.number,
        request.check_in,
        request.check_out,
        &reads.overlapping,
        staff,
    );
    audit.check_on("no_clash", &room.id, clashes)?;

    // Round trip 2: the writes and the read-back, all or none.
    let write = write::booking_writes(request, guest.as_ref(), &room);
    let answers = ctx
        .salesforce()
        .composite(&write)
        .await
        .map_err(backend_error::salesforce)?;
    let booking = write::saved(&answers, request, guest.as_ref(), &room)?;
    audit_creations(ctx, &booking, guest.is_none());
    Ok(CreateBookingOutput {
        booking,
        guest_created: guest.is_none(),
        already_booked: false,
    })
}

/// Records what the write created: the guest's Contact (when they had none), the opportunity and
/// the booking.
fn audit_creations(ctx: &Context, booking: &BookingView, guest_created: bool) {
    let audit = ctx.audit();
    if let (true, Some(guest_id)) = (guest_created, &booking.guest_id) {
        audit.created_record(dewy_domain::objects::contact::OBJECT, guest_id);
    }
    audit.created(&booking.opportunity_id, OpportunityStage::BookingConfirmed);
    audit.created(&booking.booking_id, BookingStatus::Reserved);
}

/// The answer when a booking already has this request's external id: that booking, if it is this
/// request's (same guest, room and dates); otherwise a refusal that says nothing about a booking
/// the caller may not own.
fn earlier_attempt(request: &Request, earlier: &Booked) -> Result<CreateBookingOutput, ToolError> {
    let same_guest = earlier.belongs_to(request.email.as_str());
    let same_stay = earlier
        .room
        .as_ref()
        .is_some_and(|r| r.number == request.room_number.as_str())
        && earlier.check_in == Some(request.check_in)
        && earlier.check_out == Some(request.check_out);
    if same_guest && same_stay {
        return Ok(CreateBookingOutput {
            booking: BookingView::of(earlier),
            guest_created: false,
            already_booked: true,
        });
    }
    let refusal = ToolError::new(
        ErrorCode::IdempotencyKeyReused,
        format!(
            "booking_external_id {} was already used for a different booking. Use a new \
             booking_external_id for a new booking, or resend the original request to get its result.",
            request.external_id
        ),
    );
    Err(if same_guest {
        refusal.with_details(json!({ "booking_number": earlier.number }))
    } else {
        refusal
    })
}
