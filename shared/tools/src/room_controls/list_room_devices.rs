//! `list_room_devices`: a room's lights, thermostat and blinds with their state now.

use super::access::{self, Access};
use super::devices::Device;
use chrono::NaiveDate;
use dewy_domain::input::RoomNumber;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::{Context, Effect, Sample, Tool, ToolSpec, backend_error};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `list_room_devices`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRoomDevicesInput {
    /// Guests leave it out: their checked-in room. Staff name a room, or leave it out for all rooms.
    pub room_number: Option<RoomNumber>,
}

/// Output of `list_room_devices`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RoomDevices {
    /// The room listed; none for the whole hotel.
    pub room_number: Option<String>,
    /// Its devices, by room and id.
    pub devices: Vec<Device>,
}

/// The `list_room_devices` tool.
pub struct ListRoomDevices;

impl Tool for ListRoomDevices {
    type Input = ListRoomDevicesInput;
    type Output = RoomDevices;

    const SPEC: ToolSpec = ToolSpec {
        name: "list_room_devices",
        personas: crate::personas::GUEST_AND_MAINTENANCE,
        deployment: crate::deployment::ORCHESTRATOR.with_home_assistant(),
        description: "List a room's lights, thermostat and blinds with their state now (temperatures in °F) \
            and the device_id control_light, set_thermostat and set_blinds take.",
        effect: Effect::ReadOnly,
        open_world: true,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest("guest2@hotel.com", json!({}))
    }

    async fn call(&self, ctx: &Context, input: ListRoomDevicesInput) -> Result<RoomDevices, ToolError> {
        let ha = ctx.home_assistant()?;
        let (access, states) = tokio::join!(access::of_caller(ctx), ha.states());
        let room = match (access?, input.room_number) {
            (Access::NoRoom, _) => return Err(not_checked_in()),
            (Access::Room(own), Some(asked)) if asked.as_str() != own => {
                return Err(no_room_to_list(&asked));
            }
            (Access::Room(own), _) => Some(own),
            (Access::AnyRoom, asked) => asked.map(|n| n.as_str().to_owned()),
        };
        let states = states.map_err(backend_error::home_assistant)?;
        let devices = Device::all(&states)
            .into_iter()
            .filter(|d| room.as_deref().is_none_or(|room| d.room_number == room))
            .collect();
        Ok(RoomDevices {
            room_number: room,
            devices,
        })
    }
}

fn not_checked_in() -> ToolError {
    ToolError::new(
        ErrorCode::NotCheckedIn,
        "You are not checked into a room now: room controls work during your stay.",
    )
}

/// A guest naming a room that is not theirs: the same answer whether it exists or not.
fn no_room_to_list(asked: &RoomNumber) -> ToolError {
    ToolError::new(
        ErrorCode::DeviceNotFound,
        format!(
            "No devices that you may control in room {asked}. Leave room_number out to list the \
             devices of the room you are checked into."
        ),
    )
    .with_details(json!({ "room_number": asked.as_str() }))
}
