//! `search_rooms_on_behalf_of_guest`: the rooms a guest has booked, each with the booking that
//! put it on their list.
//!
//! One query over the guest's bookings (any status but No Show), reading the room through
//! `Room__r` and matching the guest through `Primary_Guest__r`'s email, so no contact lookup
//! comes first. A guest without a contact or bookings simply has no rooms (`found: false`).
//! The original's `filter` input was ignored, so it is not in the schema: an input a schema lists
//! must do something.

use super::inputs::{Limit, limit_or};
use super::{GUEST_SEARCH, Rooms};
use crate::skills::views::booking::{self, BookingSummary};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::{Email, IsoDate};
use dewy_domain::objects::booking::{BookingStatus, ROOM, STATUS};
use dewy_domain::objects::room::{RoomStatus, RoomType};
use dewy_salesforce::soql::{Cond, Value};
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

const DEFAULT_LIMIT: u32 = 10;

/// Input of `search_rooms_on_behalf_of_guest`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestRoomsInput {
    /// The guest's email.
    pub guest_email: Email,
    /// Defaults to 10.
    #[serde(default)]
    pub limit: Option<Limit>,
}

/// A room from one of the guest's bookings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GuestRoom {
    /// The room's record id.
    pub room_id: Option<String>,
    /// The room's number (`Room_Number__c`), e.g. 105.
    pub room_number: Option<String>,
    /// Standard, Deluxe, Suite or Penthouse.
    pub room_type: Option<RoomType>,
    /// The room's floor.
    pub floor: Option<i64>,
    /// The room's status now.
    pub room_status: Option<RoomStatus>,
    /// The booking's record id.
    pub booking_id: String,
    /// The booking number, e.g. BK-0042.
    pub booking_number: String,
    /// The booking's status: Reserved, Checked In, Checked Out or Cancelled.
    pub booking_status: BookingStatus,
    /// Arrival date.
    pub check_in_date: Option<IsoDate>,
    /// Departure date.
    pub check_out_date: Option<IsoDate>,
}

impl From<BookingSummary> for GuestRoom {
    fn from(b: BookingSummary) -> Self {
        GuestRoom {
            room_id: b.room_id,
            room_number: b.room_number,
            room_type: b.room_type,
            floor: b.floor,
            room_status: b.room_status,
            booking_id: b.booking_id,
            booking_number: b.booking_number,
            booking_status: b.status,
            check_in_date: b.check_in_date,
            check_out_date: b.check_out_date,
        }
    }
}

/// The `search_rooms_on_behalf_of_guest` tool.
pub struct SearchRoomsOnBehalfOfGuest;

impl Tool for SearchRoomsOnBehalfOfGuest {
    type Input = GuestRoomsInput;
    type Output = Rooms<GuestRoom>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_rooms_on_behalf_of_guest",
        personas: crate::personas::GUEST_AND_FRONT_DESK,
        deployment: crate::deployment::ORCHESTRATOR,
        description: "List the rooms a guest has booked (past, current and upcoming stays; not no-shows), \
            each with its booking.",
        ..GUEST_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "maria.garcia@example.com",
            json!({
                "guest_email": "maria.garcia@example.com",
                "limit": 10,
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: GuestRoomsInput) -> Result<Rooms<GuestRoom>, ToolError> {
        let filter = Cond::eq("Primary_Guest__r.Unique_Email__c", input.guest_email.as_str())
            .and(Cond::ne(STATUS, BookingStatus::NoShow.to_string()))
            .and(Cond::ne(ROOM, Value::Null));
        let bookings = booking::find(ctx, filter, limit_or(input.limit, DEFAULT_LIMIT)).await?;
        Ok(bookings
            .into_iter()
            .map(GuestRoom::from)
            .collect::<Vec<_>>()
            .into())
    }
}
