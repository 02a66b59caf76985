//! `control_light`: a light on or off, at a brightness, in a colour, playing an effect.

use super::command::{self, Target};
use super::devices::{Device, DeviceState, LightState, from_percent};
use chrono::NaiveDate;
use dewy_domain::input::LightId;
use dewy_domain::{ErrorCode, ToolError};
use dewy_homeassistant::ServiceCall;
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `control_light`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlLightInput {
    /// From list_room_devices.
    pub device_id: LightId,
    /// Brightness, colour and effect turn the light on; with off, give none of them.
    pub power: Option<Power>,
    #[schemars(range(min = 1, max = 100))]
    pub brightness_pct: Option<u8>,
    /// Or give hue and saturation.
    pub color: Option<ColorPreset>,
    /// With saturation.
    #[schemars(range(min = 0, max = 360))]
    pub hue: Option<f64>,
    #[schemars(range(min = 0, max = 100))]
    pub saturation: Option<f64>,
    /// One of the light's effects (list_room_devices).
    pub effect: Option<String>,
    /// A UUID you choose for this command; reuse it on retry.
    pub idempotency_token: String,
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Power {
    /// On.
    On,
    /// Off.
    Off,
}

/// The guest app's colour presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ColorPreset {
    #[serde(rename = "Warm White")]
    WarmWhite,
    #[serde(rename = "Cool White")]
    CoolWhite,
    Red,
    Orange,
    Yellow,
    Green,
    Cyan,
    Blue,
    Purple,
    Pink,
}

impl ColorPreset {
    /// Its hue and saturation.
    pub fn hs(self) -> (f64, f64) {
        match self {
            ColorPreset::WarmWhite => (35.0, 45.0),
            ColorPreset::CoolWhite => (210.0, 10.0),
            ColorPreset::Red => (0.0, 100.0),
            ColorPreset::Orange => (30.0, 100.0),
            ColorPreset::Yellow => (60.0, 100.0),
            ColorPreset::Green => (120.0, 100.0),
            ColorPreset::Cyan => (180.0, 100.0),
            ColorPreset::Blue => (240.0, 100.0),
            ColorPreset::Purple => (280.0, 100.0),
            ColorPreset::Pink => (330.0, 60.0),
        }
    }
}

/// The `control_light` tool.
pub struct ControlLight;

impl Tool for ControlLight {
    type Input = ControlLightInput;
    type Output = Device;

    const SPEC: ToolSpec = ToolSpec {
        name: "control_light",
        description: "Turn a room light on or off, or set its brightness, colour or effect; answers its new \
            state. A colour on a light that only dims, or an effect on one without effects, is \
            FEATURE_NOT_SUPPORTED naming what it can do. Repeating a command changes nothing more.",
        ..super::DEVICE_COMMAND
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "guest2@hotel.com",
            json!({
                "device_id": "light.room_101_main",
                "brightness_pct": 40,
                "color": "Warm White",
                "idempotency_token": "5f0c6a2e-8b1d-4c3e-9a7f-2d4b6c8e0a13",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: ControlLightInput) -> Result<Device, ToolError> {
        let device = input.device_id.device();
        let wanted = ctx.audit().check("light_command_valid", Wanted::of(&input))?;
        let target = command::target(ctx, &device).await?;
        let calls = ctx
            .audit()
            .check("light_supports_command", wanted.calls(&target))?;
        command::apply(ctx, &device, target, calls).await
    }
}

/// What the command asks of the light, its values checked.
enum Wanted {
    Off,
    On {
        brightness: Option<u8>,
        hs: Option<(f64, f64)>,
        effect: Option<String>,
    },
}

impl Wanted {
    fn of(input: &ControlLightInput) -> Result<Wanted, ToolError> {
        let hs = match (input.color, input.hue, input.saturation) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(ToolError::validation(
                    "Give color, or hue with saturation, not both.",
                ));
            }
            (Some(preset), None, None) => Some(preset.hs()),
            (None, Some(hue), Some(saturation)) => Some((hue, saturation)),
            (None, None, None) => None,
            (None, _, _) => return Err(ToolError::validation("Give hue and saturation together.")),
        };
        if let Some(pct) = input.brightness_pct.filter(|p| !(1..=100).contains(p)) {
            return Err(ToolError::validation(format!(
                "brightness_pct must be from 1 to 100, not {pct}; to turn the light off send power off."
            )));
        }
        if let Some((hue, saturation)) = hs
            && !((0.0..=360.0).contains(&hue) && (0.0..=100.0).contains(&saturation))
        {
            return Err(ToolError::validation(
                "hue must be from 0 to 360 and saturation from 0 to 100.",
            ));
        }
        let settings = input.brightness_pct.is_some() || hs.is_some() || input.effect.is_some();
        match input.power {
            Some(Power::Off) if settings => Err(ToolError::validation(
                "power off takes no brightness_pct, color, hue, saturation or effect.",
            )),
            Some(Power::Off) => Ok(Wanted::Off),
            None if !settings => Err(ToolError::validation(
                "Say what to do: power, brightness_pct, color (or hue and saturation) or effect.",
            )),
            Some(Power::On) | None => Ok(Wanted::On {
                brightness: input.brightness_pct.map(from_percent),
                hs,
                effect: input.effect.clone(),
            }),
        }
    }

