//! `light.turn_on`, `light.turn_off` and `light.toggle`.
//!
//! What a light can do is read from its attributes, as Home Assistant's light services read its
//! features: colour if `supported_color_modes` has `hs`, effects if it has an `effect_list`.

use serde_json::{Value, json};

use super::NewState;
use super::color::rgb_to_hs;
use super::schema::Data;
use crate::entity::Entity;

/// What `turn_on` (and `toggle`, when it turns on) takes.
const TURN_ON_KEYS: [&str; 6] = [
    "brightness",
    "brightness_pct",
    "hs_color",
    "rgb_color",
    "effect",
    "transition",
];

/// Which attributes go null when a light turns off (those it has).
const ONLY_WHILE_ON: [&str; 4] = ["brightness", "color_mode", "hs_color", "effect"];

/// A light service with its data read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    TurnOn(TurnOn),
    TurnOff,
    /// Off if on, else on with this data.
    Toggle(TurnOn),
}

/// Turn-on data: what is not given is kept.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TurnOn {
    /// 0-255 (`brightness_pct` already scaled); 0 turns the light off, as in Home Assistant.
    brightness: Option<i64>,
    color: Option<Color>,
    effect: Option<String>,
}

/// A requested colour as hue and saturation, and the colour mode it was given in (named when a
/// light without colour refuses it).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Color {
    hs: [f64; 2],
    mode: &'static str,
}

/// The light service named `service`, its data read; `None` if there is no such service.
pub(crate) fn parse(service: &str, data: &Data) -> Option<Result<Action, String>> {
    let action = match service {
        "turn_on" => turn_on_data(data).map(Action::TurnOn),
        "toggle" => turn_on_data(data).map(Action::Toggle),
        "turn_off" => data
            .allow_only(&["transition"])
            .and_then(|()| transition(data))
            .map(|()| Action::TurnOff),
        _ => return None,
    };
    Some(action)
}

fn turn_on_data(data: &Data) -> Result<TurnOn, String> {
    data.allow_only(&TURN_ON_KEYS)?;
    data.exclusive("Brightness descriptors", &["brightness", "brightness_pct"])?;
    data.exclusive("Color descriptors", &["hs_color", "rgb_color"])?;
    let brightness = match data.int("brightness", 0, 255)? {
        Some(brightness) => Some(brightness),
        // Home Assistant scales a percentage with Python's round (half to even).
        None => data
            .float("brightness_pct", 0.0, 100.0)?
            .map(|pct| (pct * 255.0 / 100.0).round_ties_even() as i64),
    };
    let hs = data.numbers("hs_color", &[(0.0, 360.0), (0.0, 100.0)], false)?;
    let rgb = data.numbers("rgb_color", &[(0.0, 255.0); 3], true)?;
    let color = match (hs.as_deref(), rgb.as_deref()) {
        (Some(&[h, s]), _) => Some(Color {
            hs: [h, s],
            mode: "hs",
        }),
        (_, Some(&[r, g, b])) => Some(Color {
            hs: rgb_to_hs(r, g, b),
            mode: "rgb",
        }),
        _ => None,
    };
    let effect = data.string("effect")?.map(str::to_owned);
    transition(data)?;
    Ok(TurnOn {
        brightness,
        color,
        effect,
    })
}

/// Any number of seconds is accepted and ignored: the sandbox's lights change at once.
fn transition(data: &Data) -> Result<(), String> {
    data.float("transition", f64::NEG_INFINITY, f64::INFINITY)
        .map(|_| ())
}

/// What `action` makes of `light`, or why the light refuses it.
pub(crate) fn propose(action: &Action, light: &Entity) -> Result<NewState, String> {
    match action {
        Action::TurnOn(on) => turn_on(light, on),
        Action::TurnOff => Ok(turn_off(light)),
        Action::Toggle(_) if light.state == "on" => Ok(turn_off(light)),
        Action::Toggle(on) => turn_on(light, on),
    }
}

fn turn_on(light: &Entity, on: &TurnOn) -> Result<NewState, String> {
    let id = &light.entity_id;
    let has_color = light
        .attribute("supported_color_modes")
        .as_array()
        .is_some_and(|modes| modes.contains(&json!("hs")));
    let effects = light.attribute("effect_list").as_array();
    if let Some(color) = on.color
        && !has_color
    {
        return Err(format!("Light {id} does not support color mode {}", color.mode));
    }
    if let Some(effect) = &on.effect {
        let Some(effects) = effects else {
            return Err(format!("Light {id} does not support effects"));
        };
        if !effects.contains(&json!(effect)) {
            let valid: Vec<&str> = effects.iter().filter_map(Value::as_str).collect();
            let valid = valid.join(", ");
            return Err(format!(
                "Effect {effect} is not valid for light {id}; valid effects are {valid}"
            ));
        }
    }
    if on.brightness == Some(0) {
        return Ok(turn_off(light));
    }
    // What is not given stays as it was, or as it was when the light was last on.
    let kept = |name: &str| light.remembered.get(name).cloned();
    let mut attributes = light.attributes.clone();
    let brightness = on.brightness.map(Value::from).or_else(|| kept("brightness"));
    attributes.insert("brightness".into(), brightness.unwrap_or_else(|| json!(255)));
    if has_color {
        let hs = on.color.map(|c| json!(c.hs)).or_else(|| kept("hs_color"));
        attributes.insert("color_mode".into(), json!("hs"));
        attributes.insert("hs_color".into(), hs.unwrap_or_else(|| json!([0.0, 0.0])));
    } else {
        attributes.insert("color_mode".into(), json!("brightness"));
    }
    if effects.is_some() {
        let effect = on.effect.clone().map(Value::from).or_else(|| kept("effect"));
        attributes.insert("effect".into(), effect.unwrap_or(Value::Null));
    }
    Ok(NewState {
        state: "on".into(),
        attributes,
    })
}

fn turn_off(light: &Entity) -> NewState {
    let mut attributes = light.attributes.clone();
    for name in ONLY_WHILE_ON {
        if let Some(value) = attributes.get_mut(name) {
            *value = Value::Null;
        }
    }
    NewState {
        state: "off".into(),
        attributes,
    }
}
