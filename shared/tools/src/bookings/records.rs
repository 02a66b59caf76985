//! What the booking orchestrators read: a room with what decides whether it can be booked, a
//! booking with its guest and room, and the live bookings that would clash with a stay.

use crate::record::Record;
use crate::skills::sf;
use crate::skills::views::booking::{self as booking_view, BookingSummary};
use crate::skills::views::contact::full_name;
use chrono::{DateTime, NaiveDate, Utc};
use dewy_domain::input::{ExternalId, IsoDate, RoomNumber};
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::contact;
use dewy_domain::objects::room::{self, RoomStatus, RoomType};
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_tool::Context;
use serde_json::json;
use std::future::Future;

/// Enough to list every clash of a long stay, few enough to stay one page.
const MAX_CONFLICTS: u32 = 100;

/// A room's fields, read directly or through a booking's `Room__r`.
const ROOM_FIELDS: &[&str] = &[
    "Id",
    room::ROOM_NUMBER,
    room::STATUS,
    room::ROOM_TYPE,
    room::FLOOR,
    room::MAX_OCCUPANCY,
    room::NIGHTLY_RATE,
];

/// What a booking is read with beyond the skills' view of it (`views::booking::FIELDS`: its own
/// fields, its guest's and its room's): when it was made, and what its room takes and costs.
const MORE_BOOKING_FIELDS: &[&str] = &[
    "CreatedDate",
    "Room__r.Max_Occupancy__c",
    "Room__r.Nightly_Rate__c",
];

/// A room as the booking orchestrators need it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Room {
    pub(super) id: String,
    /// `Room_Number__c`, the number guests see (never the descriptive `Name`).
    pub(super) number: String,
    pub(super) status: RoomStatus,
    pub(super) room_type: Option<RoomType>,
    pub(super) floor: Option<i64>,
    pub(super) max_occupancy: Option<i64>,
    pub(super) nightly_rate: Option<f64>,
}

impl Room {
    /// The room `id` from a record read with [`ROOM_FIELDS`] (or their `Room__r.` forms).
    fn read(id: &str, record: &Record) -> Result<Room, ToolError> {
        Ok(Room {
            id: id.to_owned(),
            number: record.required_text(room::ROOM_NUMBER)?.to_owned(),
            status: record.picklist(room::STATUS)?,
            room_type: record.optional_picklist(room::ROOM_TYPE)?,
            floor: record.integer(room::FLOOR)?,
            max_occupancy: record.integer(room::MAX_OCCUPANCY)?,
            nightly_rate: record.number(room::NIGHTLY_RATE)?,
        })
    }

    /// The price of `nights` nights (the opportunity's amount), when the room has a rate.
    pub(super) fn price(&self, nights: i64) -> Option<f64> {
        self.nightly_rate
            .map(|rate| (rate * nights as f64 * 100.0).round() / 100.0)
    }
}

/// A guest's Contact: who a booking is for.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Guest {
    pub(super) id: String,
    pub(super) name: String,
    /// `Unique_Email__c`.
    pub(super) email: Option<String>,
    /// The Account a new opportunity is filed under, as `create_opportunity` does.
    pub(super) account_id: Option<String>,
}

impl Guest {
    /// A contact read by `views::contact::find_by_email` (its fields include the account).
    pub(super) fn from_contact(record: &Record) -> Result<Guest, ToolError> {
        Ok(Guest {
            id: record.id()?.to_owned(),
            name: full_name(record)?,
            email: record.text(contact::UNIQUE_EMAIL)?.map(str::to_owned),
            account_id: record.text(contact::ACCOUNT)?.map(str::to_owned),
        })
    }
}

/// A booking with its guest and room, as the orchestrators act on it (what they answer with is a
/// `BookingView` built from it).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Booked {
    pub(super) id: String,
    pub(super) number: String,
    pub(super) status: BookingStatus,
    pub(super) check_in: Option<NaiveDate>,
    pub(super) check_out: Option<NaiveDate>,
    pub(super) total_nights: Option<i64>,
    pub(super) number_of_guests: Option<i64>,
    pub(super) special_requests: Option<String>,
    pub(super) opportunity_id: String,
    pub(super) created_at: DateTime<Utc>,
    pub(super) guest: Option<Guest>,
    pub(super) room: Option<Room>,
}

