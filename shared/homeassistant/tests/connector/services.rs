//! Service calls: every call the hotel makes changes the device, repeats change nothing, and HA's
//! refusals come back as BadRequest.

use crate::common::{self, id, operations, scoped};
use dewy_homeassistant::{CoverState, HomeAssistantError, HvacMode, ServiceCall};

/// Turning a lamp on answers the lamp's new state, and the change reads back.
#[tokio::test]
async fn a_service_call_changes_the_state_it_answers() {
    let env = common::start().await;
    let (client, recorder) = scoped(&env.client);
    let lamp = id("light.room_101_bedside");
    let call = ServiceCall::LightOn {
        entity_id: lamp.clone(),
        brightness: Some(120),
        hs_color: None,
        effect: None,
    };
    let before = client.state(&lamp).await.expect("state");
    let changed = client.call(&call).await.expect("called");
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].entity_id, lamp);
    let light = changed[0].light().expect("a light");
    assert_eq!((light.on, light.brightness), (true, Some(120)));
    assert!(changed[0].last_changed > before.last_changed);
    assert_eq!(env.device_state("light.room_101_bedside"), "on");
    let read = client.state(&lamp).await.expect("state");
    assert_eq!(read, changed[0]);
    let names: Vec<String> = operations(&recorder).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["get state", "call light.turn_on", "get state"]);
}

/// Each call the hotel makes reaches its service and leaves the device as asked (an empty room,
/// 105: light off, thermostat off at 68, blinds closed, music mode Energic).
#[tokio::test]
async fn every_call_the_hotel_makes_does_what_it_says() {
    let env = common::start().await;
    let call = |call: ServiceCall| {
        let client = env.client.clone();
        async move {
            let changed = client.call(&call).await.expect("called");
            assert_eq!(changed.len(), 1, "{}: {changed:?}", call.name());
            changed.into_iter().next().expect("one state")
        }
    };
    let (light, thermostat, blinds) = (
        id("light.room_105_main"),
        id("climate.room_105"),
        id("cover.room_105_blinds"),
    );
    let on = call(ServiceCall::LightOn {
        entity_id: light.clone(),
        brightness: Some(200),
        hs_color: Some((240.0, 100.0)),
        effect: None,
    })
    .await;
    let lit = on.light().expect("a light");
    assert_eq!(
        (lit.on, lit.brightness, lit.hs_color),
        (true, Some(200), Some((240.0, 100.0)))
    );
    let off = call(ServiceCall::LightOff { entity_id: light }).await;
    assert_eq!(off.light().map(|l| (l.on, l.brightness)), Some((false, None)));
    let heat = call(ServiceCall::SetHvacMode {
        entity_id: thermostat.clone(),
        hvac_mode: HvacMode::Heat,
    })
    .await;
    assert_eq!(heat.climate().map(|c| c.mode), Some(HvacMode::Heat));
    let warm = call(ServiceCall::SetTemperature {
        entity_id: thermostat.clone(),
        temperature: 72.0,
        hvac_mode: None,
    })
    .await;
    assert_eq!(warm.climate().and_then(|c| c.target_temperature), Some(72.0));
    let cool = call(ServiceCall::SetTemperature {
        entity_id: thermostat,
        temperature: 70.0,
        hvac_mode: Some(HvacMode::Cool),
    })
    .await;
    let cool = cool.climate().expect("a thermostat");
    assert_eq!((cool.mode, cool.target_temperature), (HvacMode::Cool, Some(70.0)));
    let open = call(ServiceCall::OpenCover {
        entity_id: blinds.clone(),
    })
    .await;
    assert_eq!(
        open.cover().map(|c| (c.state, c.position)),
        Some((CoverState::Open, Some(100)))
    );
    let half = call(ServiceCall::SetCoverPosition {
        entity_id: blinds.clone(),
        position: 40,
    })
    .await;
    assert_eq!(half.cover().and_then(|c| c.position), Some(40));
    let closed = call(ServiceCall::CloseCover { entity_id: blinds }).await;
    assert_eq!(closed.cover().map(|c| c.state), Some(CoverState::Closed));
    let music = call(ServiceCall::SelectOption {
        entity_id: id("select.room_105_main_music"),
        option: "Day & Night".into(),
    })
    .await;
    assert_eq!(music.select().map(|s| s.option).as_deref(), Some("Day & Night"));
}

/// Calls set absolute states: the same call again changes nothing and answers an empty list.
#[tokio::test]
async fn repeating_a_call_changes_nothing() {
    let env = common::start().await;
    for call in [
        ServiceCall::SelectOption {
            entity_id: id("select.room_105_main_music"),
            option: "Rhythm".into(),
        },
        ServiceCall::LightOff {
            entity_id: id("light.room_101_main"),
        },
    ] {
        assert_eq!(env.client.call(&call).await.expect("called").len(), 1);
        let again = env.client.call(&call).await.expect("called again");
        assert!(again.is_empty(), "{again:?}");
    }
}

/// A thermostat target beyond its range is clamped by HA, not refused.
#[tokio::test]
async fn a_target_temperature_is_clamped_to_the_range() {
    let env = common::start().await;
    let call = ServiceCall::SetTemperature {
        entity_id: id("climate.room_101"),
        temperature: 99.0,
        hvac_mode: None,
    };
    let changed = env.client.call(&call).await.expect("called");
    let climate = changed[0].climate().expect("a thermostat");
    assert_eq!(climate.target_temperature, Some(climate.max_temp));
}

/// Data the service refuses is a BadRequest with HA's message, after one request each.
#[tokio::test]
async fn refused_data_is_a_bad_request_and_not_retried() {
    let env = common::start().await;
    let (client, recorder) = scoped(&env.client);
    let refusals = [
        ServiceCall::SelectOption {
            entity_id: id("select.room_105_main_music"),
            option: "Disco".into(),
        },
        ServiceCall::LightOn {
            entity_id: id("light.room_101_bedside"),
            brightness: None,
            hs_color: Some((240.0, 100.0)),
            effect: None,
        },
        ServiceCall::SetHvacMode {
            entity_id: id("climate.room_101"),
            hvac_mode: HvacMode::Dry,
        },
        ServiceCall::SetCoverPosition {
            entity_id: id("cover.room_101_blinds"),
            position: 101,
        },
    ];
    for call in &refusals {
        let error = client.call(call).await.expect_err("refused");
        assert!(
            matches!(&error, HomeAssistantError::BadRequest { message } if !message.is_empty()),
            "{}: {error:?}",
            call.name()
        );
        assert!(!error.is_retryable());
    }
    assert_eq!(env.sandbox.request_count(), 4);
    assert!(operations(&recorder).iter().all(|(_, ok)| !ok));
    assert_eq!(env.device_state("select.room_105_main_music"), "Energic");
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
