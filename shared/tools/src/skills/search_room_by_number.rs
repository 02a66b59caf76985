//! `search_room_by_number`: a room by the number guests see.

use super::STAFF_SEARCH;
use super::views::Found;
use super::views::room::{self, RoomSummary};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::RoomNumber;
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `search_room_by_number`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchRoomInput {
    pub room_number: RoomNumber,
}

/// The `search_room_by_number` tool.
pub struct SearchRoomByNumber;

impl Tool for SearchRoomByNumber {
    type Input = SearchRoomInput;
    type Output = Found<RoomSummary>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_room_by_number",
        personas: crate::personas::HOUSEKEEPING_AND_MAINTENANCE,
        deployment: crate::deployment::SKILL,
        description: "Find a hotel room by its number. Its id is the room_id that update_room_status, \
            upsert_booking and upsert_case take.",
        ..STAFF_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager1@hotel.com",
            json!({
                "room_number": "105",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: SearchRoomInput) -> Result<Found<RoomSummary>, ToolError> {
        Ok(room::find_by_number(ctx, &input.room_number).await?.into())
    }
}
