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

mod plan;
mod write;

use super::checks;
use super::input::{lenient, mark_required, missing, plain_text};
use super::output::BookingView;
use super::records::{self, Guest, RoomKey};
use crate::skills::views::booking::BookingSummary;
use crate::skills::views::{contact, room};
use dewy_domain::input::{Email, ExternalId, IsoDate, RoomNumber, Text};
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::{Annotations, Context, GuestScope, KeyFrom, Tool, ToolSpec, backend_error};
use plan::Plan;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::future::Future;
use std::num::NonZeroU32;

/// Input of `manage_booking_orchestrator`: the booking, and at least one change.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = required_in_schema)]
pub struct ManageBookingInput {
    /// The booking's external id (the booking_external_id it was created with).
    #[serde(default, deserialize_with = "lenient")]
    pub external_id: Option<ExternalId>,
    /// Staff: move the booking to the guest with this email (their Contact must exist). For a
    /// guest it is their own email.
    #[serde(default, deserialize_with = "lenient")]
    pub guest_email: Option<Email>,
    /// The new room's number (`Room_Number__c`), e.g. 208.
    #[serde(default, deserialize_with = "lenient")]
    pub room_number: Option<RoomNumber>,
    /// The new arrival date (YYYY-MM-DD), today or later.
    #[serde(default, deserialize_with = "lenient")]
    pub check_in_date: Option<IsoDate>,
    /// The new departure date (YYYY-MM-DD), after the arrival date.
    #[serde(default, deserialize_with = "lenient")]
    pub check_out_date: Option<IsoDate>,
    /// The new number of guests, at least 1 and at most the room's occupancy.
    #[serde(default, deserialize_with = "lenient")]
    pub number_of_guests: Option<NonZeroU32>,
    /// The new special requests (replacing the old ones).
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
        personas: crate::personas::of("manage_booking_orchestrator"),
        description: "Change a booking found by its external_id: room_number, check_in_date, check_out_date, \
            number_of_guests, special_requests, and (staff only) guest_email to move it to another guest. Give \
            at least one. The booking keeps its status. A Reserved booking can change anything; a Checked In \
            one only number_of_guests and special_requests; a Checked Out, Cancelled or No Show one nothing. A \
            new room or new dates are checked for clashes with other bookings (ROOM_ALREADY_BOOKED), and the \
            opportunity follows the new dates. Returns the booking and changed[] (empty if nothing differed). \
            Guests can change only their own bookings.",
        annotations: Annotations {
            read_only: false,
            destructive: true,
            idempotent: true,
            open_world: false,
        },
        guest_scope: Some(GuestScope {
            email_field: "guest_email",
        }),
        idempotency_key: KeyFrom::Input,
    };

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

        // Round trip 1: every read the input allows, at once.
        let whole_stay = match (&input.room_number, input.check_in_date, input.check_out_date) {
            (Some(room), Some(check_in), Some(check_out)) if check_out > check_in => {
                Some((room, check_in.date(), check_out.date()))
            }
            _ => None,
        };
        let (booking, new_room, new_guest, early_conflicts) = tokio::try_join!(
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
        )?;
        let audit = ctx.audit();
        let own_email = ctx.caller().email.as_ref().map(Email::as_str);
        let booking = booking
            .filter(|b| !guest_only || own_email.is_some_and(|e| b.belongs_to(e)))
            .ok_or_else(|| booking_not_found(&external_id, guest_only));
        let booking = audit.check("booking_found", booking)?;
        let new_room = match (&input.room_number, new_room.flatten()) {
            (Some(number), None) => return audit.check("room_found", Err(room::room_not_found(number))),
            (_, found) => found,
        };
        let new_guest = match (new_guest_email, new_guest.flatten()) {
            (Some(email), None) => return audit.check("guest_found", Err(contact::guest_not_found(email))),
            (_, found) => found.as_ref().map(Guest::from_contact).transpose()?,
        };

        let plan = Plan::new(&booking, &input, new_room, new_guest);
        if plan.changed.is_empty() {
            return Ok(output(&plan));
        }
        audit.check_on("status_allows_change", &booking.id, plan.check_status_allows())?;
        let conflicts = match early_conflicts {
            Some(conflicts) => Some(conflicts),
            // Round trip 2, only when the clash check needed the booking's own room or dates.
            None => second_read(ctx, &plan).await?,
        };
        check_stay(ctx, &plan, conflicts.as_deref().unwrap_or_default())?;

        // The last round trip: the write, all or none.
        ctx.salesforce()
            .composite(&write::change_writes(&plan))
            .await
            .map_err(backend_error::salesforce)?;
        Ok(output(&plan))
    }
}

/// Runs `read` if there is one.
async fn maybe<T>(read: Option<impl Future<Output = Result<T, ToolError>>>) -> Result<Option<T>, ToolError> {
    match read {
        Some(read) => read.await.map(Some),
        None => Ok(None),
    }
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
