//! Room controls end to end: the tools through the invoke path, Salesforce (who is checked in
//! where) and the Home Assistant sandbox (the devices), asserting the devices' state in the
//! sandbox and the round trips.

use crate::skills_support::error_code;
use dewy_e2e::{Ran, World, guest, maintenance};
use dewy_homeassistant_sandbox::{Fault, FaultRule, Latency};
use dewy_tools::room_controls::devices::DeviceState;
use dewy_tools::room_controls::{
    ControlLight, HomeAssistantHealth, ListRoomDevices, SetBlinds, SetThermostat,
};
use serde_json::{Value, json};
use std::time::Duration;

/// Checked into room 101.
const BRIAN: &str = "guest2@hotel.com";
/// Checked into room 100, until a test checks her out.
const ALICE: &str = "guest1@hotel.com";
/// Holds a reservation for room 105, not checked in.
const KAY: &str = "kay@example.com";

fn token(n: u128) -> String {
    dewy_e2e::uuid_v4_from(0x5eed_0000 + n)
}

/// The sandbox's state object of `entity`.
fn ha_state(world: &World, entity: &str) -> Value {
    world
        .home_assistant
        .state(entity)
        .unwrap_or_else(|| panic!("{entity} is in the sandbox"))
}

/// The service calls the Home Assistant sandbox received.
fn service_calls(world: &World) -> Vec<String> {
    world
        .home_assistant
        .request_log()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/services/"))
        .map(|r| r.path)
        .collect()
}

/// A guest lists the four devices of the room they are checked into, in one round trip (their
/// stay and Home Assistant's states read at once).
#[tokio::test]
async fn a_guest_lists_the_devices_of_their_room() {
    let world = World::start().await;
    let Ran { output, invocation } = world.run::<ListRoomDevices>(guest(BRIAN), json!({})).await;
    assert_eq!(output.room_number.as_deref(), Some("101"));
    let ids: Vec<&str> = output.devices.iter().map(|d| d.device_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "climate.room_101",
            "cover.room_101_blinds",
            "light.room_101_bedside",
            "light.room_101_main"
        ]
    );
    let main = &output.devices[3];
    let DeviceState::Light(light) = &main.state else {
        panic!("a light: {main:?}");
    };
    assert!(light.on, "an occupied room's main light is on");
    assert_eq!(light.features, ["brightness", "color"]);
    assert_eq!(
        invocation.calls.sequential_round_trips, 1,
        "{:?}",
        invocation.calls
    );
    assert_eq!(invocation.calls.total_calls, 2, "the stay and the states");
}

/// Staff list every device of the hotel in one Home Assistant request: 22 rooms, 4 devices each.
#[tokio::test]
async fn staff_list_the_whole_hotel_in_one_request() {
    let world = World::start().await;
    let Ran { output, invocation } = world.run::<ListRoomDevices>(maintenance(), json!({})).await;
    assert_eq!(output.room_number, None);
    assert_eq!(output.devices.len(), 88);
    assert_eq!(invocation.calls.total_calls, 1, "{:?}", invocation.calls);
    let health = world
        .run::<HomeAssistantHealth>(maintenance(), json!({}))
        .await
        .output;
    assert!(health.reachable);
    assert_eq!((health.devices, health.rooms, health.entities), (88, 22, 100));
}

/// A guest dims their light to a colour: the sandbox's light changes, the answer is its new
/// state, in two sequential round trips, with the change on the audit trail.
#[tokio::test]
async fn a_guest_dims_their_light_in_two_round_trips() {
    let world = World::start().await;
    let Ran { output, invocation } = world
        .run::<ControlLight>(
            guest(BRIAN),
            json!({ "device_id": "light.room_101_main", "brightness_pct": 40, "color": "Warm White",
                    "idempotency_token": token(1) }),
        )
        .await;
    let DeviceState::Light(light) = &output.state else {
        panic!("a light: {output:?}");
    };
    assert!(light.on);
    assert_eq!(light.brightness_pct, Some(40));
    assert_eq!((light.hue, light.saturation), (Some(35.0), Some(45.0)));
    let state = ha_state(&world, "light.room_101_main");
    assert_eq!(state["state"], "on");
    assert_eq!(state["attributes"]["brightness"], 102);
    assert_eq!(state["attributes"]["hs_color"], json!([35.0, 45.0]));
    assert_eq!(
        invocation.calls.sequential_round_trips, 2,
        "{:?}",
        invocation.calls
    );
    assert_eq!(service_calls(&world), ["/api/services/light/turn_on"]);

    // The same token again is the same command: replayed, nothing sent.
    let again = world
        .call(
            "control_light",
            guest(BRIAN),
            json!({ "device_id": "light.room_101_main", "brightness_pct": 40, "color": "Warm White",
                    "idempotency_token": token(1) }),
        )
        .await;
    assert!(again.replayed);
    assert_eq!(service_calls(&world).len(), 1);

    let off = world
        .run::<ControlLight>(
            guest(BRIAN),
            json!({ "device_id": "light.room_101_main", "power": "off", "idempotency_token": token(2) }),
        )
        .await;
    assert!(matches!(&off.output.state, DeviceState::Light(l) if !l.on));
    assert_eq!(ha_state(&world, "light.room_101_main")["state"], "off");
}

