//! SMS notifications end to end: the check-in welcome to guests who prefer SMS and the on-call text
//! for maintenance. The tools queue the text on the local outbox and answer; the in-process
//! notifier sends it through the production Twilio connector to the Twilio sandbox. A notification
//! never fails or slows its tool; the output says it was queued (or why not). Delivery itself (once
//! per id, retries, refusals) is tested in `dewy-notifier`, the SQS path against moto in
//! `sms_queue.rs`.

use dewy_connector::Backend;
use dewy_e2e::{World, guest, maintenance};
use dewy_local::ON_CALL_NUMBER;
use dewy_twilio_sandbox::{Fault, FaultRule};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const KAY: &str = "kay@example.com";
const KAY_MOBILE: &str = "+15550200142";

/// Makes Kay (whose booking in room 105 is due today) prefer SMS, with `mobile` as her mobile.
fn kay_prefers_sms(world: &World, mobile: Option<&str>) {
    world.prefers_sms(KAY, mobile);
}

async fn check_in_kay(world: &World) -> Value {
    let invocation = world.call("check_in_guest", guest(KAY), json!({})).await;
    invocation
        .result
        .unwrap_or_else(|e| panic!("check-in succeeds: {e:?}"))
}

/// A guest who prefers SMS is texted once, after the check-in is written, with their first name,
/// room and booking number only. The tool only queues the text: its two Salesforce round trips stay
/// two and Twilio is not called on its path; the output says `queued`, to a masked number, with the
/// text's id. The in-process notifier then sends it.
#[tokio::test]
async fn an_sms_guest_is_welcomed_by_text_after_check_in() {
    let world = World::start().await;
    kay_prefers_sms(&world, Some(KAY_MOBILE));

    let invocation = world.call("check_in_guest", guest(KAY), json!({})).await;

    let output = invocation.result.as_ref().unwrap();
    let notification = &output["notification"];
    assert_eq!(notification["channel"], "sms");
    assert_eq!(notification["status"], "queued", "{notification}");
    assert_eq!(notification["to"], "+1••••••0142");
    let id = notification["id"].as_str().unwrap();
    assert!(id.starts_with("check_in_guest#") && id.ends_with(":sms"), "{id}");
    let calls = &invocation.calls;
    assert_eq!(calls.calls.get(&Backend::Twilio), None, "{calls:?}");
    assert_eq!((calls.total_calls, calls.sequential_round_trips), (3, 2));

    let messages = texts(&world, 1).await;
    assert_eq!(messages[0].to, KAY_MOBILE);
    let booking = output["booking_number"].as_str().unwrap();
    assert_eq!(
        messages[0].body,
        format!(
            "Welcome, Kay! You're checked in to room 105 (booking {booking}). Enjoy your stay at Dewy Resort."
        )
    );
}

