//! `upsert_booking`: creates or updates a booking by its external id. A new booking starts
//! Reserved; an existing one keeps its status (the original reset it to Reserved).
//!
//! A booking that takes nights it did not take before (a new one, or a new room or dates) is
//! checked for clashes under its room's lease, as the booking orchestrators are: no room is booked
//! twice for a night, whichever tool books it.

use super::STAFF_OVERWRITE;
use super::references::{self, Ref};
use super::sf::{self, Body};
use super::views::Saved;
use super::views::booking::{self, BookingSummary};
use super::views::room::{self, RoomSummary};
use crate::bookings::records::{self, RoomKey, maybe};
use crate::bookings::{checks, room_lease};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::{ExternalId, IsoDate, RecordId, Text};
use dewy_domain::objects::booking::{
    BookingStatus, CHECK_IN_DATE, CHECK_OUT_DATE, EXTERNAL_ID, NUMBER_OF_GUESTS, OBJECT, OPPORTUNITY,
    PRIMARY_GUEST, ROOM, SPECIAL_REQUESTS, STATUS,
};
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::num::NonZeroU32;
use std::time::SystemTime;

/// Input of `upsert_booking`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpsertBookingInput {
    /// A UUID you choose: the same id updates the same booking.
    pub external_id: ExternalId,
    /// Required for a new booking (create_opportunity returns it).
    #[serde(default)]
    pub opportunity_id: Option<RecordId>,
    /// The guest's Contact id.
    #[serde(default)]
    pub contact_id: Option<RecordId>,
    /// The room's record id (search_room_by_number returns it).
    #[serde(default)]
    pub room_id: Option<RecordId>,
    #[serde(default)]
    pub check_in_date: Option<IsoDate>,
    /// After check_in_date.
    #[serde(default)]
    pub check_out_date: Option<IsoDate>,
    /// A new booking defaults to 1.
    #[serde(default)]
    pub number_of_guests: Option<NonZeroU32>,
    #[serde(default)]
    pub special_requests: Option<Text<32768>>,
}

/// The `upsert_booking` tool.
pub struct UpsertBooking;

impl Tool for UpsertBooking {
    type Input = UpsertBookingInput;
    type Output = Saved<BookingSummary>;