/// What a light cannot do is refused before Home Assistant is asked, naming what it can do.
#[tokio::test]
async fn a_light_is_asked_only_what_it_can_do() {
    let world = World::start().await;
    let bedside_colour = world
        .call(
            "control_light",
            guest(BRIAN),
            json!({ "device_id": "light.room_101_bedside", "color": "Red", "idempotency_token": token(3) }),
        )
        .await;
    let body = bedside_colour.body();
    assert_eq!(
        (bedside_colour.http_status(), error_code(&body)),
        (400, "FEATURE_NOT_SUPPORTED"),
        "{body}"
    );
    assert_eq!(body["details"]["features"], json!(["brightness"]));
    let effect = world
        .call(
            "control_light",
            guest(BRIAN),
            json!({ "device_id": "light.room_101_main", "effect": "Rhythm", "idempotency_token": token(4) }),
        )
        .await;
    assert_eq!(
        error_code(&effect.body()),
        "FEATURE_NOT_SUPPORTED",
        "{}",
        effect.body()
    );
    for (arguments, field) in [
        (json!({ "brightness_pct": 0 }), "brightness_pct"),
        (json!({ "hue": 400, "saturation": 50 }), "hue"),
        (json!({ "power": "off", "brightness_pct": 20 }), "power off"),
        (json!({}), "power"),
    ] {
        let mut arguments = arguments;
        arguments["device_id"] = json!("light.room_101_main");
        arguments["idempotency_token"] = json!(token(5));
        let refused = world.call("control_light", guest(BRIAN), arguments).await;
        let body = refused.body();
        assert_eq!(refused.http_status(), 400, "{body}");
        assert!(
            body["error_message"].as_str().unwrap().contains(field),
            "{field}: {body}"
        );
    }
    let wrong_kind = world
        .call(
            "set_thermostat",
            guest(BRIAN),
            json!({ "device_id": "light.room_101_main", "mode": "heat", "idempotency_token": token(16) }),
        )
        .await;
    let body = wrong_kind.body();
    assert_eq!(
        (wrong_kind.http_status(), error_code(&body)),
        (400, "VALIDATION_ERROR"),
        "{body}"
    );
    assert!(
        body["error_message"].as_str().unwrap().contains("climate"),
        "{body}"
    );
    assert!(service_calls(&world).is_empty());
}

/// Staff play an effect on a Govee light (through its music-mode companion): the light is on and
/// the companion plays it; and on a light with effects of its own.
#[tokio::test]
async fn staff_play_an_effect() {
    let world = World::start().await;
    let output = world
        .run::<ControlLight>(
            maintenance(),
            json!({ "device_id": "light.room_105_main", "effect": "rhythm", "idempotency_token": token(6) }),
        )
        .await
        .output;
    let DeviceState::Light(light) = &output.state else {
        panic!("a light: {output:?}");
    };
    assert_eq!((light.on, light.effect.as_deref()), (true, Some("Rhythm")));
    assert_eq!(ha_state(&world, "select.room_105_main_music")["state"], "Rhythm");
    assert_eq!(ha_state(&world, "light.room_105_main")["state"], "on");

    // A light with an effect list of its own takes the effect in its turn-on.
    world
        .home_assistant
        .set_state(
            "light.room_102_main",
            "off",
            json!({ "effect_list": ["Rainbow", "Candle"], "supported_features": 4 }),
        )
        .unwrap();
    let output = world
        .run::<ControlLight>(
            maintenance(),
            json!({ "device_id": "light.room_102_main", "effect": "candle", "idempotency_token": token(15) }),
        )
        .await
        .output;
    assert!(
        matches!(&output.state, DeviceState::Light(l) if l.on && l.effect.as_deref() == Some("Candle")),
        "{output:?}"
    );
    assert_eq!(
        ha_state(&world, "light.room_102_main")["attributes"]["effect"],
        "Candle"
    );
}

