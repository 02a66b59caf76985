//! Reading: the API status, the instance, every state, one state; and refusals of reads.

use crate::common::{self, id, operations, scoped};
use dewy_connector::Backend;
use dewy_homeassistant::{CoverState, HomeAssistantError, HvacMode};

/// The API answers, and the call is recorded as one Home Assistant call.
#[tokio::test]
async fn the_api_is_running_and_the_call_is_recorded() {
    let env = common::start().await;
    let (client, recorder) = scoped(&env.client);
    client.api_status().await.expect("API running");
    let calls = recorder.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].backend, Backend::HomeAssistant);
    assert_eq!(operations(&recorder), [("api status".to_owned(), true)]);
    assert_eq!(recorder.summary().calls[&Backend::HomeAssistant], 1);
}

#[tokio::test]
async fn the_instance_says_its_temperature_unit() {
    let env = common::start().await;
    let instance = env.client.instance_config().await.expect("config");
    assert_eq!(instance.location_name, "Dewy Resort");
    assert_eq!(instance.temperature_unit(), "°F");
}

/// Every state of the hotel's 100 entities decodes, and each domain reads as its typed view.
#[tokio::test]
async fn every_state_reads_with_its_typed_view() {
    let env = common::start().await;
    let states = env.client.states().await.expect("states");
    assert_eq!(states.len(), 100);
    let views = |domain: &'static str| states.iter().filter(move |s| s.entity_id.domain() == domain);
    assert!(views("light").all(|s| s.light().is_some()));
    assert!(views("climate").all(|s| s.climate().is_some()));
    assert!(views("cover").all(|s| s.cover().is_some()));
    assert_eq!(views("select").filter_map(|s| s.select()).count(), 12);
    let find = |entity_id: &str| {
        states
            .iter()
            .find(|s| s.entity_id.as_str() == entity_id)
            .unwrap_or_else(|| panic!("{entity_id} is listed"))
    };
    let main = find("light.room_101_main").light().expect("a light");
    assert!(main.on && main.supports_color());
    assert_eq!((main.brightness, main.hs_color), (Some(180), Some((30.0, 60.0))));
    let bedside = find("light.room_101_bedside").light().expect("a light");
    assert!(!bedside.on && bedside.supports_brightness() && !bedside.supports_color());
    let thermostat = find("climate.room_101").climate().expect("a thermostat");
    assert_eq!(
        (thermostat.mode, thermostat.target_temperature),
        (HvacMode::Heat, Some(70.0))
    );
    let blinds = find("cover.room_101_blinds").cover().expect("a cover");
    assert_eq!((blinds.state, blinds.position), (CoverState::Open, Some(100)));
    let music = find("select.room_105_main_music").select().expect("a select");
    assert_eq!(music.option, "Energic");
    assert_eq!(music.options.len(), 11);
    assert_eq!(
        find("climate.room_101").friendly_name(),
        Some("Room 101 Thermostat")
    );
}

#[tokio::test]
async fn one_state_reads_by_its_id() {
    let env = common::start().await;
    let (client, recorder) = scoped(&env.client);
    let blinds = client.state(&id("cover.room_101_blinds")).await.expect("state");
    assert_eq!(blinds.entity_id.as_str(), "cover.room_101_blinds");
    assert_eq!(blinds.state, "open");
    assert_eq!(operations(&recorder), [("get state".to_owned(), true)]);
}

/// An unknown entity is NotFound after one request: a 404 is never retried.
#[tokio::test]
async fn an_unknown_entity_is_not_found() {
    let env = common::start().await;
    let (client, recorder) = scoped(&env.client);
    let error = client.state(&id("light.room_999_main")).await.expect_err("404");
    assert_eq!(error, HomeAssistantError::NotFound);
    assert!(!error.is_retryable());
    assert_eq!(env.sandbox.request_count(), 1);
    assert_eq!(operations(&recorder), [("get state".to_owned(), false)]);
}

/// A wrong token is Unauthorized after one request, and the token is in no error.
#[tokio::test]
async fn a_wrong_token_is_unauthorized() {
    let env = common::start_with(|mut config| {
        config.token = dewy_connector::Secret::new("wrong-token-value");
        config
    })
    .await;
    let error = env.client.states().await.expect_err("401");
    assert_eq!(error, HomeAssistantError::Unauthorized);
    assert_eq!((error.status(), error.is_retryable()), (Some(401), false));
    assert_eq!(env.sandbox.request_count(), 1);
    let shown = format!("{error} {error:?} {:?} {:?}", env.client, env.client.config());
    assert!(!shown.contains("wrong-token-value"), "{shown}");
}
