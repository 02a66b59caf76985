//! The seeded devices and their state objects.

use std::collections::BTreeMap;

use chrono::DateTime;
use serde_json::{Value, json};

use crate::common::{self, get};

/// 100 entities: four devices in each of the 22 rooms and a music-mode select beside each of the
/// 12 Govee lights; every one named after its room. The handle sees what the API serves.
#[tokio::test]
async fn the_hotel_has_a_hundred_seeded_entities() {
    let sandbox = common::start().await;
    let (status, states) = get(&sandbox, "/api/states").await;
    assert_eq!(status, 200);
    let states = states.as_array().cloned().expect("an array");
    assert_eq!(states.len(), 100);
    let mut per_domain = BTreeMap::new();
    for state in &states {
        let id = state["entity_id"].as_str().expect("an id");
        *per_domain
            .entry(id.split('.').next().expect("a domain"))
            .or_insert(0) += 1;
    }
    let expected = BTreeMap::from([("climate", 22), ("cover", 22), ("light", 44), ("select", 12)]);
    assert_eq!(per_domain, expected);
    let rooms = (100..=110).chain(200..=210);
    for room in rooms {
        for id in [
            format!("light.room_{room}_main"),
            format!("light.room_{room}_bedside"),
            format!("climate.room_{room}"),
            format!("cover.room_{room}_blinds"),
        ] {
            assert!(states.iter().any(|s| s["entity_id"] == id.as_str()), "{id}");
        }
        let music = format!("select.room_{room}_main_music");
        let govee = room % 100 >= 5;
        assert_eq!(sandbox.state(&music).is_some(), govee, "{music}");
    }
    assert_eq!(sandbox.states(), states);
}

/// Occupied rooms are lit, heated and open; the others dark, off and closed.
#[tokio::test]
async fn seeded_states_match_the_rooms_occupancy() {
    let sandbox = common::start().await;
    let read = |id: &str| sandbox.state(id).unwrap_or_else(|| panic!("{id}"));
    let lit = read("light.room_101_main");
    assert_eq!(lit["state"], "on");
    let lit_attributes = json!({
        "friendly_name": "Room 101 Main Light",
        "supported_color_modes": ["hs"],
        "supported_features": 0,
        "color_mode": "hs",
        "brightness": 180,
        "hs_color": [30.0, 60.0],
    });
    assert_eq!(lit["attributes"], lit_attributes);
    let dark = read("light.room_205_main");
    assert_eq!(dark["state"], "off");
    for name in ["color_mode", "brightness", "hs_color"] {
        assert_eq!(dark["attributes"][name], Value::Null, "{name}");
    }
    assert!(
        dark["attributes"].get("effect_list").is_none(),
        "Govee effects live on the select"
    );
    let lamp = read("light.room_101_bedside");
    assert_eq!(lamp["attributes"]["supported_color_modes"], json!(["brightness"]));
    assert_eq!(lamp["attributes"]["friendly_name"], "Room 101 Bedside Lamp");
    let music = read("select.room_205_main_music");
    assert_eq!(music["state"], "Energic");
    assert_eq!(music["attributes"]["options"].as_array().map(Vec::len), Some(11));
    assert_eq!(
        music["attributes"]["friendly_name"],
        "Room 205 Main Light Music Mode"
    );
    let heated = read("climate.room_204");
    assert_eq!(
        (&heated["state"], &heated["attributes"]["temperature"]),
        (&json!("heat"), &json!(70))
    );
    assert_eq!(heated["attributes"]["hvac_modes"], json!(["heat", "cool", "off"]));
    assert_eq!(heated["attributes"]["supported_features"], 385);
    let cold = read("climate.room_110");
    assert_eq!(
        (&cold["state"], &cold["attributes"]["temperature"]),
        (&json!("off"), &json!(68))
    );
    let open = read("cover.room_200_blinds");
    assert_eq!(
        (&open["state"], &open["attributes"]["current_position"]),
        (&json!("open"), &json!(100))
    );
    let closed = read("cover.room_210_blinds");
    assert_eq!(
        (&closed["state"], &closed["attributes"]["current_position"]),
        (&json!("closed"), &json!(0))
    );
}

/// A state object has Home Assistant's six fields, its times ISO 8601 with microseconds and an
/// explicit UTC offset, its context a ULID-shaped id.
#[tokio::test]
async fn state_objects_have_home_assistants_shape() {
    let sandbox = common::start().await;
    let (status, state) = get(&sandbox, "/api/states/cover.room_103_blinds").await;
    assert_eq!(status, 200);
    let mut keys: Vec<&str> = state
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let expected = [
        "attributes",
        "context",
        "entity_id",
        "last_changed",
        "last_updated",
        "state",
    ];
    assert_eq!(keys, expected);
    for field in ["last_changed", "last_updated"] {
        let time = state[field].as_str().expect("a string");
        assert!(DateTime::parse_from_rfc3339(time).is_ok(), "{time}");
        assert!(time.ends_with("+00:00"), "{time}");
        let fraction = time.split('.').nth(1).expect("a fraction");
        assert_eq!(fraction.len(), "123456+00:00".len(), "{time}");
    }
    let context = &state["context"];
    assert_eq!(context["id"].as_str().map(str::len), Some(26));
    assert_eq!(
        (&context["parent_id"], &context["user_id"]),
        (&Value::Null, &Value::Null)
    );
}

/// An unknown entity is a 404 with Home Assistant's message.
#[tokio::test]
async fn unknown_entities_are_not_found() {
    let sandbox = common::start().await;
    let answer = get(&sandbox, "/api/states/light.room_999_main").await;
    assert_eq!(answer, (404, json!({"message": "Entity not found."})));
}
