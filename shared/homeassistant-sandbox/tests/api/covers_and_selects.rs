//! `cover.*` (blinds that move at once) and `select.select_option` (the Govee music modes).

use serde_json::{Value, json};

use crate::common::{self, call, changed_by, refusal, state};

const BLINDS: &str = "cover.room_108_blinds";
const MUSIC: &str = "select.room_108_main_music";

/// Open, part-close, close: the state follows the position; stopping changes nothing.
#[tokio::test]
async fn blinds_move_at_once() {
    let sandbox = common::start().await;
    let opened = changed_by(&sandbox, "cover/open_cover", json!({"entity_id": BLINDS})).await;
    assert_eq!(
        (&opened[0]["state"], &opened[0]["attributes"]["current_position"]),
        (&json!("open"), &json!(100))
    );
    let part = changed_by(
        &sandbox,
        "cover/set_cover_position",
        json!({"entity_id": BLINDS, "position": 30}),
    )
    .await;
    assert_eq!(
        (&part[0]["state"], &part[0]["attributes"]["current_position"]),
        (&json!("open"), &json!(30))
    );
    assert_eq!(part[0]["last_changed"], opened[0]["last_changed"], "still open");
    assert!(
        changed_by(&sandbox, "cover/stop_cover", json!({"entity_id": BLINDS}))
            .await
            .is_empty()
    );
    let shut = changed_by(
        &sandbox,
        "cover/set_cover_position",
        json!({"entity_id": BLINDS, "position": 0}),
    )
    .await;
    assert_eq!(shut[0]["state"], "closed");
    assert!(
        changed_by(&sandbox, "cover/close_cover", json!({"entity_id": BLINDS}))
            .await
            .is_empty()
    );
    let wide = refusal(
        &sandbox,
        "cover/set_cover_position",
        json!({"entity_id": BLINDS, "position": 101}),
    )
    .await;
    assert_eq!(
        wide,
        "value must be at most 100 for dictionary value @ data['position']"
    );
}

/// `all` targets every entity of the domain; the ones that change share one context.
#[tokio::test]
async fn all_targets_every_entity_of_the_domain() {
    let sandbox = common::start().await;
    let closed = changed_by(&sandbox, "cover/close_cover", json!({"entity_id": "all"})).await;
    assert_eq!(closed.len(), 10, "only the occupied rooms' blinds were open");
    assert!(
        closed
            .iter()
            .all(|c| c["context"]["id"] == closed[0]["context"]["id"])
    );
    let states = sandbox.states();
    let blinds = states
        .iter()
        .filter(|s| s["entity_id"].as_str().is_some_and(|id| id.starts_with("cover.")));
    assert!(blinds.clone().all(|s| s["state"] == "closed"));
    assert_eq!(blinds.count(), 22);
}

/// An option from the list is selected; one not on it is refused with the list.
#[tokio::test]
async fn music_modes_are_picked_from_the_options() {
    let sandbox = common::start().await;
    let before = state(&sandbox, MUSIC);
    let rhythm = changed_by(
        &sandbox,
        "select/select_option",
        json!({"entity_id": MUSIC, "option": "Rhythm"}),
    )
    .await;
    assert_eq!(rhythm[0]["state"], "Rhythm");
    assert_ne!(rhythm[0]["last_changed"], before["last_changed"]);
    let again = changed_by(
        &sandbox,
        "select/select_option",
        json!({"entity_id": MUSIC, "option": "Rhythm"}),
    )
    .await;
    assert_eq!(again, Vec::<Value>::new());
    let disco = refusal(
        &sandbox,
        "select/select_option",
        json!({"entity_id": MUSIC, "option": "Disco"}),
    )
    .await;
    let valid = "Energic, Rhythm, Spectrum, Rolling, Separation, Hopping, Piano Keys, Fountain, \
                 Day & Night, Sprouting, Shiny";
    assert_eq!(
        disco,
        format!("Option Disco is not valid for entity {MUSIC}; valid options are {valid}")
    );
    assert_eq!(state(&sandbox, MUSIC)["state"], "Rhythm");
}

/// A body that is not a JSON object is refused before anything else, even for unknown services;
/// an empty body is no data.
#[tokio::test]
async fn service_data_must_be_a_json_object() {
    let sandbox = common::start().await;
    let raw = |service: &str, body: &'static str| {
        crate::common::authed(
            &sandbox,
            reqwest::Method::POST,
            &format!("/api/services/{service}"),
        )
        .body(body)
    };
    for (service, body) in [
        ("cover/open_cover", "{not json"),
        ("cover/open_cover", "[]"),
        ("nope/nope", "7"),
    ] {
        let answer = common::send(raw(service, body)).await;
        assert_eq!(
            answer,
            (400, json!({"message": "Data should be valid JSON."})),
            "{body}"
        );
    }
    assert_eq!(common::send(raw("cover/open_cover", "")).await, (200, json!([])));
    let unknown = call(&sandbox, "cover/fly", json!({})).await;
    assert_eq!(unknown, (400, json!({"message": "Service cover.fly not found."})));
}