/// The thermostat takes °F or °C within 60–85 °F; the blinds a position.
#[tokio::test]
async fn a_guest_sets_the_thermostat_and_the_blinds() {
    let world = World::start().await;
    let output = world
        .run::<SetThermostat>(
            guest(BRIAN),
            json!({ "device_id": "climate.room_101", "temperature": 21, "unit": "C", "mode": "cool",
                    "idempotency_token": token(7) }),
        )
        .await
        .output;
    assert!(
        matches!(&output.state, DeviceState::Thermostat(t) if t.target_f == Some(70.0) && t.mode == "cool"),
        "{output:?}"
    );
    let state = ha_state(&world, "climate.room_101");
    assert_eq!(
        (
            state["state"].as_str(),
            state["attributes"]["temperature"].as_f64()
        ),
        (Some("cool"), Some(70.0))
    );

    let too_hot = world
        .call(
            "set_thermostat",
            guest(BRIAN),
            json!({ "device_id": "climate.room_101", "temperature": 90, "idempotency_token": token(8) }),
        )
        .await;
    let body = too_hot.body();
    assert_eq!(
        (too_hot.http_status(), error_code(&body)),
        (400, "VALIDATION_ERROR"),
        "{body}"
    );
    assert!(body["error_message"].as_str().unwrap().contains("60"), "{body}");

    let blinds = world
        .run::<SetBlinds>(
            guest(BRIAN),
            json!({ "device_id": "cover.room_101_blinds", "position": 30, "idempotency_token": token(9) }),
        )
        .await
        .output;
    assert!(
        matches!(&blinds.state, DeviceState::Blinds(b) if b.position == Some(30)),
        "{blinds:?}"
    );
    assert_eq!(
        ha_state(&world, "cover.room_101_blinds")["attributes"]["current_position"],
        30
    );
}

/// Another room's device, any device while not checked in, the device of a room the guest has
/// checked out of, and a device that does not exist get one and the same refusal, and nothing is
/// sent to Home Assistant.
#[tokio::test]
async fn another_rooms_device_is_refused_like_one_that_does_not_exist() {
    let world = World::start().await;
    // Alice (guest1, room 100) checks out: her room's devices are no longer hers.
    let checkout = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            json!({ "guest_name": "Alice Johnson", "payment_method_id": "pm_card_visa",
                    "idempotency_token": token(14) }),
        )
        .await;
    assert_eq!(checkout.http_status(), 200, "{}", checkout.body());
    // Every command × another room's device, no such device (in no room, or in the guest's own),
    // any device while not checked in, and the device of the room the guest checked out of.
    let commands = [
        ("control_light", "light", "main", json!({ "power": "on" })),
        ("set_thermostat", "climate", "", json!({ "mode": "heat" })),
        ("set_blinds", "cover", "blinds", json!({ "action": "open" })),
    ];
    for (tool, kind, suffix, arguments) in commands {
        let device = |room: &str| {
            if suffix.is_empty() {
                format!("{kind}.room_{room}")
            } else {
                format!("{kind}.room_{room}_{suffix}")
            }
        };
        let mut answers = Vec::new();
        for (caller, device) in [
            (BRIAN, device("102")),
            (BRIAN, device("999")),
            (BRIAN, format!("{kind}.room_101_nothing")),
            (KAY, device("105")),
            (ALICE, device("100")),
        ] {
            let mut arguments = arguments.clone();
            arguments["device_id"] = json!(device);
            arguments["idempotency_token"] = json!(token(10));
            let invocation = world.call(tool, guest(caller), arguments).await;
            let body = invocation.body().to_string().replace(&device, "<device>");
            answers.push((invocation.http_status(), body));
        }
        assert_eq!(answers[0].0, 404, "{tool}: {:?}", answers[0]);
        assert!(
            answers[0].1.contains("DEVICE_NOT_FOUND"),
            "{tool}: {:?}",
            answers[0]
        );
        assert!(answers.iter().all(|a| a == &answers[0]), "{tool}: {answers:#?}");
    }
    assert!(service_calls(&world).is_empty());
    for caller in [KAY, ALICE] {
        let not_checked_in = world.call("list_room_devices", guest(caller), json!({})).await;
        assert_eq!(error_code(&not_checked_in.body()), "NOT_CHECKED_IN", "{caller}");
    }
    let another_room = world
        .call("list_room_devices", guest(BRIAN), json!({ "room_number": "102" }))
        .await;
    let no_room = world
        .call("list_room_devices", guest(BRIAN), json!({ "room_number": "999" }))
        .await;
    assert_eq!(
        another_room.body().to_string().replace("102", "<room>"),
        no_room.body().to_string().replace("999", "<room>")
    );
    assert_eq!(error_code(&another_room.body()), "DEVICE_NOT_FOUND");
}

