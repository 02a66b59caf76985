//! `upsert_booking`: creates or updates a booking by its external id. A new booking starts
//! Reserved; an existing one keeps its status (the original reset it to Reserved).

use super::STAFF_OVERWRITE;
use super::references::{self, Ref};
use super::sf::{self, Body};
use super::views::Saved;
use super::views::booking::{self, BookingSummary};
use dewy_domain::ToolError;
use dewy_domain::input::{ExternalId, IsoDate, RecordId, Text};
use dewy_domain::objects::booking::{
    BookingStatus, CHECK_IN_DATE, CHECK_OUT_DATE, EXTERNAL_ID, NUMBER_OF_GUESTS, OBJECT, OPPORTUNITY,
    PRIMARY_GUEST, ROOM, SPECIAL_REQUESTS, STATUS,
};
use dewy_tool::{Context, KeyFrom, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::num::NonZeroU32;

/// Input of `upsert_booking`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpsertBookingInput {
    /// The booking's external id (a UUID the client chose): the same id updates the same booking.
    pub external_id: ExternalId,
    /// The opportunity the booking belongs to (create_opportunity returns it); required for a new booking.
    #[serde(default)]
    pub opportunity_id: Option<RecordId>,
    /// The guest's Contact id.
    #[serde(default)]
    pub contact_id: Option<RecordId>,
    /// The room's record id (search_room_by_number returns it).
    #[serde(default)]
    pub room_id: Option<RecordId>,
    /// Arrival date (YYYY-MM-DD).
    #[serde(default)]
    pub check_in_date: Option<IsoDate>,
    /// Departure date (YYYY-MM-DD), after the arrival date.
    #[serde(default)]
    pub check_out_date: Option<IsoDate>,
    /// Number of guests; a new booking defaults to 1.
    #[serde(default)]
    pub number_of_guests: Option<NonZeroU32>,
    /// The guest's special requests.
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
        personas: crate::personas::of("upsert_booking"),
        description: "Create a booking, or update the one with this external_id (an upsert, safe to retry). A new \
            booking needs opportunity_id (from create_opportunity) and starts Reserved with 1 guest unless told \
            otherwise; an existing booking keeps its status, and fields left out stay as they are. contact_id, \
            room_id, check_in_date, check_out_date (after check_in_date), number_of_guests and special_requests \
            are optional. Returns created and the booking as it now is. Does not check that the room is free: \
            call search_bookings_by_room_and_dates first, or book in one step with create_booking_orchestrator.",
        // An upsert is idempotent by nature; a different request for the same booking is a new update.
        idempotency_key: KeyFrom::Input,
        ..STAFF_OVERWRITE
    };

    fn success_status(&self, output: &serde_json::Value) -> u16 {
        dewy_tool::created_status(output)
    }

    async fn call(
        &self,
        ctx: &Context,
        input: UpsertBookingInput,
    ) -> Result<Saved<BookingSummary>, ToolError> {
        let contact = input.contact_id.as_ref().map(|id| Ref::Contact("contact_id", id));
        // Round trip 1: the booking as it is, and every record the input names, at once.
        let (existing, _, _, _) = tokio::try_join!(
            booking::by_external_id(ctx, &input.external_id),
            references::ensure_given(ctx, input.opportunity_id.as_ref().map(Ref::Opportunity)),
            references::ensure_given(ctx, contact),
            references::ensure_given(ctx, input.room_id.as_ref().map(Ref::Room)),
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
        // Round trip 2: the write (a single sObject call: special requests are free text, which a
        // Composite request would scan for references). Round trip 3: the booking as it now is.
        let saved = sf::upsert(
            ctx,
            OBJECT,
            EXTERNAL_ID,
            input.external_id.as_str(),
            &body.into_value(),
        )
        .await?;
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
