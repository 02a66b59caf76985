//! `manage_booking_orchestrator`: changes a booking's room, dates, guest count, special requests
//! or (staff only) guest.
//!
//! Fixes of the original: the status is kept (never reset to Reserved); only a Reserved booking
//! may move (a Checked In one may change its guest count and requests, a finished one nothing);
//! a new room or new dates are checked for clashes with other bookings; check-out stays after
//! check-in. A guest may change only their own booking, and is told "not found" for anyone else's
//! exactly as for one that does not exist.
//!
//! Round trips: the reads run at once (the booking with its guest and room, the new room, the new
//! guest, and the clashes when the input names the whole new stay: room and both dates), then one
//! write. When the stay moves but the input leaves its room or a date as it was, the clash check
//! needs the booking's own values first and runs as a second read. A change that changes nothing
//! writes nothing and answers `changed: []`.
//!
//! A stay that moves is checked and written under its room's lease (`room_lease`), taken beside
//! the first reads when the input names the room, else beside the second read.

mod plan;
mod write;

use super::checks;
use super::input::{lenient, mark_required, missing, plain_text};
use super::output::BookingView;
use super::records::{self, Booked, Guest, Room, RoomKey, maybe};
use super::room_lease;
use crate::record::Record;
use crate::skills::views::booking::BookingSummary;
use crate::skills::views::{contact, room};
use chrono::NaiveDate;
use dewy_domain::input::{Email, ExternalId, IsoDate, RoomNumber, Text};
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::{Context, Effect, GuestScope, HeldLease, KeyFrom, Sample, Tool, ToolSpec, backend_error};
use plan::Plan;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::num::NonZeroU32;
use std::time::SystemTime;

/// Input of `manage_booking_orchestrator`: the booking, and at least one change.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = required_in_schema)]
pub struct ManageBookingInput {
    /// The booking_external_id the booking was made with.
    #[serde(default, deserialize_with = "lenient")]
    pub external_id: Option<ExternalId>,
    /// Move the booking to the guest with this email (their Contact must exist).
    #[serde(default, deserialize_with = "lenient")]
    pub guest_email: Option<Email>,
    #[serde(default, deserialize_with = "lenient")]
    pub room_number: Option<RoomNumber>,
    /// Today or later.
    #[serde(default, deserialize_with = "lenient")]
    pub check_in_date: Option<IsoDate>,
    /// After check_in_date.
    #[serde(default, deserialize_with = "lenient")]
    pub check_out_date: Option<IsoDate>,
    /// At most the room's occupancy.
    #[serde(default, deserialize_with = "lenient")]
    pub number_of_guests: Option<NonZeroU32>,
    /// Replaces the old ones.
    #[serde(default, deserialize_with = "lenient")]
    pub special_requests: Option<Text<32768>>,
}

fn required_in_schema(schema: &mut schemars::Schema) {
    mark_required(schema, &["external_id"]);
}

/// Output of `manage_booking_orchestrator`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ManageBookingOutput {
    /// The booking as it now is.
    #[serde(flatten)]
    pub booking: BookingView,
    /// The input fields whose values changed (empty when the booking already had them all).
    pub changed: Vec<String>,
}

/// The `manage_booking_orchestrator` tool.
pub struct ManageBookingOrchestrator;

