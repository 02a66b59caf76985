//! [`ServiceCall`]: the service calls the hotel makes, each setting an absolute state.

use crate::{EntityId, EntityState, HvacMode};
use serde_json::{Map, Value, json};

/// A service call on one entity: `POST /api/services/<domain>/<service>` with [`ServiceCall::data`].
///
/// Every call sets an absolute state (on at this brightness, this temperature, this position), so
/// repeating it leaves the device as one call would: that is what lets the connector retry a call
/// whose answer was lost. There is deliberately no toggle, whose repeat would undo it.
#[derive(Debug, Clone, PartialEq)]
pub enum ServiceCall {
    /// `light.turn_on`. Unset brightness keeps the last one; a brightness of 0 turns the light off
    /// (HA's rule). A colour on a light without colour modes is refused (400).
    LightOn {
        /// The light.
        entity_id: EntityId,
        /// 0-255.
        brightness: Option<u8>,
        /// `(hue 0-360, saturation 0-100)`.
        hs_color: Option<(f64, f64)>,
        /// One of the light's own `effect_list` (a light without one refuses it, 400).
        effect: Option<String>,
    },
    /// `light.turn_off`.
    LightOff {
        /// The light.
        entity_id: EntityId,
    },
    /// `climate.set_temperature`: the target, which HA clamps to the thermostat's range.
    SetTemperature {
        /// The thermostat.
        entity_id: EntityId,
        /// In the instance's unit.
        temperature: f64,
        /// The mode to switch to in the same call, if any (HA's `hvac_mode` of this service), so
        /// that "cool to 70" is one request.
        hvac_mode: Option<HvacMode>,
    },
    /// `climate.set_hvac_mode`; a mode the thermostat lacks is refused (400).
    SetHvacMode {
        /// The thermostat.
        entity_id: EntityId,
        /// The mode.
        hvac_mode: HvacMode,
    },
    /// `cover.open_cover`: fully open.
    OpenCover {
        /// The cover.
        entity_id: EntityId,
    },
    /// `cover.close_cover`: fully closed.
    CloseCover {
        /// The cover.
        entity_id: EntityId,
    },
    /// `cover.set_cover_position`: 0 (closed) to 100 (open); more is refused (400).
    SetCoverPosition {
        /// The cover.
        entity_id: EntityId,
        /// 0-100.
        position: u8,
    },
    /// `select.select_option`; an option not in the entity's `options` is refused (400).
    SelectOption {
        /// The select.
        entity_id: EntityId,
        /// One of its options.
        option: String,
    },
}

impl ServiceCall {
    /// The entity it acts on.
    pub fn entity_id(&self) -> &EntityId {
        match self {
            ServiceCall::LightOn { entity_id, .. }
            | ServiceCall::LightOff { entity_id }
            | ServiceCall::SetTemperature { entity_id, .. }
            | ServiceCall::SetHvacMode { entity_id, .. }
            | ServiceCall::OpenCover { entity_id }
            | ServiceCall::CloseCover { entity_id }
            | ServiceCall::SetCoverPosition { entity_id, .. }
            | ServiceCall::SelectOption { entity_id, .. } => entity_id,
        }
    }

