//! [`Climate`]: a thermostat's mode and temperatures, and [`HvacMode`].

use super::number;
use crate::{EntityState, ParseError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a thermostat is doing: the state of a `climate.*` entity, and `hvac_mode` in
/// `climate.set_hvac_mode`. Spelled as HA spells it (`heat_cool`, `fan_only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HvacMode {
    /// Heating to the target temperature.
    Heat,
    /// Cooling to the target temperature.
    Cool,
    /// Off.
    Off,
    /// Heating or cooling to stay within a range.
    HeatCool,
    /// The device decides (a schedule, or its own logic).
    Auto,
    /// Dehumidifying.
    Dry,
    /// The fan only.
    FanOnly,
}

impl HvacMode {
    /// Every mode, in HA's order.
    pub const ALL: [HvacMode; 7] = [
        HvacMode::Off,
        HvacMode::Heat,
        HvacMode::Cool,
        HvacMode::HeatCool,
        HvacMode::Auto,
        HvacMode::Dry,
        HvacMode::FanOnly,
    ];

    /// HA's spelling, e.g. `heat_cool`.
    pub fn as_str(self) -> &'static str {
        match self {
            HvacMode::Heat => "heat",
            HvacMode::Cool => "cool",
            HvacMode::Off => "off",
            HvacMode::HeatCool => "heat_cool",
            HvacMode::Auto => "auto",
            HvacMode::Dry => "dry",
            HvacMode::FanOnly => "fan_only",
        }
    }
}

impl std::fmt::Display for HvacMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for HvacMode {
    type Err = ParseError;
    fn from_str(value: &str) -> Result<HvacMode, ParseError> {
        HvacMode::ALL
            .into_iter()
            .find(|mode| mode.as_str() == value)
            .ok_or(ParseError {
                what: "HVAC mode",
                reason: "one of off, heat, cool, heat_cool, auto, dry, fan_only",
            })
    }
}

/// A `climate.*` entity (a room's thermostat). Temperatures are in the instance's unit (°F at the
/// hotel, see [`InstanceConfig`](crate::InstanceConfig)).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Climate {
    /// The current mode (the entity's state).
    pub mode: HvacMode,
    /// The modes it accepts (`hvac_modes`); modes this crate does not know are left out.
    pub hvac_modes: Vec<HvacMode>,
    /// What the room measures, if the thermostat reports it.
    pub current_temperature: Option<f64>,
    /// The target (`temperature`), if it has a single one.
    pub target_temperature: Option<f64>,
    /// The lowest target it accepts; HA clamps `climate.set_temperature` to
    /// [`min_temp`, `max_temp`].
    pub min_temp: f64,
    /// The highest target it accepts.
    pub max_temp: f64,
}

impl EntityState {
    /// The entity as a [`Climate`]; `None` unless it is an available `climate.*` whose state is a
    /// known mode and which reports `min_temp` and `max_temp` (HA always writes both).
    pub fn climate(&self) -> Option<Climate> {
        if !self.viewable_as("climate") {
            return None;
        }
        let modes = self.attribute("hvac_modes").and_then(Value::as_array);
        Some(Climate {
            mode: self.state.parse().ok()?,
            hvac_modes: modes
                .into_iter()
                .flatten()
                .filter_map(|mode| mode.as_str()?.parse().ok())
                .collect(),
            current_temperature: self.attribute("current_temperature").and_then(number),
            target_temperature: self.attribute("temperature").and_then(number),
            min_temp: self.attribute("min_temp").and_then(number)?,
            max_temp: self.attribute("max_temp").and_then(number)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::fixtures::state;
    use serde_json::json;

    #[test]
    fn a_thermostat_heating_to_seventy() {
        let thermostat = state(
            "climate.room_101",
            "heat",
            json!({"hvac_modes": ["heat", "cool", "off"], "current_temperature": 70,
                   "temperature": 70, "min_temp": 60, "max_temp": 85, "target_temp_step": 1,
                   "supported_features": 385, "friendly_name": "Room 101 Thermostat"}),
        );
        let climate = thermostat.climate().expect("a thermostat");
        assert_eq!(climate.mode, HvacMode::Heat);
        assert_eq!(
            climate.hvac_modes,
            [HvacMode::Heat, HvacMode::Cool, HvacMode::Off]
        );
        assert_eq!(climate.current_temperature, Some(70.0));
        assert_eq!(climate.target_temperature, Some(70.0));
        assert_eq!((climate.min_temp, climate.max_temp), (60.0, 85.0));
    }

    #[test]
    fn odd_thermostats_have_no_view_or_skip_what_is_unknown() {
        let attributes = json!({"hvac_modes": ["off", "eco_boost"], "min_temp": 60, "max_temp": 85.5});
        let off = state("climate.room_110", "off", attributes.clone());
        let climate = off.climate().expect("a thermostat");
        assert_eq!(
            (climate.mode, climate.hvac_modes),
            (HvacMode::Off, vec![HvacMode::Off])
        );
        assert_eq!((climate.target_temperature, climate.max_temp), (None, 85.5));
        assert!(
            state("climate.room_110", "eco_boost", attributes.clone())
                .climate()
                .is_none()
        );
        assert!(
            state("climate.room_110", "unavailable", attributes)
                .climate()
                .is_none()
        );
        assert!(state("climate.room_110", "heat", json!({})).climate().is_none());
        assert!(
            state("cover.room_110_blinds", "heat", json!({}))
                .climate()
                .is_none()
        );
    }

    #[test]
    fn modes_are_spelled_as_home_assistant_spells_them() {
        for mode in HvacMode::ALL {
            let json = serde_json::to_value(mode).expect("encodes");
            assert_eq!(json, mode.to_string());
            assert_eq!(mode.as_str().parse::<HvacMode>(), Ok(mode));
        }
        assert_eq!(HvacMode::HeatCool.to_string(), "heat_cool");
        assert_eq!(HvacMode::FanOnly.as_str(), "fan_only");
        assert!("Heat".parse::<HvacMode>().is_err());
    }
}
