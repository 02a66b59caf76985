//! `search_bookings_by_room_and_dates`: the bookings that would clash with a stay in a room.

use super::STAFF_SEARCH;
use super::views::booking::{self, BookingSummary};
use super::views::room;
use chrono::{Days, NaiveDate};
use dewy_domain::ToolError;
use dewy_domain::input::{IsoDate, RoomNumber};
use dewy_domain::objects::booking::{BookingStatus, CHECK_IN_DATE, CHECK_OUT_DATE, STATUS};
use dewy_salesforce::soql::Cond;
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Enough to list every clash of a long stay, few enough to stay one page.
const MAX_CONFLICTS: u32 = 100;

/// Input of `search_bookings_by_room_and_dates`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchBookingsByRoomInput {
    pub room_number: RoomNumber,
    /// The stay's first night.
    pub check_in: IsoDate,
    /// The stay's departure day, after check_in.
    pub check_out: IsoDate,
}

/// Output of `search_bookings_by_room_and_dates`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SearchBookingsByRoomOutput {
    /// Whether any booking clashes.
    pub has_conflicts: bool,
    /// How many bookings clash.
    pub conflict_count: usize,
    /// The clashing bookings, in booking-number order.
    pub conflicts: Vec<BookingSummary>,
}

/// The `search_bookings_by_room_and_dates` tool.
pub struct SearchBookingsByRoomAndDates;

impl Tool for SearchBookingsByRoomAndDates {
    type Input = SearchBookingsByRoomInput;
    type Output = SearchBookingsByRoomOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_bookings_by_room_and_dates",
        personas: crate::personas::FRONT_DESK,
        deployment: crate::deployment::SKILL,
        description: "Check whether a room is free for a stay: lists its live bookings (not Cancelled, No \
            Show or Checked Out) touching check_in..check_out, bounds included: a booking leaving on \
            check_in day or arriving on check_out day is a conflict. create_booking_orchestrator runs this \
            check itself.",
        ..STAFF_SEARCH
    };

    fn sample(&self, today: NaiveDate) -> Sample {
        Sample::manager(
            "manager1@hotel.com",
            json!({
                "room_number": "209",
                "check_in": today + Days::new(180),
                "check_out": today + Days::new(183),
            }),
        )
    }

    async fn call(
        &self,
        ctx: &Context,
        input: SearchBookingsByRoomInput,
    ) -> Result<SearchBookingsByRoomOutput, ToolError> {
        let (check_in, check_out) = (input.check_in.date(), input.check_out.date());
        if check_out <= check_in {
            return Err(ToolError::validation(format!(
                "check_out ({check_out}) must be after check_in ({check_in})."
            ))
            .with_details(json!({ "check_in": input.check_in, "check_out": input.check_out })));
        }
        let ended = [
            BookingStatus::Cancelled,
            BookingStatus::NoShow,
            BookingStatus::CheckedOut,
        ]
        .map(|s| s.to_string());
        let filter = Cond::eq("Room__r.Room_Number__c", input.room_number.as_str())
            .and(Cond::not_in(STATUS, ended))
            .and(Cond::le(CHECK_IN_DATE, check_out))
            .and(Cond::ge(CHECK_OUT_DATE, check_in));
        // The room lookup only tells "no such room" from "no conflicts"; it runs alongside.
        let (room, conflicts) = tokio::try_join!(
            room::find_by_number(ctx, &input.room_number),
            booking::find(ctx, filter, MAX_CONFLICTS)
        )?;
        if room.is_none() {
            return Err(room::room_not_found(&input.room_number));
        }
        Ok(SearchBookingsByRoomOutput {
            has_conflicts: !conflicts.is_empty(),
            conflict_count: conflicts.len(),
            conflicts,
        })
    }
}
