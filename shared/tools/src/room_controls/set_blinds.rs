//! `set_blinds`: a room's blinds open, closed or at a position.

use super::command;
use super::devices::Device;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::BlindsId;
use dewy_homeassistant::ServiceCall;
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `set_blinds`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetBlindsInput {
    /// From list_room_devices.
    pub device_id: BlindsId,
    /// Or give position instead.
    pub action: Option<BlindsAction>,
    /// How far open: 0 closed, 100 open.
    #[schemars(range(min = 0, max = 100))]
    pub position: Option<u8>,
    /// A UUID you choose for this command; reuse it on retry.
    pub idempotency_token: String,
}

/// Open or close all the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BlindsAction {
    /// All the way open.
    Open,
    /// All the way closed.
    Close,
}

/// The `set_blinds` tool.
pub struct SetBlinds;

impl Tool for SetBlinds {
    type Input = SetBlindsInput;
    type Output = Device;

    const SPEC: ToolSpec = ToolSpec {
        name: "set_blinds",
        description: "Open or close a room's blinds, or set how far open they are; answers their new state. \
            Repeating a command changes nothing more.",
        ..super::DEVICE_COMMAND
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "guest2@hotel.com",
            json!({
                "device_id": "cover.room_101_blinds",
                "position": 50,
                "idempotency_token": "7c3e5a1b-2d4f-4b6a-8e0c-1a3b5d7f9e24",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: SetBlindsInput) -> Result<Device, ToolError> {
        let device = input.device_id.device();
        let how = ctx.audit().check("blinds_command_valid", wanted(&input))?;
        let target = command::target(ctx, &device).await?;
        let entity_id = target.id.clone();
        let call = match how {
            Ok(BlindsAction::Open) => ServiceCall::OpenCover { entity_id },
            Ok(BlindsAction::Close) => ServiceCall::CloseCover { entity_id },
            Err(position) => ServiceCall::SetCoverPosition { entity_id, position },
        };
        command::apply(ctx, &device, target, vec![call]).await
    }
}

/// The action, or else the position, the input asks for: exactly one of them.
fn wanted(input: &SetBlindsInput) -> Result<Result<BlindsAction, u8>, ToolError> {
    match (input.action, input.position) {
        (Some(action), None) => Ok(Ok(action)),
        (None, Some(position)) if position <= 100 => Ok(Err(position)),
        (None, Some(position)) => Err(ToolError::validation(format!(
            "position must be from 0 (closed) to 100 (open), not {position}."
        ))),
        _ => Err(ToolError::validation(
            "Give action (open or close) or position, one of them.",
        )),
    }
}
