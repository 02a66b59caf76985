//! The hotel's devices as a fresh sandbox has them: 22 rooms, four devices each, and a music-mode
//! select beside each Govee light. Which room a device belongs to is in its name only:
//! `room_<N>_…` (the thermostat is `climate.room_<N>`).

use serde_json::{Map, Value, json};

/// The rooms: 100-110 on floor 1, 200-210 on floor 2.
pub(crate) fn rooms() -> impl Iterator<Item = u16> {
    (100..=110).chain(200..=210)
}

/// Rooms 100-104 and 200-204 have a checked-in guest: lights on, heating on, blinds open.
fn occupied(room: u16) -> bool {
    room % 100 <= 4
}

/// Rooms 105-110 and 205-210 have a Govee main light, its effects behind a music-mode select.
fn has_govee_light(room: u16) -> bool {
    !occupied(room)
}

/// The Govee lights' music modes: the select's options, in the integration's order.
pub(crate) const MUSIC_MODES: [&str; 11] = [
    "Energic",
    "Rhythm",
    "Spectrum",
    "Rolling",
    "Separation",
    "Hopping",
    "Piano Keys",
    "Fountain",
    "Day & Night",
    "Sprouting",
    "Shiny",
];

/// Every seeded entity as `(entity_id, state, attributes)`, room by room.
pub(crate) fn devices() -> Vec<(String, String, Map<String, Value>)> {
    rooms().flat_map(room_devices).collect()
}

fn room_devices(room: u16) -> Vec<(String, String, Map<String, Value>)> {
    let guest = occupied(room);
    let mut devices = vec![main_light(room, guest), bedside_lamp(room)];
    if has_govee_light(room) {
        devices.push(music_mode(room));
    }
    devices.push(thermostat(room, guest));
    devices.push(blinds(room, guest));
    devices
}

fn main_light(room: u16, on: bool) -> (String, String, Map<String, Value>) {
    let lit = |value: Value| if on { value } else { Value::Null };
    let attributes = json!({
        "friendly_name": format!("Room {room} Main Light"),
        "supported_color_modes": ["hs"],
        "supported_features": 0,
        "color_mode": lit(json!("hs")),
        "brightness": lit(json!(180)),
        "hs_color": lit(json!([30.0, 60.0])),
    });
    entity(format!("light.room_{room}_main"), on_off(on), attributes)
}

fn bedside_lamp(room: u16) -> (String, String, Map<String, Value>) {
    let attributes = json!({
        "friendly_name": format!("Room {room} Bedside Lamp"),
        "supported_color_modes": ["brightness"],
        "supported_features": 0,
        "color_mode": null,
        "brightness": null,
    });
    entity(format!("light.room_{room}_bedside"), on_off(false), attributes)
}

fn music_mode(room: u16) -> (String, String, Map<String, Value>) {
    let attributes = json!({
        "friendly_name": format!("Room {room} Main Light Music Mode"),
        "options": MUSIC_MODES,
    });
    entity(
        format!("select.room_{room}_main_music"),
        MUSIC_MODES[0].to_owned(),
        attributes,
    )
}

fn thermostat(room: u16, heating: bool) -> (String, String, Map<String, Value>) {
    let (mode, temperature) = if heating { ("heat", 70) } else { ("off", 68) };
    let attributes = json!({
        "friendly_name": format!("Room {room} Thermostat"),
        "hvac_modes": ["heat", "cool", "off"],
        "current_temperature": temperature,
        "temperature": temperature,
        "min_temp": 60,
        "max_temp": 85,
        "target_temp_step": 1,
        // Target temperature | turn off | turn on.
        "supported_features": 385,
    });
    entity(format!("climate.room_{room}"), mode.to_owned(), attributes)
}

fn blinds(room: u16, open: bool) -> (String, String, Map<String, Value>) {
    let (state, position) = if open { ("open", 100) } else { ("closed", 0) };
    let attributes = json!({
        "friendly_name": format!("Room {room} Blinds"),
        "current_position": position,
        // Open | close | set position | stop.
        "supported_features": 15,
    });
    entity(format!("cover.room_{room}_blinds"), state.to_owned(), attributes)
}

fn on_off(on: bool) -> String {
    if on { "on" } else { "off" }.to_owned()
}

fn entity(entity_id: String, state: String, attributes: Value) -> (String, String, Map<String, Value>) {
    // Every seed builds its attributes as a JSON object: the default is never taken.
    (
        entity_id,
        state,
        attributes.as_object().cloned().unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::is_valid_entity_id;

    #[test]
    fn there_are_a_hundred_distinct_valid_entities() {
        let devices = devices();
        assert_eq!(devices.len(), 100);
        let ids: std::collections::HashSet<_> = devices.iter().map(|(id, ..)| id.as_str()).collect();
        assert_eq!(ids.len(), 100);
        assert!(ids.iter().all(|id| is_valid_entity_id(id)));
        assert_eq!(ids.iter().filter(|id| id.starts_with("select.")).count(), 12);
        assert_eq!(rooms().count(), 22);
    }

    #[test]
    fn occupied_rooms_are_lit_heated_and_open() {
        for room in [100, 104, 200, 204] {
            assert!(occupied(room) && !has_govee_light(room), "{room}");
        }
        for room in [105, 110, 205, 210] {
            assert!(!occupied(room) && has_govee_light(room), "{room}");
        }
    }
}
