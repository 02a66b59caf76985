//! [`Light`]: a light's state, brightness, colour and effects.

use super::{number, small_count, strings};
use crate::EntityState;
use serde::Serialize;
use serde_json::Value;

/// The colour modes in which a light takes a colour (HA's `COLOR_MODES_COLOR`).
const COLOR_MODES: [&str; 5] = ["hs", "rgb", "rgbw", "rgbww", "xy"];
/// The colour modes in which a light dims: every mode HA knows but `onoff`.
const DIMMABLE_MODES: [&str; 8] = [
    "brightness",
    "color_temp",
    "hs",
    "rgb",
    "rgbw",
    "rgbww",
    "white",
    "xy",
];

/// A `light.*` entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Light {
    /// Whether it is on.
    pub on: bool,
    /// 0-255 while on; `None` while off (HA clears it).
    pub brightness: Option<u8>,
    /// `(hue 0-360, saturation 0-100)` while on in a colour mode; `None` otherwise.
    pub hs_color: Option<(f64, f64)>,
    /// `supported_color_modes`: what the light can do (see [`Light::supports_color`] and
    /// [`Light::supports_brightness`]).
    pub color_modes: Vec<String>,
    /// The effects it offers (`effect_list`); empty for a light without effects. Some lights (the
    /// hotel's Govee lights) offer theirs through a companion `select` entity instead.
    pub effect_list: Vec<String>,
    /// The effect running, if any.
    pub effect: Option<String>,
}

impl Light {
    /// Whether it takes a colour (`hs_color` in `light.turn_on`): any of the modes hs, rgb, rgbw,
    /// rgbww, xy. HA refuses a colour for any other light.
    pub fn supports_color(&self) -> bool {
        self.supports_any(&COLOR_MODES)
    }

    /// Whether it dims (`brightness` in `light.turn_on`): any mode but `onoff`.
    pub fn supports_brightness(&self) -> bool {
        self.supports_any(&DIMMABLE_MODES)
    }

    fn supports_any(&self, modes: &[&str]) -> bool {
        self.color_modes.iter().any(|mode| modes.contains(&mode.as_str()))
    }
}

impl EntityState {
    /// The entity as a [`Light`]; `None` unless it is an available `light.*`.
    pub fn light(&self) -> Option<Light> {
        if !self.viewable_as("light") {
            return None;
        }
        Some(Light {
            on: self.state == "on",
            brightness: self.attribute("brightness").and_then(small_count),
            hs_color: self.attribute("hs_color").and_then(hue_saturation),
            color_modes: strings(self.attribute("supported_color_modes")),
            effect_list: strings(self.attribute("effect_list")),
            effect: self
                .attribute("effect")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }
}

/// `[hue, saturation]`.
fn hue_saturation(value: &Value) -> Option<(f64, f64)> {
    match value.as_array()?.as_slice() {
        [hue, saturation] => Some((number(hue)?, number(saturation)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::domains::fixtures::state;
    use serde_json::json;

    #[test]
    fn a_colour_light_that_is_on() {
        let main = state(
            "light.room_101_main",
            "on",
            json!({"supported_color_modes": ["hs"], "color_mode": "hs", "brightness": 180,
                   "hs_color": [30.0, 60.0], "supported_features": 0,
                   "friendly_name": "Room 101 Main Light"}),
        );
        let light = main.light().expect("a light");
        assert!(light.on);
        assert_eq!(light.brightness, Some(180));
        assert_eq!(light.hs_color, Some((30.0, 60.0)));
        assert!(light.supports_color() && light.supports_brightness());
        assert!(light.effect_list.is_empty() && light.effect.is_none());
    }

    #[test]
    fn a_dimmable_lamp_that_is_off() {
        let bedside = state(
            "light.room_101_bedside",
            "off",
            json!({"supported_color_modes": ["brightness"], "color_mode": null, "brightness": null,
                   "friendly_name": "Room 101 Bedside Lamp"}),
        );
        let light = bedside.light().expect("a light");
        assert!(!light.on);
        assert_eq!((light.brightness, light.hs_color), (None, None));
        assert!(light.supports_brightness() && !light.supports_color());
    }

    #[test]
    fn an_effect_light_and_an_on_off_light() {
        let effects = state(
            "light.room_105_main",
            "on",
            json!({"supported_color_modes": ["hs"], "brightness": 255, "hs_color": [0, 100],
                   "supported_features": 4, "effect_list": ["Energic", "Rhythm"], "effect": "Rhythm"}),
        );
        let light = effects.light().expect("a light");
        assert_eq!(light.effect_list, ["Energic", "Rhythm"]);
        assert_eq!(light.effect.as_deref(), Some("Rhythm"));
        assert_eq!(light.hs_color, Some((0.0, 100.0)));
        let plain = state("light.hall", "on", json!({"supported_color_modes": ["onoff"]}));
        let plain = plain.light().expect("a light");
        assert!(!plain.supports_brightness() && !plain.supports_color());
    }

    #[test]
    fn other_domains_and_unavailable_lights_have_no_light_view() {
        assert!(state("climate.room_101", "heat", json!({})).light().is_none());
        assert!(
            state("light.room_101_main", "unavailable", json!({}))
                .light()
                .is_none()
        );
    }
}
