//! `light.*`: turning on and off, dimming, colours, effects, and what lights refuse.

use serde_json::{Value, json};

use crate::common::{self, changed_by, get, refusal, state};

const DARK: &str = "light.room_106_main";
const LIT: &str = "light.room_102_main";
const LAMP: &str = "light.room_102_bedside";

/// Turning a dark light on answers it, on, with its colour mode; the same call again changes
/// nothing and answers `[]`.
#[tokio::test]
async fn turning_on_answers_the_changed_light_once() {
    let sandbox = common::start().await;
    let before = state(&sandbox, DARK);
    let changed = changed_by(
        &sandbox,
        "light/turn_on",
        json!({"entity_id": DARK, "brightness": 90}),
    )
    .await;
    assert_eq!(changed.len(), 1);
    let light = &changed[0];
    assert_eq!(
        (&light["entity_id"], &light["state"]),
        (&json!(DARK), &json!("on"))
    );
    assert_eq!(light["attributes"]["brightness"], 90);
    assert_eq!(light["attributes"]["color_mode"], "hs");
    assert_eq!(
        light["attributes"]["hs_color"],
        json!([0.0, 0.0]),
        "never lit: white"
    );
    assert_ne!(light["last_changed"], before["last_changed"]);
    assert_eq!(light["last_changed"], light["last_updated"]);
    assert_ne!(light["context"]["id"], before["context"]["id"]);
    assert_eq!(
        get(&sandbox, &format!("/api/states/{DARK}")).await,
        (200, light.clone())
    );

    let again = changed_by(
        &sandbox,
        "light/turn_on",
        json!({"entity_id": DARK, "brightness": 90}),
    )
    .await;
    assert_eq!(again, Vec::<Value>::new());
    assert_eq!(state(&sandbox, DARK), *light, "not even last_updated moved");
}

/// Dimming a lit light moves `last_updated` only: its state is still `on`.
#[tokio::test]
async fn dimming_keeps_last_changed() {
    let sandbox = common::start().await;
    let before = state(&sandbox, LIT);
    let changed = changed_by(
        &sandbox,
        "light/turn_on",
        json!({"entity_id": LIT, "brightness_pct": 50}),
    )
    .await;
    let light = &changed[0];
    assert_eq!(
        light["attributes"]["brightness"], 128,
        "50 % of 255, rounded half to even"
    );
    assert_eq!(
        light["attributes"]["hs_color"],
        json!([30.0, 60.0]),
        "the colour is kept"
    );
    assert_eq!(light["last_changed"], before["last_changed"]);
    assert_ne!(light["last_updated"], before["last_updated"]);
}

/// Off nulls brightness, colour and colour mode; on again without data restores them.
#[tokio::test]
async fn a_light_comes_back_as_it_was() {
    let sandbox = common::start().await;
    let rgb = json!({"entity_id": LIT, "rgb_color": [255, 0, 0], "brightness": 200});
    changed_by(&sandbox, "light/turn_on", rgb).await;
    let off = changed_by(&sandbox, "light/turn_off", json!({"entity_id": LIT})).await;
    assert_eq!(off[0]["state"], "off");
    for name in ["brightness", "hs_color", "color_mode"] {
        assert_eq!(off[0]["attributes"][name], Value::Null, "{name}");
    }
    let on = changed_by(&sandbox, "light/turn_on", json!({"entity_id": LIT})).await;
    let attributes = &on[0]["attributes"];
    assert_eq!(
        attributes["hs_color"],
        json!([0.0, 100.0]),
        "red, as hue and saturation"
    );
    assert_eq!(
        (&attributes["brightness"], &attributes["color_mode"]),
        (&json!(200), &json!("hs"))
    );
}

