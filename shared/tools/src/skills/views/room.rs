//! A Hotel_Room__c as the skills show it: `room_number` is always `Room_Number__c`, the number
//! guests see, never the room's descriptive `Name`.

use crate::record::Record;
use crate::skills::sf;
use dewy_domain::input::RoomNumber;
use dewy_domain::objects::room::{self, RoomStatus, RoomType};
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_tool::Context;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

pub(crate) const FIELDS: &[&str] = &[
    "Id",
    room::ROOM_NUMBER,
    room::NAME,
    room::STATUS,
    room::ROOM_TYPE,
    room::FLOOR,
    room::NIGHTLY_RATE,
    room::CURRENT_GUEST,
];

/// A hotel room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RoomSummary {
    /// The room's record id: pass it as `room_id` to other tools.
    pub id: String,
    /// The room's number (`Room_Number__c`), e.g. 105.
    pub room_number: String,
    /// The room's descriptive label, e.g. "Garden Standard".
    pub name: Option<String>,
    /// Vacant, Occupied, Cleaning, Maintenance or Out of Service.
    pub status: RoomStatus,
    /// Standard, Deluxe, Suite or Penthouse.
    pub room_type: Option<RoomType>,
    /// The floor.
    pub floor: Option<i64>,
    /// The nightly rate in dollars.
    pub nightly_rate: Option<f64>,
    /// The Contact staying in the room, while it is Occupied.
    pub current_guest_id: Option<String>,
}

impl RoomSummary {
    pub(crate) fn from_record(record: &Record) -> Result<Self, ToolError> {
        Ok(RoomSummary {
            id: record.id()?.to_owned(),
            room_number: record.required_text(room::ROOM_NUMBER)?.to_owned(),
            name: record.text(room::NAME)?.map(str::to_owned),
            status: record.picklist(room::STATUS)?,
            room_type: record.optional_picklist(room::ROOM_TYPE)?,
            floor: record.integer(room::FLOOR)?,
            nightly_rate: record.number(room::NIGHTLY_RATE)?,
            current_guest_id: record.text(room::CURRENT_GUEST)?.map(str::to_owned),
        })
    }
}

/// The room numbered `number`.
pub(crate) async fn find_by_number(
    ctx: &Context,
    number: &RoomNumber,
) -> Result<Option<RoomSummary>, ToolError> {
    find(ctx, Cond::eq(room::ROOM_NUMBER, number.as_str())).await
}

/// The room with record id `id`.
pub(crate) async fn by_id(ctx: &Context, id: &str) -> Result<Option<RoomSummary>, ToolError> {
    find(ctx, Cond::eq("Id", id)).await
}

async fn find(ctx: &Context, filter: Cond) -> Result<Option<RoomSummary>, ToolError> {
    let soql = Soql::select(FIELDS).from(room::OBJECT).filter(filter);
    sf::first_as(ctx, soql, RoomSummary::from_record).await
}

/// `400 ROOM_NOT_FOUND` for a room number no room has.
pub(crate) fn room_not_found(number: &RoomNumber) -> ToolError {
    ToolError::new(
        ErrorCode::RoomNotFound,
        format!("Room {number} does not exist. Check the room number (rooms are numbered like 105 or 208)."),
    )
    .with_details(json!({ "room_number": number }))
}
