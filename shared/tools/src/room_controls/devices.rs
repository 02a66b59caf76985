//! A room device as the tools show it: read from Home Assistant's entity states, typed by kind.

use super::access::room_of;
use dewy_homeassistant::{EntityId, EntityState};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One device of a room, with its state now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Device {
    /// The device's id, e.g. `light.room_101_main`: pass it as `device_id` to the commands.
    pub device_id: String,
    /// Its name in Home Assistant, e.g. "Room 101 Main Light".
    pub name: String,
    /// The room it is in.
    pub room_number: String,
    /// What it is and how it is now.
    #[serde(flatten)]
    pub state: DeviceState,
}

/// A device's kind and state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeviceState {
    /// A light: `control_light`.
    Light(LightState),
    /// The thermostat: `set_thermostat`.
    Thermostat(ThermostatState),
    /// The blinds: `set_blinds`.
    Blinds(BlindsState),
}

/// A light now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LightState {
    /// Whether it is on.
    pub on: bool,
    /// Brightness in percent (1–100) while on and dimmable.
    pub brightness_pct: Option<u8>,
    /// Colour while on, as hue (0–360) and saturation (0–100), for a colour light.
    pub hue: Option<f64>,
    /// See `hue`.
    pub saturation: Option<f64>,
    /// The effect playing, for a light with effects.
    pub effect: Option<String>,
    /// What it can do beyond on and off: `brightness`, `color`, `effects`.
    pub features: Vec<String>,
    /// The effects it can play (empty without effects).
    pub effects: Vec<String>,
}

/// The thermostat now, in °F.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ThermostatState {
    /// heat, cool or off.
    pub mode: String,
    /// The temperature it aims for.
    pub target_f: Option<f64>,
    /// The room's temperature.
    pub current_f: Option<f64>,
    /// The lowest target it takes.
    pub min_f: f64,
    /// The highest target it takes.
    pub max_f: f64,
}

/// The blinds now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BlindsState {
    /// open, closed, opening or closing.
    pub state: String,
    /// 0 (closed) to 100 (open).
    pub position: Option<u8>,
}

/// The companion through which a light plays effects, when the light has one: the Govee
/// integration exposes effects as `select.<light name>_music`, not on the light.
pub fn effects_companion(light: &EntityId) -> Option<EntityId> {
    EntityId::parse(&format!("select.{}_music", light.object_id())).ok()
}

impl Device {
    /// The device `state` is, with `companion` (its effects select, if it has one); `None` for an
    /// entity that is not a room's light, thermostat or blinds.
    pub fn read(state: &EntityState, companion: Option<&EntityState>) -> Option<Device> {
        let id = &state.entity_id;
        let room = room_of(id.object_id())?;
        let kind = match id.domain() {
            "light" => DeviceState::Light(light_state(state, companion)?),
            "climate" => DeviceState::Thermostat(thermostat_state(state)?),
            "cover" => DeviceState::Blinds(blinds_state(state)?),
            _ => return None,
        };
        Some(Device {
            device_id: id.to_string(),
            name: state.friendly_name().unwrap_or(id.as_str()).to_owned(),
            room_number: room.to_ascii_uppercase(),
            state: kind,
        })
    }

    /// The devices among `states` (every state HA has), each light with its effects companion,
    /// ordered by room and id.
    pub fn all(states: &[EntityState]) -> Vec<Device> {
        let by_id = |id: &EntityId| states.iter().find(|s| &s.entity_id == id);
        let mut devices: Vec<Device> = states
            .iter()
            .filter_map(|state| {
                let companion = effects_companion(&state.entity_id).and_then(|c| by_id(&c));
                Device::read(state, companion)
            })
            .collect();
        devices.sort_by(|a, b| (&a.room_number, &a.device_id).cmp(&(&b.room_number, &b.device_id)));
        devices
    }
}

fn light_state(state: &EntityState, companion: Option<&EntityState>) -> Option<LightState> {
    let light = state.light()?;
    let select = companion.and_then(EntityState::select);
    let effects = match &select {
        Some(select) => select.options.clone(),
        None => light.effect_list.clone(),
    };
    let mut features = Vec::new();
    if light.supports_brightness() {
        features.push("brightness".to_owned());
    }
    if light.supports_color() {
        features.push("color".to_owned());
    }
    if !effects.is_empty() {
        features.push("effects".to_owned());
    }
    let (hue, saturation) = match light.hs_color.filter(|_| light.on) {
        Some((h, s)) => (Some(h), Some(s)),
        None => (None, None),
    };
    Some(LightState {
        on: light.on,
        brightness_pct: light.brightness.filter(|_| light.on).map(to_percent),
        hue,
        saturation,
        effect: match select {
            Some(select) => Some(select.option),
            None => light.effect.clone(),
        },
        features,
        effects,
    })
}

fn thermostat_state(state: &EntityState) -> Option<ThermostatState> {
    let climate = state.climate()?;
    Some(ThermostatState {
        mode: climate.mode.to_string(),
        target_f: climate.target_temperature,
        current_f: climate.current_temperature,
        min_f: climate.min_temp,
        max_f: climate.max_temp,
    })
}

fn blinds_state(state: &EntityState) -> Option<BlindsState> {
    let cover = state.cover()?;
    Some(BlindsState {
        state: state.state.clone(),
        position: cover.position,
    })
}

/// HA's brightness (0–255) in percent, as the guest's slider shows it.
pub fn to_percent(brightness: u8) -> u8 {
    ((f64::from(brightness) * 100.0 / 255.0).round() as u8).max(1)
}

/// A percentage (1–100) as HA's brightness (0–255).
pub fn from_percent(percent: u8) -> u8 {
    (f64::from(percent.min(100)) * 255.0 / 100.0).round() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_trip_through_ha_brightness() {
        for percent in 1..=100u8 {
            assert_eq!(to_percent(from_percent(percent)), percent, "{percent}");
        }
        assert_eq!(from_percent(100), 255);
        assert_eq!(to_percent(1), 1, "a light that is on shows at least 1 %");
    }
}