/// Brightness 0 turns a light off; toggle flips it back on.
#[tokio::test]
async fn brightness_zero_turns_off_and_toggle_flips() {
    let sandbox = common::start().await;
    let off = changed_by(
        &sandbox,
        "light/turn_on",
        json!({"entity_id": LIT, "brightness": 0}),
    )
    .await;
    assert_eq!(
        (&off[0]["state"], &off[0]["attributes"]["brightness"]),
        (&json!("off"), &Value::Null)
    );
    let on = changed_by(&sandbox, "light/toggle", json!({"entity_id": LIT})).await;
    assert_eq!(
        (&on[0]["state"], &on[0]["attributes"]["brightness"]),
        (&json!("on"), &json!(180))
    );
    let lamp = changed_by(&sandbox, "light/toggle", json!({"entity_id": LAMP})).await;
    assert_eq!(
        lamp[0]["attributes"]["brightness"], 255,
        "never lit: full brightness"
    );
    assert_eq!(lamp[0]["attributes"]["color_mode"], "brightness");
    assert!(lamp[0]["attributes"].get("hs_color").is_none());
}

/// Data the schema refuses, and colours or effects a light cannot show, are 400s that change
/// nothing, even for the other lights of the call.
#[tokio::test]
async fn refusals_name_the_problem_and_change_nothing() {
    let sandbox = common::start().await;
    let before = sandbox.states();
    let cases = [
        (
            json!({"entity_id": LIT, "brightness": 256}),
            "value must be at most 255 for dictionary value @ data['brightness']",
        ),
        (
            json!({"entity_id": LIT, "brightness": "bright"}),
            "expected int for dictionary value @ data['brightness']",
        ),
        (
            json!({"entity_id": LIT, "hs_color": [30, 120]}),
            "value must be at most 100 @ data['hs_color'][1]",
        ),
        (
            json!({"entity_id": [LIT, LAMP], "hs_color": [200, 50]}),
            "Light light.room_102_bedside does not support color mode hs",
        ),
        (
            json!({"entity_id": LIT, "effect": "Rhythm"}),
            "Light light.room_102_main does not support effects",
        ),
        (
            json!({"entity_id": LIT, "flash": "long"}),
            "extra keys not allowed @ data['flash']",
        ),
        (
            json!({"entity_id": "Room 102"}),
            "Entity ID room 102 is an invalid entity ID for dictionary value @ data['entity_id']",
        ),
    ];
    for (data, message) in cases {
        assert_eq!(
            refusal(&sandbox, "light/turn_on", data.clone()).await,
            message,
            "{data}"
        );
    }
    let unknown = refusal(&sandbox, "light/dance", json!({"entity_id": LIT})).await;
    assert_eq!(unknown, "Service light.dance not found.");
    assert_eq!(sandbox.states(), before);
}

/// Ids that do not exist, or are not lights, are ignored, and `none` names none: `[]`, as Home
/// Assistant answers.
#[tokio::test]
async fn missing_and_foreign_entities_are_ignored() {
    let sandbox = common::start().await;
    for target in [
        json!("light.room_999_main"),
        json!("cover.room_101_blinds"),
        json!([]),
        json!("none"),
    ] {
        let changed = changed_by(&sandbox, "light/turn_off", json!({"entity_id": target})).await;
        assert!(changed.is_empty(), "{target}");
    }
    let both = json!({"entity_id": format!("{LIT}, light.room_999_main")});
    assert_eq!(changed_by(&sandbox, "light/turn_off", both).await.len(), 1);
}

/// A light given an effect list takes effects from it, and drops its effect when off.
#[tokio::test]
async fn effect_lights_take_effects_from_their_list() {
    let sandbox = common::start().await;
    let strip = "light.lobby_strip";
    let attributes = json!({"supported_color_modes": ["hs"], "supported_features": 4,
        "effect_list": ["Rainbow", "Candle"], "effect": null});
    sandbox.set_state(strip, "off", attributes).expect("set up");
    let on = changed_by(
        &sandbox,
        "light/turn_on",
        json!({"entity_id": strip, "effect": "Candle"}),
    )
    .await;
    assert_eq!(
        (&on[0]["state"], &on[0]["attributes"]["effect"]),
        (&json!("on"), &json!("Candle"))
    );
    let disco = refusal(
        &sandbox,
        "light/turn_on",
        json!({"entity_id": strip, "effect": "Disco"}),
    )
    .await;
    assert_eq!(
        disco,
        "Effect Disco is not valid for light light.lobby_strip; valid effects are Rainbow, Candle"
    );
    let off = changed_by(&sandbox, "light/turn_off", json!({"entity_id": strip})).await;
    assert_eq!(off[0]["attributes"]["effect"], Value::Null);
}