/// Home Assistant down is a clear 503, never a made-up answer, and the health check says so.
#[tokio::test]
async fn an_unreachable_home_assistant_is_a_clear_error() {
    let world = World::start().await;
    world.home_assistant.add_fault(FaultRule::new(Fault::ServerError));
    let down = world
        .call(
            "set_blinds",
            guest(BRIAN),
            json!({ "device_id": "cover.room_101_blinds", "action": "open", "idempotency_token": token(11) }),
        )
        .await;
    assert_eq!(
        (down.http_status(), error_code(&down.body())),
        (503, "HOME_ASSISTANT_UNAVAILABLE"),
        "{}",
        down.body()
    );
    let health = world
        .run::<HomeAssistantHealth>(maintenance(), json!({}))
        .await
        .output;
    assert_eq!(
        (health.reachable, health.problem.as_deref()),
        (false, Some("HOME_ASSISTANT_UNAVAILABLE"))
    );
}

/// Home Assistant too slow for the deadline is a 504 when the deadline passes, not a hang.
#[tokio::test]
async fn a_slow_home_assistant_is_a_timeout_within_the_deadline() {
    let world = World::start().await;
    world
        .home_assistant
        .set_latency(Some(Latency::fixed(Duration::from_secs(30))));
    let slow = dewy_e2e::call_within(
        &world.backends,
        "list_room_devices",
        maintenance(),
        json!({}),
        Duration::from_secs(2),
    )
    .await;
    assert_eq!(
        (slow.http_status(), error_code(&slow.body())),
        (504, "HOME_ASSISTANT_TIMEOUT"),
        "{}",
        slow.body()
    );
    assert!(slow.duration < Duration::from_secs(3), "{:?}", slow.duration);
}

/// A command applied whose answer was lost is repeated by the connector, and Home Assistant then
/// reports no change: the answer is still the device's new state, read again, not the old one.
#[tokio::test]
async fn a_lost_answer_still_answers_the_new_state() {
    let world = World::start().await;
    world.home_assistant.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/api/services/cover/set_cover_position")
            .times(1)
            .after_handling(),
    );
    let blinds = world
        .run::<SetBlinds>(
            guest(BRIAN),
            json!({ "device_id": "cover.room_101_blinds", "position": 70, "idempotency_token": token(12) }),
        )
        .await;
    assert!(
        matches!(&blinds.output.state, DeviceState::Blinds(b) if b.position == Some(70)),
        "{:?}",
        blinds.output
    );
    assert_eq!(
        ha_state(&world, "cover.room_101_blinds")["attributes"]["current_position"],
        70
    );
    assert_eq!(service_calls(&world).len(), 2, "applied, answer lost, repeated");

    // A command that changes nothing is answered from the state read before it, with no read after.
    world.home_assistant.reset_stats();
    let again = world
        .run::<SetBlinds>(
            guest(BRIAN),
            json!({ "device_id": "cover.room_101_blinds", "position": 70, "idempotency_token": token(13) }),
        )
        .await;
    assert!(matches!(&again.output.state, DeviceState::Blinds(b) if b.position == Some(70)));
    assert_eq!(
        again.invocation.calls.sequential_round_trips, 2,
        "{:?}",
        again.invocation.calls
    );
}
