//! The handle's direct access to the devices, for tests' set-up and assertions.

use dewy_homeassistant_sandbox::SetStateError;
use serde_json::{Value, json};

use crate::common::{self, changed_by, get, state};

/// `set_state` merges attributes, follows the timestamp rules of a service call, and is what the
/// API serves afterwards.
#[tokio::test]
async fn set_state_changes_a_device_as_the_api_then_serves_it() {
    let sandbox = common::start().await;
    let id = "light.room_104_main";
    let before = state(&sandbox, id);
    let dimmed = sandbox
        .set_state(id, "on", json!({"brightness": 40}))
        .expect("set");
    assert_eq!(dimmed["attributes"]["brightness"], 40);
    assert_eq!(
        dimmed["attributes"]["friendly_name"], "Room 104 Main Light",
        "merged, not replaced"
    );
    assert_eq!(dimmed["last_changed"], before["last_changed"]);
    assert_ne!(dimmed["last_updated"], before["last_updated"]);
    assert_eq!(
        get(&sandbox, &format!("/api/states/{id}")).await,
        (200, dimmed.clone())
    );
    let unchanged = sandbox.set_state(id, "on", json!({})).expect("set");
    assert_eq!(unchanged, dimmed, "nothing changed, nothing moved");

    let off = sandbox
        .set_state(
            id,
            "off",
            json!({"brightness": null, "hs_color": null, "color_mode": null}),
        )
        .expect("set");
    assert_eq!(off["state"], "off");
    let on = changed_by(&sandbox, "light/turn_on", json!({"entity_id": id})).await;
    assert_eq!(
        on[0]["attributes"]["brightness"], 40,
        "the guest's last brightness"
    );
}

/// Bad ids and non-object attributes are refused; `reset` brings back the seeded devices.
#[tokio::test]
async fn set_state_refuses_nonsense_and_reset_reseeds() {
    let sandbox = common::start().await;
    assert_eq!(
        sandbox.set_state("Lobby Light", "on", json!({})),
        Err(SetStateError::InvalidEntityId("Lobby Light".into()))
    );
    assert_eq!(
        sandbox.set_state("light.lobby", "on", json!([1])),
        Err(SetStateError::AttributesNotAnObject)
    );
    let seeded = sandbox.states();
    sandbox
        .set_state("light.lobby", "on", json!({}))
        .expect("created");
    sandbox
        .set_state("cover.room_100_blinds", "closed", json!({"current_position": 0}))
        .expect("set");
    assert_eq!(sandbox.states().len(), 101);
    sandbox.reset();
    let reseeded = sandbox.states();
    assert_eq!(reseeded.len(), 100);
    let strip_times = |states: Vec<Value>| -> Vec<(Value, Value)> {
        states
            .into_iter()
            .map(|s| (s["entity_id"].clone(), s["state"].clone()))
            .collect()
    };
    assert_eq!(strip_times(reseeded), strip_times(seeded));
    assert_eq!(
        state(&sandbox, "cover.room_100_blinds")["attributes"]["current_position"],
        100
    );
}
