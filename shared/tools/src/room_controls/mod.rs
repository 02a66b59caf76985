//! Room controls: a room's lights, thermostat and blinds, through Home Assistant (HA).
//!
//! # Which devices are a room's
//! HA's entity ids say it: every device of room 101 is named `room_101_…` (`light.room_101_main`,
//! `light.room_101_bedside`, `cover.room_101_blinds`) and its thermostat is `climate.room_101`.
//! The naming convention is the one source of the room ↔ device mapping: HA holds the devices and
//! their names, the hub keeps no copy of the mapping, and one `GET /api/states` gives every device
//! of the hotel with its room and its state. (HA areas would say the same, but reading them takes
//! a template render per question, and a room's devices would then need two HA requests.)
//!
//! # Who controls what
//! A guest controls the devices of the room they are checked into now: their Checked In booking in
//! Salesforce, the system of record, read on every call in parallel with the device. Any other
//! device (another room's, or any device while they are not checked in) gets the same answer as a
//! device that does not exist, `404 DEVICE_NOT_FOUND`. Staff control any room.
//!
//! # Round trips
//! A command reads the caller's stay and the device in parallel, then makes the HA call whose
//! answer carries the new state: two sequential round trips. A guest's device list reads the stay
//! and every state in parallel: one.

mod access;
mod command;
pub mod control_light;
pub mod devices;
pub mod home_assistant_health;
pub mod list_room_devices;
pub mod set_blinds;
pub mod set_thermostat;

pub use control_light::ControlLight;
pub use home_assistant_health::HomeAssistantHealth;
pub use list_room_devices::ListRoomDevices;
pub use set_blinds::SetBlinds;
pub use set_thermostat::SetThermostat;

/// The spec the device commands share; each sets its name and description over it. A command sets
/// an absolute state (on at 40 %, 70 °F, blinds at half), so a repeat changes nothing more: keyed
/// by the client's token, idempotent, not destructive; it reaches a system outside the hub's
/// records. Guests and staff may call it; who controls which room is checked by `command`.
const DEVICE_COMMAND: dewy_tool::ToolSpec = dewy_tool::ToolSpec {
    name: "",
    description: "",
    personas: crate::personas::GUEST_AND_MAINTENANCE,
    deployment: crate::deployment::ORCHESTRATOR.with_home_assistant(),
    effect: dewy_tool::Effect::adds(dewy_tool::KeyFrom::Token("idempotency_token")),
    open_world: true,
    alias_of: None,
    guest_scope: None,
};
