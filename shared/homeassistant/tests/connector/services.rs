//! Service calls: state changes, repeats, HA's refusals.

use crate::common::{self, id, operations, scoped};
use dewy_homeassistant::{HomeAssistantError, ServiceCall};
use serde_json::json;

/// Turning a lamp on sends the call's body, answers the lamp's new state, and the change reads back.
#[tokio::test]
async fn a_service_call_changes_the_state_it_answers() {
    let env = common::start().await;
    let (client, recorder) = scoped(&env.client);
    let lamp = id("light.room_101_bedside");
    let call = ServiceCall::LightOn {
        entity_id: lamp.clone(),
        brightness: Some(120),
        hs_color: None,
    };
    let changed = client.call(&call).await.expect("called");
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].entity_id, lamp);
    let light = changed[0].light().expect("a light");
    assert_eq!((light.on, light.brightness), (true, Some(120)));
    assert!(changed[0].last_changed > chrono::DateTime::UNIX_EPOCH);
    assert_eq!(env.ha.calls(), [("light.turn_on".to_owned(), call.data())]);
    let read = client.state(&lamp).await.expect("state");
    assert_eq!(read.light().and_then(|l| l.brightness), Some(120));
    let operations = operations(&recorder);
    assert_eq!(operations[0], ("call light.turn_on".to_owned(), true));
}

/// Calls set absolute states: the same call again changes nothing and answers an empty list.
#[tokio::test]
async fn repeating_a_call_changes_nothing() {
    let env = common::start().await;
    let call = ServiceCall::SelectOption {
        entity_id: id("select.room_105_main_music"),
        option: "Day & Night".into(),
    };
    let first = env.client.call(&call).await.expect("called");
    assert_eq!(
        first[0].select().map(|s| s.option).as_deref(),
        Some("Day & Night")
    );
    let again = env.client.call(&call).await.expect("called again");
    assert!(again.is_empty(), "{again:?}");
    let off = ServiceCall::LightOff {
        entity_id: id("light.room_101_main"),
    };
    assert_eq!(env.client.call(&off).await.expect("off").len(), 1);
    assert!(env.client.call(&off).await.expect("off again").is_empty());
}

/// A thermostat target beyond its range is clamped by HA, not refused.
#[tokio::test]
async fn a_target_temperature_is_clamped_to_the_range() {
    let env = common::start().await;
    let call = ServiceCall::SetTemperature {
        entity_id: id("climate.room_101"),
        temperature: 99.0,
    };
    let changed = env.client.call(&call).await.expect("called");
    let climate = changed[0].climate().expect("a thermostat");
    assert_eq!(climate.target_temperature, Some(climate.max_temp));
}

/// Data the service refuses is a BadRequest with HA's message, after one request.
#[tokio::test]
async fn refused_data_is_a_bad_request_and_not_retried() {
    let env = common::start().await;
    let (client, recorder) = scoped(&env.client);
    let disco = ServiceCall::SelectOption {
        entity_id: id("select.room_105_main_music"),
        option: "Disco".into(),
    };
    let error = client.call(&disco).await.expect_err("unknown option");
    assert!(
        matches!(&error, HomeAssistantError::BadRequest { message } if message.contains("Disco")),
        "{error:?}"
    );
    assert_eq!((error.status(), error.is_retryable()), (Some(400), false));
    let colour = ServiceCall::LightOn {
        entity_id: id("light.room_101_bedside"),
        brightness: None,
        hs_color: Some((240.0, 100.0)),
    };
    let error = client.call(&colour).await.expect_err("no colour");
    assert_eq!(error.status(), Some(400));
    assert_eq!(env.ha.request_count(), 2);
    assert_eq!(
        operations(&recorder),
        [
            ("call select.select_option".to_owned(), false),
            ("call light.turn_on".to_owned(), false)
        ]
    );
}

/// A service the stand-in lacks is a BadRequest naming it.
#[tokio::test]
async fn an_unknown_service_is_a_bad_request() {
    let env = common::start().await;
    let call = ServiceCall::SetHvacMode {
        entity_id: id("climate.room_101"),
        hvac_mode: dewy_homeassistant::HvacMode::Cool,
    };
    let error = env.client.call(&call).await.expect_err("unknown");
    assert_eq!(
        error,
        HomeAssistantError::BadRequest {
            message: "Service climate.set_hvac_mode not found.".into()
        }
    );
    assert_eq!(
        env.ha.calls()[0].1,
        json!({"entity_id": "climate.room_101", "hvac_mode": "cool"})
    );
}

/// HA ignores an entity it does not have: nothing changes, and that is not an error.
#[tokio::test]
async fn an_unknown_entity_changes_nothing() {
    let env = common::start().await;
    let call = ServiceCall::CloseCover {
        entity_id: id("cover.room_999_blinds"),
    };
    assert!(env.client.call(&call).await.expect("answered").is_empty());
}