impl Tool for ManageBookingOrchestrator {
    type Input = ManageBookingInput;
    type Output = ManageBookingOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "manage_booking_orchestrator",
        personas: crate::personas::GUEST_AND_FRONT_DESK,
        deployment: crate::deployment::ORCHESTRATOR,
        description: "Change a booking (give at least one new value); it keeps its status. Reserved: \
            anything may change; Checked In: only number_of_guests and special_requests; finished: nothing; \
            else INVALID_STATE_TRANSITION. A new room or dates must not clash with other bookings \
            (ROOM_ALREADY_BOOKED); the opportunity follows the dates.",
        effect: Effect::overwrites(KeyFrom::Input),
        open_world: false,
        alias_of: None,
        guest_scope: Some(GuestScope {
            email_field: "guest_email",
        }),
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "liam.obrien@example.com",
            json!({
                "external_id": "seed-booking-liam-1",
                "number_of_guests": 2,
                "special_requests": "Extra pillows, please",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: ManageBookingInput) -> Result<ManageBookingOutput, ToolError> {
        let Some(external_id) = input.external_id.clone() else {
            return Err(missing(&[("external_id", true)]));
        };
        // A guest's guest_email is filled from their token: it says who asks, not a new guest.
        let guest_only = ctx.caller().is_guest_only();
        let new_guest_email = input.guest_email.as_ref().filter(|_| !guest_only);
        check_something_requested(&input, new_guest_email.is_some())?;
        plain_text(&[(
            "special_requests",
            input.special_requests.as_ref().map(Text::as_str),
        )])?;

        // Round trip 1: every read the input allows, at once, and the new room's lease (see
        // `room_lease`) when the input names one.
        let whole_stay = match (&input.room_number, input.check_in_date, input.check_out_date) {
            (Some(room), Some(check_in), Some(check_out)) if check_out > check_in => {
                Some((room, check_in.date(), check_out.date()))
            }
            _ => None,
        };
        let started = SystemTime::now();
        let reads = async {
            tokio::try_join!(
                records::booking_by_external_id(ctx, &external_id),
                maybe(
                    input
                        .room_number
                        .as_ref()
                        .map(|n| records::room_by_number(ctx, n))
                ),
                maybe(new_guest_email.map(|e| contact::find_by_email(ctx, e))),
                maybe(whole_stay.map(|(room, check_in, check_out)| {
                    records::overlapping(ctx, RoomKey::Number(room), check_in, check_out)
                })),
            )
        };
        let lease = maybe(
            input
                .room_number
                .as_ref()
                .map(|n| room_lease::acquire(ctx, n.as_str())),
        );
        let (reads, lease) = tokio::join!(reads, lease);
        let mut lease = Leased {
            room: input.room_number.as_ref().map(|n| n.as_str().to_owned()),
            held: lease?,
            read_started: started,
        };
        let result = match reads {
            Ok(reads) => change(ctx, &input, &external_id, new_guest_email, reads, &mut lease).await,
            Err(error) => Err(error),
        };
        if let Some(held) = lease.held {
            held.release(ctx, None).await;
        }
        result
    }
}

/// What round trip 1 read: the booking, the new room, the new guest, and the new stay's clashes.
type Reads = (
    Option<Booked>,
    Option<Option<Room>>,
    Option<Option<Record>>,
    Option<Vec<BookingSummary>>,
);

/// The room lease this call holds, if any, and when the reads it covers started.
struct Leased {
    room: Option<String>,
    held: Option<HeldLease>,
    read_started: SystemTime,
}

/// Checks the change against what was read and, when it passes, writes it.
async fn change(
    ctx: &Context,
    input: &ManageBookingInput,
    external_id: &ExternalId,
    new_guest_email: Option<&Email>,
    (booking, new_room, new_guest, early_conflicts): Reads,
    lease: &mut Leased,
) -> Result<ManageBookingOutput, ToolError> {
    let guest_only = ctx.caller().is_guest_only();
    let audit = ctx.audit();
    let own_email = ctx.caller().email.as_ref().map(Email::as_str);
    let booking = booking
        .filter(|b| !guest_only || own_email.is_some_and(|e| b.belongs_to(e)))
        .ok_or_else(|| booking_not_found(external_id, guest_only));
    let booking = audit.check("booking_found", booking)?;
    let new_room = match (&input.room_number, new_room.flatten()) {
        (Some(number), None) => return audit.check("room_found", Err(room::room_not_found(number))),
        (_, found) => found,
    };
    let new_guest = match (new_guest_email, new_guest.flatten()) {
        (Some(email), None) => return audit.check("guest_found", Err(contact::guest_not_found(email))),
        (_, found) => found.as_ref().map(Guest::from_contact).transpose()?,
    };

    let plan = Plan::new(&booking, input, new_room, new_guest);
    if plan.changed.is_empty() {
        return Ok(output(&plan));
    }
    audit.check_on("status_allows_change", &booking.id, plan.check_status_allows())?;
    let conflicts = if plan.moves_stay() {
        conflicts_under_lease(ctx, &plan, early_conflicts, lease).await?
    } else {
        None
    };
    check_stay(ctx, &plan, conflicts.as_deref().unwrap_or_default())?;

    // The last round trip: the write, all or none.
    ctx.salesforce()
        .composite(&write::change_writes(&plan))
        .await
        .map_err(backend_error::salesforce)?;
    Ok(output(&plan))
}

/// The clashes of the moved stay, read under its room's lease: the early read when it was made
/// under the right lease and is not stale, else a second read (round trip 2), beside the lease
/// when it is not held yet.
async fn conflicts_under_lease(
    ctx: &Context,
    plan: &Plan<'_>,
    early: Option<Vec<BookingSummary>>,
    lease: &mut Leased,
) -> Result<Option<Vec<BookingSummary>>, ToolError> {
    // Without a room the stay cannot move; `check_stay` says so.
    let Some(room) = &plan.room else {
        return Ok(None);
    };
    let same_room = lease
        .room
        .as_deref()
        .is_some_and(|leased| leased.eq_ignore_ascii_case(&room.number));
    if let (true, Some(held)) = (same_room, &lease.held) {
        return match early {
            Some(conflicts) if !held.read_may_be_stale(lease.read_started) => Ok(Some(conflicts)),
            _ => second_read(ctx, plan).await,
        };
    }
    if let Some(held) = lease.held.take() {
        held.release(ctx, None).await;
    }
    let (held, conflicts) =
        room_lease::read_under_lease(ctx, &room.number, || second_read(ctx, plan)).await?;
    lease.room = Some(room.number.clone());
    lease.held = Some(held);
    Ok(conflicts)
}

/// `400 VALIDATION_ERROR` when the input asks for no change at all.
fn check_something_requested(input: &ManageBookingInput, new_guest: bool) -> Result<(), ToolError> {
    let requested = new_guest
        || input.room_number.is_some()
        || input.check_in_date.is_some()
        || input.check_out_date.is_some()
        || input.number_of_guests.is_some()
        || input.special_requests.is_some();
    if requested {
        return Ok(());
    }
    Err(ToolError::validation(
        "Nothing to change: give at least one of room_number, check_in_date, check_out_date, \
         number_of_guests, special_requests (or, for staff, guest_email).",
    ))
}

/// The clashes of the new stay, when the stay moves and its room and dates are known.
async fn second_read(ctx: &Context, plan: &Plan<'_>) -> Result<Option<Vec<BookingSummary>>, ToolError> {
    match (&plan.room, plan.check_in, plan.check_out) {
        (Some(room), Some(check_in), Some(check_out)) if plan.moves_stay() && check_out > check_in => {
            records::overlapping(ctx, RoomKey::Id(&room.id), check_in, check_out)
                .await
                .map(Some)
        }
        _ => Ok(None),
    }
}

/// Every rule of the stay after the change, checked before anything is written.
fn check_stay(ctx: &Context, plan: &Plan<'_>, conflicts: &[BookingSummary]) -> Result<(), ToolError> {
    if plan.moves_stay() {
        let (Some(room), Some(check_in), Some(check_out)) = (&plan.room, plan.check_in, plan.check_out)
        else {
            return Err(ToolError::validation(format!(
                "Booking {} has no room or dates yet: give room_number, check_in_date and check_out_date \
                 together.",
                plan.booking.number
            )));
        };
        let audit = ctx.audit();
        let dates = checks::stay_dates(check_in, check_out, plan.changes("check_in_date"), ctx.today());
        audit.check_on("stay_dates_valid", &plan.booking.id, dates)?;
        if plan.changes("room_number") {
            audit.check_on("room_bookable", &room.id, checks::bookable(room))?;
        }
        let others: Vec<_> = conflicts
            .iter()
            .filter(|c| c.booking_id != plan.booking.id)
            .cloned()
            .collect();
        let staff = !ctx.caller().is_guest_only();
        let clashes = checks::no_conflicts(&room.number, check_in, check_out, &others, staff);
        audit.check_on("no_clash", &room.id, clashes)?;
    }
    if let (Some(room), Some(guests)) = (&plan.room, plan.guests)
        && (plan.changes("room_number") || plan.changes("number_of_guests"))
    {
        ctx.audit()
            .check_on("room_fits_guests", &room.id, checks::fits(room, guests))?;
    }
    Ok(())
}

fn output(plan: &Plan<'_>) -> ManageBookingOutput {
    ManageBookingOutput {
        booking: plan.view(),
        changed: plan.changed.iter().map(|f| (*f).to_owned()).collect(),
    }
}

/// `400 BOOKING_NOT_FOUND`. A guest gets it for someone else's booking too, in the same words, so
/// it reveals nothing about other guests' bookings.
fn booking_not_found(external_id: &ExternalId, guest_only: bool) -> ToolError {
    let whose = if guest_only { " of yours" } else { "" };
    ToolError::new(
        ErrorCode::BookingNotFound,
        format!(
            "No booking{whose} has the external id {external_id}. Check the id (it is the \
             booking_external_id the booking was created with)."
        ),
    )
    .with_details(json!({ "external_id": external_id }))
}
