//! Which rooms' devices a caller may control, and the room a device belongs to.

use dewy_domain::input::DeviceId;
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_tool::Context;
use serde_json::json;

/// The rooms a caller may control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Access {
    /// Staff: every room.
    AnyRoom,
    /// A guest checked into this room (its number).
    Room(String),
    /// A guest who is not checked in anywhere.
    NoRoom,
}

impl Access {
    /// Whether the caller may control `device`.
    pub(super) fn allows(&self, device: &DeviceId) -> bool {
        match self {
            Access::AnyRoom => room_of(device.name()).is_some(),
            Access::Room(room) => room_of(device.name()) == Some(room.as_str()),
            Access::NoRoom => false,
        }
    }
}

/// The rooms the caller may control: staff any; a guest the room of their Checked In booking (one
/// Salesforce query, none for staff).
pub(super) async fn of_caller(ctx: &Context) -> Result<Access, ToolError> {
    if !ctx.caller().is_guest_only() {
        return Ok(Access::AnyRoom);
    }
    let Some(email) = ctx.caller().email.as_ref() else {
        return Ok(Access::NoRoom);
    };
    let soql = Soql::select(&["Room__r.Room_Number__c"])
        .from(booking::OBJECT)
        .filter(
            Cond::eq("Primary_Guest__r.Unique_Email__c", email.as_str())
                .and(Cond::eq(booking::STATUS, BookingStatus::CheckedIn.to_string())),
        );
    let room = match crate::skills::sf::first(ctx, soql).await? {
        Some(stay) => stay
            .related(booking::ROOM_REL)?
            .map(|room| room.text("Room_Number__c").map(|n| n.map(str::to_owned)))
            .transpose()?
            .flatten(),
        None => None,
    };
    Ok(room.map_or(Access::NoRoom, Access::Room))
}

/// The room a device belongs to, from its entity name (`room_101_main`, or `room_101` for the
/// thermostat); `None` for a name outside the convention.
pub(super) fn room_of(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("room_")?;
    let number = rest.split('_').next()?;
    (!number.is_empty() && number.len() <= 5 && number.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(number)
}

/// The answer for a device the caller may not control or that does not exist: the same, so that
/// it tells a guest nothing about other rooms.
pub(super) fn device_not_found(device: &DeviceId) -> ToolError {
    ToolError::new(
        ErrorCode::DeviceNotFound,
        format!(
            "No device {device} that you may control. Guests control the devices of the room they \
             are checked into; list_room_devices names them."
        ),
    )
    .with_details(json!({ "device_id": device.as_str() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_room_comes_from_the_entity_name() {
        assert_eq!(room_of("room_101_main"), Some("101"));
        assert_eq!(room_of("room_101"), Some("101"));
        assert_eq!(room_of("room_209_blinds"), Some("209"));
        assert_eq!(room_of("lobby_main"), None);
        assert_eq!(room_of("room__main"), None);
    }

    #[test]
    fn a_guest_controls_only_their_room() {
        let main = DeviceId::parse("light.room_101_main").unwrap();
        let other = DeviceId::parse("light.room_102_main").unwrap();
        let lobby = DeviceId::parse("light.lobby").unwrap();
        let guest = Access::Room("101".into());
        assert!(guest.allows(&main));
        assert!(!guest.allows(&other));
        assert!(!Access::NoRoom.allows(&main));
        assert!(Access::AnyRoom.allows(&other));
        assert!(!Access::AnyRoom.allows(&lobby), "not a room's device");
    }
}