impl Booked {
    /// A booking read with `views::booking::FIELDS` and [`MORE_BOOKING_FIELDS`]: its own fields,
    /// its guest's and its room's, read once, by the skills' reading of a booking
    /// ([`BookingSummary`]); then what only the orchestrators need (the opportunity, which every
    /// booking they answer about has, when the booking was made, and what its room takes and
    /// costs).
    pub(super) fn read(record: &Record) -> Result<Booked, ToolError> {
        let summary = BookingSummary::from_record(record)?;
        // A guest is shown only with their Contact read through the lookup (which gives the name).
        let guest = match (summary.guest_id, summary.guest_name) {
            (Some(id), Some(name)) => Some(Guest {
                id,
                name,
                email: summary.guest_email,
                account_id: None,
            }),
            _ => None,
        };
        let room = match (record.text(booking::ROOM)?, record.related(booking::ROOM_REL)?) {
            (Some(id), Some(room)) => Some(Room::read(id, &room)?),
            _ => None,
        };
        Ok(Booked {
            id: summary.booking_id,
            number: summary.booking_number,
            status: summary.status,
            check_in: summary.check_in_date.map(IsoDate::date),
            check_out: summary.check_out_date.map(IsoDate::date),
            total_nights: summary.total_nights,
            number_of_guests: summary.number_of_guests,
            special_requests: summary.special_requests,
            opportunity_id: record.required_text(booking::OPPORTUNITY)?.to_owned(),
            created_at: record.date_time("CreatedDate")?.unwrap_or_default(),
            guest,
            room,
        })
    }

    /// Whether the booking's guest has `email` (emails are stored lower-cased, as `Email` parses).
    pub(super) fn belongs_to(&self, email: &str) -> bool {
        self.guest
            .as_ref()
            .and_then(|g| g.email.as_deref())
            .is_some_and(|own| own.eq_ignore_ascii_case(email))
    }
}

/// The room numbered `number`.
pub(super) async fn room_by_number(ctx: &Context, number: &RoomNumber) -> Result<Option<Room>, ToolError> {
    let soql = Soql::select(ROOM_FIELDS)
        .from(room::OBJECT)
        .filter(Cond::eq(room::ROOM_NUMBER, number.as_str()));
    match sf::first(ctx, soql).await? {
        Some(record) => Room::read(record.id()?, &record).map(Some),
        None => Ok(None),
    }
}

/// The booking made with `external_id`. `External_ID__c` is not unique on bookings; rather than act
/// on one of several at random, that is a `409 MULTIPLE_RESERVATIONS` naming them.
pub(super) async fn booking_by_external_id(
    ctx: &Context,
    external_id: &ExternalId,
) -> Result<Option<Booked>, ToolError> {
    let fields = [booking_view::FIELDS, MORE_BOOKING_FIELDS].concat();
    let soql = Soql::select(&fields)
        .from(booking::OBJECT)
        .filter(Cond::eq(booking::EXTERNAL_ID, external_id.as_str()))
        .limit(2);
    let mut found = sf::query(ctx, &soql).await?;
    if found.len() > 1 {
        return Err(ToolError::new(
            ErrorCode::MultipleReservations,
            format!(
                "Several bookings share the external id {external_id}. Ask the front desk to resolve the \
                 duplicate before changing it."
            ),
        )
        .with_details(json!({ "external_id": external_id })));
    }
    found.pop().as_ref().map(Booked::read).transpose()
}

/// How the room of a stay is named in a conflict query.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RoomKey<'a> {
    /// By its number, when the room has not been read yet (so the check runs alongside the read).
    Number(&'a RoomNumber),
    /// By its record id.
    Id(&'a str),
}

/// The live bookings (not Cancelled, No Show or Checked Out) of a room whose dates touch
/// `check_in..=check_out`. The bounds are inclusive, as in `search_bookings_by_room_and_dates`
/// and the original, so both answer the same question the same way (no same-day turnover).
pub(crate) async fn overlapping(
    ctx: &Context,
    room: RoomKey<'_>,
    check_in: NaiveDate,
    check_out: NaiveDate,
) -> Result<Vec<BookingSummary>, ToolError> {
    let ended = [
        BookingStatus::Cancelled,
        BookingStatus::NoShow,
        BookingStatus::CheckedOut,
    ]
    .map(|s| s.to_string());
    let room = match room {
        RoomKey::Number(number) => Cond::eq("Room__r.Room_Number__c", number.as_str()),
        RoomKey::Id(id) => Cond::eq(booking::ROOM, id),
    };
    let filter = room
        .and(Cond::not_in(booking::STATUS, ended))
        .and(Cond::le(booking::CHECK_IN_DATE, check_out))
        .and(Cond::ge(booking::CHECK_OUT_DATE, check_in));
    booking_view::find(ctx, filter, MAX_CONFLICTS).await
}

/// Runs `read` if there is one.
pub(crate) async fn maybe<T>(
    read: Option<impl Future<Output = Result<T, ToolError>>>,
) -> Result<Option<T>, ToolError> {
    match read {
        Some(read) => read.await.map(Some),
        None => Ok(None),
    }
}
