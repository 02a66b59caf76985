//! `search_rooms`: the web app's room search (`POST /api/search-rooms`). The staff orchestrator's
//! query under the web app's field names, and it requires at least one filter.

use super::inputs::{Floor, Limit, limit_or};
use super::rooms::{self, RoomFilter, StaffRoom};
use super::{Rooms, require_a_filter};
use crate::skills::STAFF_SEARCH;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::RoomNumber;
use dewy_domain::objects::room::{RoomStatus, RoomType};
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

const DEFAULT_LIMIT: u32 = 50;

/// Input of `search_rooms`: at least one of the filters.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchRoomsInput {
    #[serde(default)]
    pub status: Option<RoomStatus>,
    #[serde(default)]
    pub floor: Option<Floor>,
    #[serde(default)]
    pub room_type: Option<RoomType>,
    #[serde(default)]
    pub room_number: Option<RoomNumber>,
    /// Defaults to 50.
    #[serde(default)]
    pub limit: Option<Limit>,
}

/// The `search_rooms` tool.
pub struct SearchRooms;

impl Tool for SearchRooms {
    type Input = SearchRoomsInput;
    type Output = Rooms<StaffRoom>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_rooms",
        personas: crate::personas::HOUSEKEEPING_AND_MAINTENANCE,
        deployment: crate::deployment::SKILL,
        description: "The web app's room search: rooms matching every filter given (at least one), in \
            room-number order, with their current guest. search_rooms_on_behalf_of_staff also lists without \
            a filter.",
        ..STAFF_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::housekeeping(
            "housekeeping1@hotel.com",
            json!({
                "status": "Maintenance",
                "floor": 1,
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: SearchRoomsInput) -> Result<Rooms<StaffRoom>, ToolError> {
        let filter = RoomFilter {
            status: input.status,
            floor: input.floor,
            room_type: input.room_type,
            room_number: input.room_number,
        };
        require_a_filter(filter.is_empty(), "status, floor, room_type or room_number")?;
        let found = rooms::find(ctx, &filter, limit_or(input.limit, DEFAULT_LIMIT)).await?;
        Ok(found.into())
    }
}