    /// The HA calls that do it to `target`, or `FEATURE_NOT_SUPPORTED` naming what the light can do.
    fn calls(&self, target: &Target) -> Result<Vec<ServiceCall>, ToolError> {
        let entity_id = target.id.clone();
        let Wanted::On {
            brightness,
            hs,
            effect,
        } = self
        else {
            return Ok(vec![ServiceCall::LightOff { entity_id }]);
        };
        let light = match target.device().map(|d| d.state) {
            Some(DeviceState::Light(light)) => light,
            _ => return Err(ToolError::internal()),
        };
        let needs = |feature: &str| light.features.iter().any(|f| f == feature);
        if brightness.is_some() && !needs("brightness") {
            return Err(unsupported(&light, "brightness"));
        }
        if hs.is_some() && !needs("color") {
            return Err(unsupported(&light, "color"));
        }
        let option = match effect {
            None => None,
            Some(_) if light.effects.is_empty() => return Err(unsupported(&light, "effects")),
            Some(effect) => match light.effects.iter().find(|e| e.eq_ignore_ascii_case(effect)) {
                Some(option) => Some(option.clone()),
                None => {
                    return Err(ToolError::validation(format!(
                        "'{effect}' is not an effect of this light: use one of {}.",
                        light.effects.join(", ")
                    )));
                }
            },
        };
        // A Govee light plays its effects through its companion select, set beside the turn-on;
        // a light with its own effect list takes the effect in the turn-on itself.
        let (native_effect, companion_effect) = match (&target.companion, option) {
            (Some(companion), Some(option)) => (None, Some((companion.entity_id.clone(), option))),
            (None, option) => (option, None),
            (Some(_), None) => (None, None),
        };
        let mut calls = vec![ServiceCall::LightOn {
            entity_id,
            brightness: *brightness,
            hs_color: *hs,
            effect: native_effect,
        }];
        if let Some((entity_id, option)) = companion_effect {
            calls.push(ServiceCall::SelectOption { entity_id, option });
        }
        Ok(calls)
    }
}

fn unsupported(light: &LightState, feature: &str) -> ToolError {
    let can = if light.features.is_empty() {
        "only on and off".to_owned()
    } else {
        format!("on, off and {}", light.features.join(", "))
    };
    ToolError::new(
        ErrorCode::FeatureNotSupported,
        format!("This light has no {feature}: it does {can}."),
    )
    .with_details(json!({ "features": light.features, "effects": light.effects }))
}
