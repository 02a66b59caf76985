//! `search_rooms_on_behalf_of_staff`: rooms by status, floor and type, with who is staying in
//! each. No filter lists every room (up to the limit), as the original did.

use super::Rooms;
use super::inputs::{Floor, Limit, limit_or};
use super::rooms::{self, RoomFilter, StaffRoom};
use crate::skills::STAFF_SEARCH;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::objects::room::{RoomStatus, RoomType};
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

const DEFAULT_LIMIT: u32 = 20;

/// Input of `search_rooms_on_behalf_of_staff`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffRoomsInput {
    #[serde(default)]
    pub status_filter: Option<RoomStatus>,
    #[serde(default)]
    pub floor_filter: Option<Floor>,
    #[serde(default)]
    pub room_type_filter: Option<RoomType>,
    /// Defaults to 20.
    #[serde(default)]
    pub limit: Option<Limit>,
}

/// The `search_rooms_on_behalf_of_staff` tool.
pub struct SearchRoomsOnBehalfOfStaff;

impl Tool for SearchRoomsOnBehalfOfStaff {
    type Input = StaffRoomsInput;
    type Output = Rooms<StaffRoom>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_rooms_on_behalf_of_staff",
        personas: crate::personas::ROOMS_AND_CASES_STAFF,
        deployment: crate::deployment::ORCHESTRATOR,
        description: "List hotel rooms in room-number order, matching every filter given, with their current \
            guest.",
        ..STAFF_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::staff(
            "manager1@hotel.com",
            json!({
                "status_filter": "Occupied",
                "floor_filter": 1,
                "limit": 20,
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: StaffRoomsInput) -> Result<Rooms<StaffRoom>, ToolError> {
        let filter = RoomFilter {
            status: input.status_filter,
            floor: input.floor_filter,
            room_type: input.room_type_filter,
            room_number: None,
        };
        let found = rooms::find(ctx, &filter, limit_or(input.limit, DEFAULT_LIMIT)).await?;
        Ok(found.into())
    }
}