    const SPEC: ToolSpec = ToolSpec {
        name: "upsert_booking",
        personas: crate::personas::FRONT_DESK,
        deployment: crate::deployment::SKILL,
        description: "Create a booking, or update the one with this external_id (safe to retry). A new \
            booking starts Reserved; an existing one keeps its status, and fields left out stay as they are. \
            A live booking clashing with another of the room is ROOM_ALREADY_BOOKED, nothing written. Room \
            status and capacity are not checked: create_booking_orchestrator books with every check in one \
            step.",
        // An upsert is idempotent by nature; a different request for the same booking is a new update.
        effect: Effect::overwrites(KeyFrom::Input),
        ..STAFF_OVERWRITE
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager1@hotel.com",
            json!({
                "external_id": "seed-booking-sofia-1",
                "number_of_guests": 2,
                "special_requests": "Anniversary: champagne and flowers in the room on arrival",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        dewy_tool::created_status(output.created)
    }

    async fn call(
        &self,
        ctx: &Context,
        input: UpsertBookingInput,
    ) -> Result<Saved<BookingSummary>, ToolError> {
        let contact = input.contact_id.as_ref().map(|id| Ref::Contact("contact_id", id));
        // Round trip 1: the booking as it is, every record the input names, and, when the input
        // names a room and its nights, the room's bookings over them, at once.
        let given_nights = match (&input.room_id, input.check_in_date, input.check_out_date) {
            (Some(room), Some(check_in), Some(check_out)) if check_out > check_in => {
                Some((room.as_str(), check_in.date(), check_out.date()))
            }
            _ => None,
        };
        let started = SystemTime::now();
        let (existing, _, _, new_room, early_overlaps) = tokio::try_join!(
            booking::by_external_id(ctx, &input.external_id),
            references::ensure_given(ctx, input.opportunity_id.as_ref().map(Ref::Opportunity)),
            references::ensure_given(ctx, contact),
            room_given(ctx, input.room_id.as_ref()),
            maybe(given_nights.map(|(room, check_in, check_out)| {
                records::overlapping(ctx, RoomKey::Id(room), check_in, check_out)
            })),
        )?;
        ctx.audit()
            .check("dates_valid", check_dates(&input, existing.as_ref()))?;
        let mut body = Body::default()
            .set(OPPORTUNITY, input.opportunity_id.as_ref())
            .set(PRIMARY_GUEST, input.contact_id.as_ref())
            .set(ROOM, input.room_id.as_ref())
            .set(CHECK_IN_DATE, input.check_in_date)
            .set(CHECK_OUT_DATE, input.check_out_date)
            .set(NUMBER_OF_GUESTS, input.number_of_guests)
            .set(SPECIAL_REQUESTS, input.special_requests.as_ref());
        if existing.is_none() {
            if input.opportunity_id.is_none() {
                return Err(ToolError {
                    message: format!(
                        "Required fields are missing: opportunity_id. No booking has the external id {}, and a \
                         new booking belongs to an opportunity (create_opportunity makes one).",
                        input.external_id
                    ),
                    ..ToolError::missing_fields(&["opportunity_id"])
                });
            }
            body = body.always(STATUS, BookingStatus::Reserved).set(
                NUMBER_OF_GUESTS,
                Some(input.number_of_guests.map_or(1, NonZeroU32::get)),
            );
        }
        let body = body.into_value();
        let Some(taken) = nights_taken(&input, existing.as_ref(), new_room.as_ref()) else {
            return write(ctx, &input, &body).await;
        };
        // When the booking takes nights it did not: the room's lease, held until the write is done
        // (see `room_lease`), and the room's bookings over the nights read under it.
        let read = || records::overlapping(ctx, RoomKey::Id(&taken.room_id), taken.check_in, taken.check_out);
        let (lease, overlapping) = match early_overlaps {
            // Read in round trip 1: only the lease is taken (DynamoDB), and the read made again
            // if another booking of the room wrote since.
            Some(early) => {
                room_lease::acquire(ctx, &taken.room_number)
                    .await?
                    .confirm_read(ctx, started, Ok(early), read)
                    .await?
            }
            // Round trip 2: the read beside the lease.
            None => room_lease::read_under_lease(ctx, &taken.room_number, read).await?,
        };
        let own_id = existing.as_ref().map(|b| b.booking_id.as_str());
        let others: Vec<_> = overlapping
            .into_iter()
            .filter(|b| Some(b.booking_id.as_str()) != own_id)
            .collect();
        room_lease::release_after(ctx, lease, async {
            let clashes =
                checks::no_conflicts(&taken.room_number, taken.check_in, taken.check_out, &others, true);
            ctx.audit().check_on("no_clash", &taken.room_id, clashes)?;
            write(ctx, &input, &body).await
        })
        .await
    }
}

/// Round trips 2 and 3 (or 3 and 4): the write (a single sObject call: special requests are free
/// text, which a Composite request would scan for references), then the booking as it now is.
async fn write(
    ctx: &Context,
    input: &UpsertBookingInput,
    body: &serde_json::Value,
) -> Result<Saved<BookingSummary>, ToolError> {
    let saved = sf::upsert(ctx, OBJECT, EXTERNAL_ID, input.external_id.as_str(), body).await?;
    if saved.created {
        ctx.audit().created(&saved.id, BookingStatus::Reserved);
    }
    let booking = booking::by_id(ctx, &saved.id)
        .await?
        .ok_or_else(|| sf::vanished(OBJECT, &saved.id))?;
    Ok(Saved {
        created: saved.created,
        record: booking,
    })
}

/// The room `room_id` names, or its `ROOM_NOT_FOUND` (a `room_found` decision on the audit trail).
async fn room_given(ctx: &Context, room_id: Option<&RecordId>) -> Result<Option<RoomSummary>, ToolError> {
    let Some(id) = room_id else {
        return Ok(None);
    };
    let found = room::by_id(ctx, id.as_str())
        .await?
        .ok_or_else(|| Ref::Room(id).not_found());
    ctx.audit().check_on("room_found", id.as_str(), found).map(Some)
}

/// A room and the nights a booking would take in it: what is checked for clashes. (Not a guest's
/// stay, `crate::stay::Stay`, which is a booking read with its room and opportunity.)
#[derive(Debug, PartialEq)]
struct RoomNights {
    room_id: String,
    room_number: String,
    check_in: NaiveDate,
    check_out: NaiveDate,
}

/// The nights the upserted booking would take that it does not take now: its stay after the
/// upsert, when it is live (Reserved or Checked In), has a room and both dates, and is new or has
/// moved. `None` when no night is newly taken, so there is nothing to check for clashes.
fn nights_taken(
    input: &UpsertBookingInput,
    existing: Option<&BookingSummary>,
    new_room: Option<&RoomSummary>,
) -> Option<RoomNights> {
    let live =
        existing.is_none_or(|b| matches!(b.status, BookingStatus::Reserved | BookingStatus::CheckedIn));
    let (room_id, room_number) = match (new_room, existing) {
        (Some(room), _) => (room.id.clone(), room.room_number.clone()),
        (None, Some(b)) => (b.room_id.clone()?, b.room_number.clone()?),
        (None, None) => return None,
    };
    let check_in = input.check_in_date.or(existing.and_then(|b| b.check_in_date))?;
    let check_out = input.check_out_date.or(existing.and_then(|b| b.check_out_date))?;
    let moved = existing.is_none_or(|b| {
        b.room_id.as_deref() != Some(room_id.as_str())
            || b.check_in_date != Some(check_in)
            || b.check_out_date != Some(check_out)
    });
    (live && moved).then(|| RoomNights {
        room_id,
        room_number,
        check_in: check_in.date(),
        check_out: check_out.date(),
    })
}

/// Check-out after check-in, counting the booking's own dates for those not given.
fn check_dates(input: &UpsertBookingInput, existing: Option<&BookingSummary>) -> Result<(), ToolError> {
    let check_in = input.check_in_date.or(existing.and_then(|b| b.check_in_date));
    let check_out = input.check_out_date.or(existing.and_then(|b| b.check_out_date));
    match (check_in, check_out) {
        (Some(check_in), Some(check_out)) if check_out <= check_in => Err(ToolError::validation(format!(
            "check_out_date ({check_out}) must be after check_in_date ({check_in})."
        ))
        .with_details(json!({ "check_in_date": check_in, "check_out_date": check_out }))),
        _ => Ok(()),
    }
}
