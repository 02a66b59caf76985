//! `climate.*`: targets clamped to the thermostat's range, modes checked against its list.

use serde_json::{Value, json};

use crate::common::{self, changed_by, refusal, state};

const HEATED: &str = "climate.room_103";
const COLD: &str = "climate.room_107";

/// A new target moves `last_updated` only; one out of range is clamped; a mode given with it
/// changes the state too.
#[tokio::test]
async fn targets_are_set_and_clamped() {
    let sandbox = common::start().await;
    let before = state(&sandbox, HEATED);
    let warmer = changed_by(
        &sandbox,
        "climate/set_temperature",
        json!({"entity_id": HEATED, "temperature": 72}),
    )
    .await;
    assert_eq!(
        (&warmer[0]["state"], &warmer[0]["attributes"]["temperature"]),
        (&json!("heat"), &json!(72))
    );
    assert_eq!(warmer[0]["last_changed"], before["last_changed"]);
    assert_ne!(warmer[0]["last_updated"], before["last_updated"]);
    for (asked, set) in [(90.0, 85), (40.0, 60), (71.4, 71)] {
        let data = json!({"entity_id": HEATED, "temperature": asked});
        changed_by(&sandbox, "climate/set_temperature", data).await;
        assert_eq!(
            state(&sandbox, HEATED)["attributes"]["temperature"],
            set,
            "{asked}"
        );
    }
    let same = json!({"entity_id": HEATED, "temperature": 71});
    assert_eq!(
        changed_by(&sandbox, "climate/set_temperature", same).await,
        Vec::<Value>::new()
    );
    let cool = json!({"entity_id": COLD, "temperature": 66, "hvac_mode": "cool"});
    let cooled = changed_by(&sandbox, "climate/set_temperature", cool).await;
    assert_eq!(
        (&cooled[0]["state"], &cooled[0]["attributes"]["temperature"]),
        (&json!("cool"), &json!(66))
    );
}

/// Modes: set directly, by turn on (heat) and turn off; turning off what is off changes nothing.
#[tokio::test]
async fn modes_switch_on_off_and_between() {
    let sandbox = common::start().await;
    let on = changed_by(&sandbox, "climate/turn_on", json!({"entity_id": COLD})).await;
    assert_eq!(on[0]["state"], "heat");
    let cooling = changed_by(
        &sandbox,
        "climate/set_hvac_mode",
        json!({"entity_id": COLD, "hvac_mode": "cool"}),
    )
    .await;
    assert_eq!(cooling[0]["state"], "cool");
    assert_eq!(cooling[0]["last_changed"], cooling[0]["last_updated"]);
    let off = changed_by(&sandbox, "climate/turn_off", json!({"entity_id": COLD})).await;
    assert_eq!(
        (&off[0]["state"], &off[0]["attributes"]["temperature"]),
        (&json!("off"), &json!(68))
    );
    assert!(
        changed_by(&sandbox, "climate/turn_off", json!({"entity_id": COLD}))
            .await
            .is_empty()
    );
}

/// Modes the thermostat lacks, strings that are no mode, missing and mistyped data are 400s.
#[tokio::test]
async fn refusals_name_the_problem_and_change_nothing() {
    let sandbox = common::start().await;
    let before = state(&sandbox, HEATED);
    let dry = refusal(
        &sandbox,
        "climate/set_hvac_mode",
        json!({"entity_id": HEATED, "hvac_mode": "dry"}),
    )
    .await;
    assert_eq!(
        dry,
        "HVAC mode dry is not valid for climate.room_103. Valid HVAC modes are: heat, cool, off"
    );
    let warm = refusal(
        &sandbox,
        "climate/set_hvac_mode",
        json!({"entity_id": HEATED, "hvac_mode": "warm"}),
    )
    .await;
    assert!(
        warm.starts_with("expected HVACMode or one of 'off', 'heat', 'cool'"),
        "{warm}"
    );
    assert!(
        warm.ends_with("for dictionary value @ data['hvac_mode']"),
        "{warm}"
    );
    let missing = refusal(&sandbox, "climate/set_hvac_mode", json!({"entity_id": HEATED})).await;
    assert_eq!(missing, "required key not provided @ data['hvac_mode']");
    let hot = refusal(
        &sandbox,
        "climate/set_temperature",
        json!({"entity_id": HEATED, "temperature": "hot"}),
    )
    .await;
    assert_eq!(hot, "expected float for dictionary value @ data['temperature']");
    let nothing = refusal(&sandbox, "climate/set_temperature", json!({"entity_id": HEATED})).await;
    assert_eq!(
        nothing,
        "must contain at least one of temperature, target_temp_high, target_temp_low."
    );
    let both = json!({"entity_id": HEATED, "temperature": 75, "hvac_mode": "dry"});
    assert!(
        refusal(&sandbox, "climate/set_temperature", both)
            .await
            .starts_with("HVAC mode dry")
    );
    assert_eq!(state(&sandbox, HEATED), before);
}