/// Waits (up to 6 s) until `reached` holds, then a little longer, so that whatever should not
/// follow has had its chance to.
async fn settle(reached: impl Fn() -> bool) {
    let start = Instant::now();
    while !reached() && start.elapsed() < Duration::from_secs(6) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Waits for the Twilio sandbox to hold `n` texts, and checks no more follow; returns them.
async fn texts(world: &World, n: usize) -> Vec<dewy_twilio_sandbox::SentMessage> {
    settle(|| world.twilio.messages().len() >= n).await;
    let messages = world.twilio.messages();
    assert_eq!(messages.len(), n, "texts sent");
    messages
}

/// Waits until Twilio has been asked `n` times, and checks it is not asked again.
async fn twilio_requests(world: &World, n: u64) {
    settle(|| world.twilio.request_count() >= n).await;
    assert_eq!(world.twilio.request_count(), n, "requests to Twilio");
}

/// A guest who prefers email is not texted, and the check-in costs what it did before.
#[tokio::test]
async fn an_email_guest_is_not_texted() {
    let world = World::start().await;

    let invocation = world.call("check_in_guest", guest(KAY), json!({})).await;

    let notification = &invocation.result.as_ref().unwrap()["notification"];
    assert_eq!(notification["status"], "skipped");
    assert!(
        notification["reason"].as_str().unwrap().contains("Email"),
        "{notification}"
    );
    assert!(world.twilio.messages().is_empty());
    assert_eq!(
        (
            invocation.calls.total_calls,
            invocation.calls.sequential_round_trips
        ),
        (3, 2)
    );
}

/// An SMS guest without any number is skipped, saying why.
#[tokio::test]
async fn an_sms_guest_without_a_number_is_skipped() {
    let world = World::start().await;
    kay_prefers_sms(&world, None);

    let output = check_in_kay(&world).await;

    assert_eq!(output["notification"]["status"], "skipped");
    assert!(
        output["notification"]["reason"]
            .as_str()
            .unwrap()
            .contains("no mobile")
    );
    assert!(world.twilio.messages().is_empty());
}

/// A number Twilio refuses (not SMS-capable, invalid) is refused after the check-in answered: the
/// check-in stands, and the notifier tries it once (a refused number is not retried).
#[tokio::test]
async fn a_rejected_number_does_not_fail_the_check_in() {
    for number in ["+15005550009", "+15005550001"] {
        let world = World::start().await;
        kay_prefers_sms(&world, Some(number));

        let output = check_in_kay(&world).await;

        assert_eq!(output["already_checked_in"], false);
        assert_eq!(output["notification"]["status"], "queued", "{number}");
        twilio_requests(&world, 1).await;
        assert!(world.twilio.messages().is_empty());
        let booking =
            world.one("SELECT Status__c FROM Booking__c WHERE External_ID__c = 'seed-booking-kay-1'");
        assert_eq!(booking["Status__c"], "Checked In");
    }
}

/// A number on file that is not a phone number is reported rejected by the tool itself: nothing is
/// queued.
#[tokio::test]
async fn a_number_not_in_international_form_is_rejected_at_once() {
    let world = World::start().await;
    kay_prefers_sms(&world, Some("555-0142"));

    let output = check_in_kay(&world).await;

    assert_eq!(
        output["notification"]["status"], "rejected",
        "{}",
        output["notification"]
    );
    twilio_requests(&world, 0).await;
}

/// Twilio hanging costs the check-in nothing: it answers at Salesforce's pace with the text queued.
/// Twilio refusing texts for a while (rate limiting) delays the text, which the notifier retries
/// until Twilio takes it; it is sent once.
#[tokio::test]
async fn twilio_faults_do_not_touch_the_check_in_and_are_retried() {
    let world = World::start().await;
    kay_prefers_sms(&world, Some(KAY_MOBILE));
    world
        .twilio
        .add_fault(FaultRule::new(Fault::Timeout).path("/Messages.json"));

    let invocation = world.call("check_in_guest", guest(KAY), json!({})).await;

    assert_eq!(
        invocation.result.as_ref().unwrap()["notification"]["status"],
        "queued"
    );
    assert!(
        invocation.duration < Duration::from_millis(500),
        "not waiting on Twilio: {:?}",
        invocation.duration
    );

    let world = World::start().await;
    kay_prefers_sms(&world, Some(KAY_MOBILE));
    world
        .twilio
        .add_fault(FaultRule::new(Fault::RateLimited).path("/Messages.json").times(2));

    let output = check_in_kay(&world).await;

    assert_eq!(output["notification"]["status"], "queued");
    texts(&world, 1).await;
    assert_eq!(world.twilio.request_count(), 3, "two refusals, then the text");
}

/// A repeat check-in (after the replay window) does not text the guest again.
#[tokio::test]
async fn a_repeat_check_in_does_not_text_again() {
    let mut world = World::start().await;
    kay_prefers_sms(&world, Some(KAY_MOBILE));
    check_in_kay(&world).await;
    texts(&world, 1).await;
    world.forget_idempotency_records();

    let again = check_in_kay(&world).await;

    assert_eq!(again["already_checked_in"], true);
    assert_eq!(again["notification"]["status"], "skipped");
    texts(&world, 1).await;
}

/// A check-in whose write fails texts nobody: a message never announces what did not happen.
#[tokio::test]
async fn a_failed_check_in_texts_nobody() {
    let world = World::start().await;
    kay_prefers_sms(&world, Some(KAY_MOBILE));
    world.sandbox.add_fault(
        dewy_salesforce_sandbox::FaultRule::new(dewy_salesforce_sandbox::Fault::ServerError)
            .path("/composite"),
    );

    let invocation = world.call("check_in_guest", guest(KAY), json!({})).await;

    assert!(invocation.result.is_err());
    twilio_requests(&world, 0).await;
}

/// A maintenance request texts the on-call number with the priority, room, type, the start of
/// the description and the case number; a retry of the filed request does not text again.
#[tokio::test]
async fn a_maintenance_request_texts_the_on_call_number() {
    let mut world = World::start().await;
    let description = "Water is leaking from the ceiling above the bathroom sink and pooling on the floor near the door, \
                       guests have been moved.";
    let arguments = json!({ "idempotency_token": "m-3f1e2d4c-0001", "manager_email": "manager1@hotel.com",
                            "room_number": "107", "type": "Maintenance", "priority": "Urgent",
                            "description": description });

    let invocation = world
        .call("submit_maintenance_request", maintenance(), arguments.clone())
        .await;

    let output = invocation.result.as_ref().unwrap();
    assert_eq!(
        output["notification"]["status"], "queued",
        "{}",
        output["notification"]
    );
    assert_eq!(output["notification"]["to"], "+1••••••0999");
    assert_eq!(invocation.calls.calls.get(&Backend::Twilio), None);
    let messages = texts(&world, 1).await;
    assert_eq!(messages[0].to, ON_CALL_NUMBER);
    let start: String = description.chars().take(100).collect();
    assert_eq!(
        messages[0].body,
        format!(
            "Maintenance Urgent: room 107 — Maintenance: {}… (case {})",
            start.trim_end(),
            output["case_number"].as_str().unwrap()
        )
    );

    world.forget_idempotency_records();
    let again = world
        .call("submit_maintenance_request", maintenance(), arguments)
        .await;
    assert_eq!(again.result.unwrap()["notification"]["status"], "skipped");
    texts(&world, 1).await;
}
