//! `set_thermostat`: a room's target temperature and mode.

use super::command;
use super::devices::Device;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::ThermostatId;
use dewy_homeassistant::{HvacMode, ServiceCall};
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The temperatures a guest may ask for, in °F (the hotel's thermostats work in °F).
pub const MIN_F: f64 = 60.0;
/// See [`MIN_F`].
pub const MAX_F: f64 = 85.0;

/// Input of `set_thermostat`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetThermostatInput {
    /// From list_room_devices.
    pub device_id: ThermostatId,
    /// 60–85 °F, or 15.5–29.5 with unit C.
    pub temperature: Option<f64>,
    /// Defaults to F.
    pub unit: Option<TemperatureUnit>,
    pub mode: Option<ThermostatMode>,
    /// A UUID you choose for this command; reuse it on retry.
    pub idempotency_token: String,
}

/// A temperature unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TemperatureUnit {
    /// Degrees Fahrenheit.
    F,
    /// Degrees Celsius.
    C,
}

/// The modes a room's thermostat offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ThermostatMode {
    /// Heating to the target.
    Heat,
    /// Cooling to the target.
    Cool,
    /// Off.
    Off,
}

impl From<ThermostatMode> for HvacMode {
    fn from(mode: ThermostatMode) -> HvacMode {
        match mode {
            ThermostatMode::Heat => HvacMode::Heat,
            ThermostatMode::Cool => HvacMode::Cool,
            ThermostatMode::Off => HvacMode::Off,
        }
    }
}

/// The `set_thermostat` tool.
pub struct SetThermostat;

impl Tool for SetThermostat {
    type Input = SetThermostatInput;
    type Output = Device;

    const SPEC: ToolSpec = ToolSpec {
        name: "set_thermostat",
        description: "Set a room thermostat's target temperature and/or mode; answers its new state in °F. \
            Repeating a command changes nothing more.",
        ..super::DEVICE_COMMAND
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "guest2@hotel.com",
            json!({
                "device_id": "climate.room_101",
                "temperature": 72,
                "mode": "heat",
                "idempotency_token": "0e6b2d4f-7a1c-4e3b-8d5f-9c2a4e6b8d10",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: SetThermostatInput) -> Result<Device, ToolError> {
        let device = input.device_id.device();
        let call = ctx.audit().check("thermostat_command_valid", wanted(&input))?;
        let target = command::target(ctx, &device).await?;
        let entity_id = target.id.clone();
        let call = match call {
            (Some(temperature), mode) => ServiceCall::SetTemperature {
                entity_id,
                temperature,
                hvac_mode: mode.map(HvacMode::from),
            },
            (None, Some(mode)) => ServiceCall::SetHvacMode {
                entity_id,
                hvac_mode: mode.into(),
            },
            (None, None) => return Err(ToolError::internal()),
        };
        command::apply(ctx, &device, target, vec![call]).await
    }
}

/// The target in whole °F and the mode the input asks for, checked.
fn wanted(input: &SetThermostatInput) -> Result<(Option<f64>, Option<ThermostatMode>), ToolError> {
    let fahrenheit = match (input.temperature, input.unit.unwrap_or(TemperatureUnit::F)) {
        (None, _) => None,
        (Some(t), TemperatureUnit::F) => Some(t),
        (Some(t), TemperatureUnit::C) => Some(t * 9.0 / 5.0 + 32.0),
    };
    if let Some(f) = fahrenheit
        && !(MIN_F..=MAX_F).contains(&f.round())
    {
        return Err(ToolError::validation(format!(
            "temperature must be from {MIN_F} to {MAX_F} °F (15.5 to 29.5 °C), not {}{}.",
            input.temperature.unwrap_or_default(),
            if input.unit == Some(TemperatureUnit::C) {
                " °C"
            } else {
                " °F"
            }
        )));
    }
    if fahrenheit.is_none() && input.mode.is_none() {
        return Err(ToolError::validation("Give temperature, mode, or both."));
    }
    Ok((fahrenheit.map(f64::round), input.mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(temperature: Option<f64>, unit: Option<TemperatureUnit>) -> SetThermostatInput {
        SetThermostatInput {
            device_id: ThermostatId::parse("climate.room_101").unwrap(),
            temperature,
            unit,
            mode: None,
            idempotency_token: "t".into(),
        }
    }

    #[test]
    fn celsius_becomes_whole_fahrenheit_within_the_range() {
        assert_eq!(
            wanted(&input(Some(21.0), Some(TemperatureUnit::C))).unwrap().0,
            Some(70.0)
        );
        assert_eq!(
            wanted(&input(Some(15.5), Some(TemperatureUnit::C))).unwrap().0,
            Some(60.0)
        );
        assert!(wanted(&input(Some(30.0), Some(TemperatureUnit::C))).is_err());
        assert!(wanted(&input(Some(59.0), None)).is_err());
        assert!(wanted(&input(Some(86.0), None)).is_err());
        assert!(wanted(&input(None, None)).is_err(), "nothing asked");
    }
}
