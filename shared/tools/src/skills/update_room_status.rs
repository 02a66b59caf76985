//! `update_room_status`: moves a room between Vacant, Occupied, Cleaning, Maintenance and Out of
//! Service, as the domain's state machine allows, keeping its current guest consistent.

use super::references::{self, Ref};
use super::sf::Body;
use super::views::room;
use super::{STAFF_OVERWRITE, status_change};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::RecordId;
use dewy_domain::objects::room::{CURRENT_GUEST, OBJECT, RoomStatus, STATUS};
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `update_room_status`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRoomStatusInput {
    /// The room's record id (search_room_by_number returns it).
    pub room_id: RecordId,
    pub status: RoomStatus,
    /// The guest's Contact id: required with Occupied, refused otherwise.
    #[serde(default)]
    pub current_guest_id: Option<RecordId>,
}

/// Output of `update_room_status`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct UpdateRoomStatusOutput {
    /// The room's record id.
    pub room_id: String,
    /// The room's number (`Room_Number__c`), e.g. 105.
    pub room_number: String,
    /// The status now.
    pub status: RoomStatus,
    /// The status before this call.
    pub previous_status: RoomStatus,
    /// The guest in the room now (only while Occupied).
    pub current_guest_id: Option<String>,
    /// `false` when the room already had this status and guest, so nothing was written.
    pub updated: bool,
}

/// The `update_room_status` tool.
pub struct UpdateRoomStatus;

impl Tool for UpdateRoomStatus {
    type Input = UpdateRoomStatusInput;
    type Output = UpdateRoomStatusOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "update_room_status",
        personas: crate::personas::HOUSEKEEPING_AND_MAINTENANCE,
        deployment: crate::deployment::SKILL,
        description: "Set a room's status, as the room lifecycle allows (e.g. Occupied to Cleaning, Cleaning \
            to Vacant, never Occupied straight to Vacant); other moves are INVALID_STATE_TRANSITION. Any \
            status but Occupied clears the guest. The same status again is a no-op. To check a guest in or \
            out, use check_in_guest or process_guest_checkout. 409 CONCURRENT_UPDATE: another call changed \
            it meanwhile, nothing was written; retry.",
        effect: Effect::overwrites(KeyFrom::Fields(&["room_id", "status", "current_guest_id"])),
        ..STAFF_OVERWRITE
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager1@hotel.com",
            json!({
                "room_id": "a02Dn0003c6M81FIAS",
                "status": "Vacant",
            }),
        )
    }

    async fn call(
        &self,
        ctx: &Context,
        input: UpdateRoomStatusInput,
    ) -> Result<UpdateRoomStatusOutput, ToolError> {
        if input.current_guest_id.is_some() && input.status != RoomStatus::Occupied {
            return Err(ToolError::validation(format!(
                "current_guest_id goes only with status Occupied: a room that is {} has no guest in it.",
                input.status
            ))
            .with_details(json!({ "field": "current_guest_id" })));
        }
        let guest_ref = input
            .current_guest_id
            .as_ref()
            .map(|id| Ref::Contact("current_guest_id", id));
        let (current, given_guest) = tokio::try_join!(
            room::by_id(ctx, input.room_id.as_str()),
            references::ensure_given(ctx, guest_ref)
        )?;
        let current = current.ok_or_else(|| Ref::Room(&input.room_id).not_found());
        let current = ctx
            .audit()
            .check_on("room_found", input.room_id.as_str(), current)?;
        let guest = match (input.status, given_guest) {
            (RoomStatus::Occupied, Some(guest)) => Some(guest),
            // Still Occupied: the guest stays.
            (RoomStatus::Occupied, None) if current.status == RoomStatus::Occupied => {
                current.current_guest_id.clone()
            }
            (RoomStatus::Occupied, None) => {
                return Err(ToolError {
                    message:
                        "Required fields are missing: current_guest_id (an Occupied room names its guest)."
                            .to_owned(),
                    ..ToolError::missing_fields(&["current_guest_id"])
                });
            }
            _ => None,
        };
        let body = Body::default()
            .always(STATUS, input.status)
            .always(CURRENT_GUEST, &guest)
            .into_value();
        let updated = status_change::apply(
            ctx,
            OBJECT,
            &current.id,
            (current.status, input.status),
            guest != current.current_guest_id,
            &body,
        )
        .await?;
        Ok(UpdateRoomStatusOutput {
            room_id: current.id,
            room_number: current.room_number,
            status: input.status,
            previous_status: current.status,
            current_guest_id: guest,
            updated,
        })
    }
}