    /// The service's domain, e.g. `light`; the entity must be of this domain.
    pub fn domain(&self) -> &'static str {
        match self {
            ServiceCall::LightOn { .. } | ServiceCall::LightOff { .. } => "light",
            ServiceCall::SetTemperature { .. } | ServiceCall::SetHvacMode { .. } => "climate",
            ServiceCall::OpenCover { .. }
            | ServiceCall::CloseCover { .. }
            | ServiceCall::SetCoverPosition { .. } => "cover",
            ServiceCall::SelectOption { .. } => "select",
        }
    }

    /// The service's name within its domain, e.g. `turn_on`.
    pub fn service(&self) -> &'static str {
        match self {
            ServiceCall::LightOn { .. } => "turn_on",
            ServiceCall::LightOff { .. } => "turn_off",
            ServiceCall::SetTemperature { .. } => "set_temperature",
            ServiceCall::SetHvacMode { .. } => "set_hvac_mode",
            ServiceCall::OpenCover { .. } => "open_cover",
            ServiceCall::CloseCover { .. } => "close_cover",
            ServiceCall::SetCoverPosition { .. } => "set_cover_position",
            ServiceCall::SelectOption { .. } => "select_option",
        }
    }

    /// Whether `state` (of this call's entity) already is what the call sets. HA answers such a
    /// call with no changed state, as it does a call repeated after its answer was lost: this
    /// tells the two apart, so that only the second needs the state read again.
    pub fn is_shown_by(&self, state: &EntityState) -> bool {
        let close = |a: f64, b: f64| (a - b).abs() < 0.05;
        match self {
            ServiceCall::LightOn {
                brightness,
                hs_color,
                effect,
                ..
            } => state.light().is_some_and(|light| {
                light.on
                    && brightness.is_none_or(|b| light.brightness == Some(b))
                    && effect.as_ref().is_none_or(|e| light.effect.as_ref() == Some(e))
                    && hs_color.is_none_or(|(h, s)| {
                        light
                            .hs_color
                            .is_some_and(|(lh, ls)| close(h, lh) && close(s, ls))
                    })
            }),
            ServiceCall::LightOff { .. } => state.light().is_some_and(|light| !light.on),
            ServiceCall::SetTemperature {
                temperature,
                hvac_mode,
                ..
            } => state.climate().is_some_and(|climate| {
                climate.target_temperature.is_some_and(|t| close(t, *temperature))
                    && hvac_mode.is_none_or(|mode| climate.mode == mode)
            }),
            ServiceCall::SetHvacMode { hvac_mode, .. } => {
                state.climate().is_some_and(|climate| climate.mode == *hvac_mode)
            }
            ServiceCall::OpenCover { .. } => state.cover().is_some_and(|c| c.position == Some(100)),
            ServiceCall::CloseCover { .. } => state.cover().is_some_and(|c| c.position == Some(0)),
            ServiceCall::SetCoverPosition { position, .. } => {
                state.cover().is_some_and(|c| c.position == Some(*position))
            }
            ServiceCall::SelectOption { option, .. } => {
                state.select().is_some_and(|select| &select.option == option)
            }
        }
    }

    /// The JSON body: `{"entity_id": …}` and the service's data. Unset options are left out, so
    /// that HA keeps the light's current brightness or colour.
    pub fn data(&self) -> Value {
        let mut data = Map::new();
        data.insert("entity_id".into(), json!(self.entity_id()));
        let mut set = |key: &str, value: Value| {
            data.insert(key.into(), value);
        };
        match self {
            ServiceCall::LightOn {
                brightness,
                hs_color,
                effect,
                ..
            } => {
                if let Some(brightness) = brightness {
                    set("brightness", json!(brightness));
                }
                if let Some((hue, saturation)) = hs_color {
                    set("hs_color", json!([hue, saturation]));
                }
                if let Some(effect) = effect {
                    set("effect", json!(effect));
                }
            }
            ServiceCall::SetTemperature {
                temperature,
                hvac_mode,
                ..
            } => {
                set("temperature", json!(temperature));
                if let Some(mode) = hvac_mode {
                    set("hvac_mode", json!(mode));
                }
            }
            ServiceCall::SetHvacMode { hvac_mode, .. } => set("hvac_mode", json!(hvac_mode)),
            ServiceCall::SetCoverPosition { position, .. } => set("position", json!(position)),
            ServiceCall::SelectOption { option, .. } => set("option", json!(option)),
            ServiceCall::LightOff { .. } | ServiceCall::OpenCover { .. } | ServiceCall::CloseCover { .. } => {
            }
        }
        Value::Object(data)
    }

    /// `<domain>.<service>`, e.g. `light.turn_on`: how HA names it in its messages and logs.
    pub fn name(&self) -> String {
        format!("{}.{}", self.domain(), self.service())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> EntityId {
        EntityId::parse(text).expect("a valid entity id")
    }

    #[test]
    fn each_call_names_its_service_and_writes_its_body() {
        let light = id("light.room_101_main");
        let cases = [
            (
                ServiceCall::LightOn {
                    entity_id: light.clone(),
                    brightness: Some(128),
                    hs_color: Some((240.0, 100.0)),
                    effect: Some("Rainbow".into()),
                },
                "light.turn_on",
                json!({"entity_id": "light.room_101_main", "brightness": 128, "hs_color": [240.0, 100.0],
                       "effect": "Rainbow"}),
            ),
            (
                ServiceCall::LightOn {
                    entity_id: light.clone(),
                    brightness: None,
                    hs_color: None,
                    effect: None,
                },
                "light.turn_on",
                json!({"entity_id": "light.room_101_main"}),
            ),
            (
                ServiceCall::LightOff { entity_id: light },
                "light.turn_off",
                json!({"entity_id": "light.room_101_main"}),
            ),
            (
                ServiceCall::SetTemperature {
                    entity_id: id("climate.room_101"),
                    temperature: 72.5,
                    hvac_mode: None,
                },
                "climate.set_temperature",
                json!({"entity_id": "climate.room_101", "temperature": 72.5}),
            ),
            (
                ServiceCall::SetTemperature {
                    entity_id: id("climate.room_101"),
                    temperature: 70.0,
                    hvac_mode: Some(HvacMode::Cool),
                },
                "climate.set_temperature",
                json!({"entity_id": "climate.room_101", "temperature": 70.0, "hvac_mode": "cool"}),
            ),
            (
                ServiceCall::SetHvacMode {
                    entity_id: id("climate.room_101"),
                    hvac_mode: HvacMode::HeatCool,
                },
                "climate.set_hvac_mode",
                json!({"entity_id": "climate.room_101", "hvac_mode": "heat_cool"}),
            ),
            (
                ServiceCall::OpenCover {
                    entity_id: id("cover.room_101_blinds"),
                },
                "cover.open_cover",
                json!({"entity_id": "cover.room_101_blinds"}),
            ),
            (
                ServiceCall::CloseCover {
                    entity_id: id("cover.room_101_blinds"),
                },
                "cover.close_cover",
                json!({"entity_id": "cover.room_101_blinds"}),
            ),
            (
                ServiceCall::SetCoverPosition {
                    entity_id: id("cover.room_101_blinds"),
                    position: 40,
                },
                "cover.set_cover_position",
                json!({"entity_id": "cover.room_101_blinds", "position": 40}),
            ),
            (
                ServiceCall::SelectOption {
                    entity_id: id("select.room_105_main_music"),
                    option: "Day & Night".into(),
                },
                "select.select_option",
                json!({"entity_id": "select.room_105_main_music", "option": "Day & Night"}),
            ),
        ];
        for (call, name, body) in cases {
            assert_eq!(call.name(), name);
            assert_eq!(call.data(), body, "{name}");
            assert_eq!(call.entity_id().domain(), call.domain(), "{name}");
        }
    }
}
