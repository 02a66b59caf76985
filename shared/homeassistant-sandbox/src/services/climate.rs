//! `climate.set_temperature`, `climate.set_hvac_mode`, `climate.turn_on` and `climate.turn_off`.
//!
//! A thermostat's limits are its attributes: `hvac_modes`, `min_temp`, `max_temp` and
//! `target_temp_step`. A target outside the limits is clamped to them, not refused.

use serde_json::{Value, json};

use super::NewState;
use super::schema::{Data, required};
use crate::entity::Entity;

/// Every HVAC mode Home Assistant knows; the schema refuses other strings before any thermostat
/// is asked whether it has the mode.
const HVAC_MODES: [&str; 7] = ["off", "heat", "cool", "heat_cool", "auto", "dry", "fan_only"];

/// What `turn_on` picks, first one the thermostat has, as Home Assistant's default turn-on does.
const TURN_ON_MODES: [&str; 3] = ["heat_cool", "heat", "cool"];

/// A climate service with its data read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    SetTemperature {
        temperature: f64,
        hvac_mode: Option<String>,
    },
    SetHvacMode(String),
    TurnOn,
    TurnOff,
}

/// The climate service named `service`, its data read; `None` if there is no such service.
pub(crate) fn parse(service: &str, data: &Data) -> Option<Result<Action, String>> {
    let action = match service {
        "set_temperature" => set_temperature_data(data),
        "set_hvac_mode" => data.allow_only(&["hvac_mode"]).and_then(|()| {
            let mode = required("hvac_mode", hvac_mode(data)?)?;
            Ok(Action::SetHvacMode(mode))
        }),
        "turn_on" => data.allow_only(&[]).map(|()| Action::TurnOn),
        "turn_off" => data.allow_only(&[]).map(|()| Action::TurnOff),
        _ => return None,
    };
    Some(action)
}

fn set_temperature_data(data: &Data) -> Result<Action, String> {
    data.allow_only(&["temperature", "hvac_mode"])?;
    let temperature = data.float("temperature", f64::NEG_INFINITY, f64::INFINITY)?;
    let hvac_mode = hvac_mode(data)?;
    let temperature = temperature.ok_or_else(|| {
        "must contain at least one of temperature, target_temp_high, target_temp_low.".to_owned()
    })?;
    Ok(Action::SetTemperature {
        temperature,
        hvac_mode,
    })
}

fn hvac_mode(data: &Data) -> Result<Option<String>, String> {
    Ok(data
        .one_of("hvac_mode", &HVAC_MODES, "HVACMode")?
        .map(str::to_owned))
}

/// What `action` makes of `thermostat`, or why it refuses.
pub(crate) fn propose(action: &Action, thermostat: &Entity) -> Result<NewState, String> {
    let mut new = NewState {
        state: thermostat.state.clone(),
        attributes: thermostat.attributes.clone(),
    };
    let modes = modes(thermostat);
    match action {
        Action::SetTemperature {
            temperature,
            hvac_mode,
        } => {
            if let Some(mode) = hvac_mode {
                new.state = checked_mode(thermostat, &modes, mode)?;
            }
            let target = clamped_target(thermostat, *temperature);
            new.attributes.insert("temperature".into(), target);
        }
        Action::SetHvacMode(mode) => new.state = checked_mode(thermostat, &modes, mode)?,
        Action::TurnOn => {
            if let Some(mode) = TURN_ON_MODES.iter().find(|m| modes.contains(m)) {
                new.state = (*mode).to_owned();
            }
        }
        Action::TurnOff => {
            if modes.contains(&"off") {
                new.state = "off".to_owned();
            }
        }
    }
    Ok(new)
}

fn modes(thermostat: &Entity) -> Vec<&str> {
    let modes = thermostat.attribute("hvac_modes").as_array();
    modes.into_iter().flatten().filter_map(Value::as_str).collect()
}

fn checked_mode(thermostat: &Entity, modes: &[&str], mode: &str) -> Result<String, String> {
    if modes.contains(&mode) {
        return Ok(mode.to_owned());
    }
    Err(format!(
        "HVAC mode {mode} is not valid for {}. Valid HVAC modes are: {}",
        thermostat.entity_id,
        modes.join(", ")
    ))
}

/// `temperature` clamped to the thermostat's range and rounded to its step (half to even, as
/// Python rounds), as a whole number when it is one (`70`, not `70.0`).
fn clamped_target(thermostat: &Entity, temperature: f64) -> Value {
    let limit = |name: &str, default: f64| thermostat.attribute(name).as_f64().unwrap_or(default);
    let (min, max) = (limit("min_temp", 60.0), limit("max_temp", 85.0));
    let step = Some(limit("target_temp_step", 1.0))
        .filter(|s| *s > 0.0)
        .unwrap_or(1.0);
    let rounded = ((temperature / step).round_ties_even() * step).clamp(min.min(max), max.max(min));
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        json!(rounded as i64)
    } else {
        json!(rounded)
    }
}
