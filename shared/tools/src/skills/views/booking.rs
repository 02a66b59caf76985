//! A Booking__c as the skills show it ([`BookingSummary`]), with its guest and room read through
//! relationship fields in the same query.
//!
//! This is also the one reading of a booking record's own fields, its guest's and its room's: the
//! booking orchestrators read a booking with these fields and a few more through
//! [`BookingSummary::from_record`] (`bookings::records::Booked`), and answer with a
//! `bookings::BookingView` built from that. The two answers remain two types because they differ
//! on the wire: a summary names the booking's `external_id` and its room's status, a view when the
//! booking was made (`created_at`). Check-in and checkout read a booking as a `Stay` instead (with
//! its opportunity and what its room costs), which no tool answers with.

use super::contact::full_name;
use crate::record::Record;
use crate::skills::sf;
use dewy_domain::input::{ExternalId, IsoDate};
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::contact;
use dewy_domain::objects::room::{self, RoomStatus, RoomType};
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Order, Soql};
use dewy_tool::Context;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The booking's fields and, through `Primary_Guest__r` and `Room__r`, its guest's and room's.
pub(crate) const FIELDS: &[&str] = &[
    "Id",
    booking::NAME,
    booking::STATUS,
    booking::CHECK_IN_DATE,
    booking::CHECK_OUT_DATE,
    booking::TOTAL_NIGHTS,
    booking::NUMBER_OF_GUESTS,
    booking::SPECIAL_REQUESTS,
    booking::EXTERNAL_ID,
    booking::OPPORTUNITY,
    booking::PRIMARY_GUEST,
    "Primary_Guest__r.FirstName",
    "Primary_Guest__r.LastName",
    "Primary_Guest__r.Unique_Email__c",
    booking::ROOM,
    "Room__r.Room_Number__c",
    "Room__r.Status__c",
    "Room__r.Room_Type__c",
    "Room__r.Floor__c",
];

/// One booking, with its guest and room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BookingSummary {
    /// The booking's record id: pass it as `booking_id` to other tools.
    pub booking_id: String,
    /// The booking number guests quote, e.g. BK-0042.
    pub booking_number: String,
    /// Reserved, Checked In, Checked Out, Cancelled or No Show.
    pub status: BookingStatus,
    /// Arrival date.
    pub check_in_date: Option<IsoDate>,
    /// Departure date.
    pub check_out_date: Option<IsoDate>,
    /// Nights booked.
    pub total_nights: Option<i64>,
    /// Number of guests.
    pub number_of_guests: Option<i64>,
    /// The guest's special requests.
    pub special_requests: Option<String>,
    /// The client-chosen external id the booking was made with.
    pub external_id: Option<String>,
    /// The booking's opportunity.
    pub opportunity_id: Option<String>,
    /// The guest's Contact id.
    pub guest_id: Option<String>,
    /// The guest's full name.
    pub guest_name: Option<String>,
    /// The guest's email.
    pub guest_email: Option<String>,
    /// The room's record id.
    pub room_id: Option<String>,
    /// The room's number (`Room_Number__c`), e.g. 105.
    pub room_number: Option<String>,
    /// The room's status.
    pub room_status: Option<RoomStatus>,
    /// Standard, Deluxe, Suite or Penthouse.
    pub room_type: Option<RoomType>,
    /// The room's floor.
    pub floor: Option<i64>,
}

impl BookingSummary {
    /// The booking a record read with [`FIELDS`] holds; a field of an empty lookup is `None`.
    pub(crate) fn from_record(record: &Record) -> Result<Self, ToolError> {
        let text = |record: &Record, field| Ok::<_, ToolError>(record.text(field)?.map(str::to_owned));
        // An empty lookup reads as a record without fields: every related field is then `None`.
        let guest = record.related(booking::PRIMARY_GUEST_REL)?;
        let room = record.related(booking::ROOM_REL)?.unwrap_or_default();
        let guest_name = match &guest {
            Some(guest) => Some(full_name(guest)?),
            None => None,
        };
        let guest = guest.unwrap_or_default();
        Ok(BookingSummary {
            booking_id: record.id()?.to_owned(),
            booking_number: record.required_text(booking::NAME)?.to_owned(),
            status: record.picklist(booking::STATUS)?,
            check_in_date: record.date(booking::CHECK_IN_DATE)?.map(IsoDate::from),
            check_out_date: record.date(booking::CHECK_OUT_DATE)?.map(IsoDate::from),
            total_nights: record.integer(booking::TOTAL_NIGHTS)?,
            number_of_guests: record.integer(booking::NUMBER_OF_GUESTS)?,
            special_requests: text(record, booking::SPECIAL_REQUESTS)?,
            external_id: text(record, booking::EXTERNAL_ID)?,
            opportunity_id: text(record, booking::OPPORTUNITY)?,
            guest_id: text(record, booking::PRIMARY_GUEST)?,
            guest_name,
            guest_email: text(&guest, contact::UNIQUE_EMAIL)?,
            room_id: text(record, booking::ROOM)?,
            room_number: text(&room, room::ROOM_NUMBER)?,
            room_status: room.optional_picklist(room::STATUS)?,
            room_type: room.optional_picklist(room::ROOM_TYPE)?,
            floor: room.integer(room::FLOOR)?,
        })
    }
}

/// The bookings matching `filter` (at most `limit`), in booking-number order.
pub(crate) async fn find(ctx: &Context, filter: Cond, limit: u32) -> Result<Vec<BookingSummary>, ToolError> {
    let soql = Soql::select(FIELDS)
        .from(booking::OBJECT)
        .filter(filter)
        .order_by(booking::NAME, Order::Asc)
        .limit(limit);
    sf::query(ctx, &soql)
        .await?
        .iter()
        .map(BookingSummary::from_record)
        .collect()
}

/// The booking with record id `id`.
pub(crate) async fn by_id(ctx: &Context, id: &str) -> Result<Option<BookingSummary>, ToolError> {
    Ok(find(ctx, Cond::eq("Id", id), 1).await?.pop())
}

/// The booking made with `external_id`.
///
/// `External_ID__c` is not unique on bookings, and Salesforce cannot upsert on a value several
/// share; rather than act on one of them at random, that is a `409 MULTIPLE_RESERVATIONS` naming
/// them.
pub(crate) async fn by_external_id(
    ctx: &Context,
    external_id: &ExternalId,
) -> Result<Option<BookingSummary>, ToolError> {
    let mut found = find(ctx, Cond::eq(booking::EXTERNAL_ID, external_id.as_str()), 2).await?;
    if found.len() > 1 {
        let numbers: Vec<&str> = found.iter().map(|b| b.booking_number.as_str()).collect();
        return Err(ToolError::new(
            ErrorCode::MultipleReservations,
            format!(
                "Several bookings ({}) share the external id {external_id}. Act on one by its booking_id \
                 (search_booking_by_contact_and_date lists a guest's bookings).",
                numbers.join(", ")
            ),
        )
        .with_details(json!({ "external_id": external_id, "booking_numbers": numbers })));
    }
    Ok(found.pop())
}
