//! [`InstanceConfig`]: what `GET /api/config` says about the Home Assistant instance.

use serde::{Deserialize, Serialize};

/// The parts of HA's configuration the hub uses; the rest of HA's object is ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceConfig {
    /// The instance's name, e.g. "Dewy Resort".
    #[serde(default)]
    pub location_name: String,
    /// HA's version, e.g. `2026.11.0`.
    #[serde(default)]
    pub version: String,
    /// `RUNNING` once HA has started (`NOT_RUNNING`, `STARTING`, `STOPPING` otherwise), when it says.
    #[serde(default)]
    pub state: Option<String>,
    /// The unit system; its `temperature` is the unit of every thermostat's temperatures.
    pub unit_system: UnitSystem,
}

/// HA's units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSystem {
    /// `°F` or `°C`.
    pub temperature: String,
}

impl InstanceConfig {
    /// The unit of thermostat temperatures, e.g. `°F`.
    pub fn temperature_unit(&self) -> &str {
        &self.unit_system.temperature
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_instance_config_decodes_from_a_subset_of_has_object() {
        let body = r#"{"location_name": "Dewy Resort", "latitude": 32.87, "elevation": 0,
            "unit_system": {"length": "mi", "mass": "lb", "temperature": "°F", "volume": "gal"},
            "time_zone": "America/Los_Angeles", "components": ["api", "light"],
            "version": "2026.11.0", "state": "RUNNING", "safe_mode": false}"#;
        let config: InstanceConfig = serde_json::from_str(body).expect("decodes");
        assert_eq!(config.location_name, "Dewy Resort");
        assert_eq!(config.temperature_unit(), "°F");
        assert_eq!(config.state.as_deref(), Some("RUNNING"));
        assert!(serde_json::from_str::<InstanceConfig>(r#"{"version": "1"}"#).is_err());
    }
}
