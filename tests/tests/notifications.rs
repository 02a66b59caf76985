//! SMS notifications end to end (issue requirement 3): the check-in welcome to guests who prefer
//! SMS and the on-call text for maintenance, through the production Twilio connector against the
//! Twilio sandbox. A notification never fails its tool; the output says what became of it.

use dewy_connector::Backend;
use dewy_e2e::{World, guest, staff};
use dewy_local::ON_CALL_NUMBER;
use dewy_twilio_sandbox::{Fault, FaultRule};
use serde_json::{Value, json};
use std::time::Duration;

const KAY: &str = "kay@example.com";
const KAY_MOBILE: &str = "+15550200142";

/// Makes Kay (whose booking in room 105 is due today) prefer SMS, with `mobile` as her mobile.
fn kay_prefers_sms(world: &World, mobile: Option<&str>) {
    let kay = world.one(&format!("SELECT Id FROM Contact WHERE Unique_Email__c = '{KAY}'"));
    world
        .sandbox
        .update(
            "Contact",
            kay["Id"].as_str().unwrap(),
            json!({ "Preferred_Contact_Method__c": "SMS", "MobilePhone": mobile, "Phone": null }),
        )
        .unwrap();
}

async fn check_in_kay(world: &World) -> Value {
    let invocation = world.call("check_in_guest", guest(KAY), json!({})).await;
    invocation
        .result
        .unwrap_or_else(|e| panic!("check-in succeeds: {e:?}"))
}

/// A guest who prefers SMS is texted once, after the check-in is written, with their first name,
/// room and booking number only; the output reports it sent, to a masked number. The two
/// Salesforce round trips stay two; the text is one more call after them.
#[tokio::test]
async fn an_sms_guest_is_welcomed_by_text_at_check_in() {
    let world = World::start().await;
    kay_prefers_sms(&world, Some(KAY_MOBILE));

    let invocation = world.call("check_in_guest", guest(KAY), json!({})).await;

    let output = invocation.result.as_ref().unwrap();
    let notification = &output["notification"];
    assert_eq!(notification["channel"], "sms");
    assert_eq!(notification["status"], "sent", "{notification}");
    assert_eq!(notification["to"], "+1••••••0142");
    let messages = world.twilio.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(notification["sid"], messages[0].sid.as_str());
    assert_eq!(messages[0].to, KAY_MOBILE);
    let booking = output["booking_number"].as_str().unwrap();
    assert_eq!(
        messages[0].body,
        format!(
            "Welcome, Kay! You're checked in to room 105 (booking {booking}). Enjoy your stay at Dewy Resort."
        )
    );
    let calls = &invocation.calls;
    assert_eq!(
        (calls.calls[&Backend::Salesforce], calls.calls[&Backend::Twilio]),
        (3, 1),
        "{calls:?}"
    );
    assert_eq!(
        calls.sequential_round_trips, 3,
        "two Salesforce round trips, then the text"
    );
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

/// A number Twilio refuses (not SMS-capable, invalid) is reported rejected; the check-in stands.
#[tokio::test]
async fn a_rejected_number_does_not_fail_the_check_in() {
    for number in ["+15005550009", "+15005550001"] {
        let world = World::start().await;
        kay_prefers_sms(&world, Some(number));

        let output = check_in_kay(&world).await;

        assert_eq!(output["already_checked_in"], false);
        assert_eq!(
            output["notification"]["status"], "rejected",
            "{number}: {}",
            output["notification"]
        );
        assert!(output["notification"]["sid"].is_null());
        assert!(world.twilio.messages().is_empty());
        let booking =
            world.one("SELECT Status__c FROM Booking__c WHERE External_ID__c = 'seed-booking-kay-1'");
        assert_eq!(booking["Status__c"], "Checked In");
    }
}

/// Twilio refusing the send (rate limited: nothing sent) is reported failed; Twilio not answering
/// is reported unknown (it may have been sent, so it is not sent again) within the send's own
/// bound, well inside the deadline. The check-in stands either way.
#[tokio::test]
async fn a_twilio_fault_does_not_fail_the_check_in() {
    let world = World::start().await;
    kay_prefers_sms(&world, Some(KAY_MOBILE));
    world
        .twilio
        .add_fault(FaultRule::new(Fault::RateLimited).path("/Messages.json"));

    let output = check_in_kay(&world).await;

    assert_eq!(
        output["notification"]["status"], "failed",
        "{}",
        output["notification"]
    );
    assert!(world.twilio.messages().is_empty());

    let world = World::start().await;
    kay_prefers_sms(&world, Some(KAY_MOBILE));
    world
        .twilio
        .add_fault(FaultRule::new(Fault::Timeout).path("/Messages.json"));

    let invocation = world.call("check_in_guest", guest(KAY), json!({})).await;

    let output = invocation.result.as_ref().unwrap();
    assert_eq!(
        output["notification"]["status"], "unknown",
        "{}",
        output["notification"]
    );
    assert!(
        invocation.duration < Duration::from_secs(4),
        "bounded: {:?}",
        invocation.duration
    );
    assert_eq!(
        invocation.calls.calls[&Backend::Twilio],
        1,
        "a send that may have gone out is not repeated"
    );
}

/// A repeat check-in (after the replay window) does not text the guest again.
#[tokio::test]
async fn a_repeat_check_in_does_not_text_again() {
    let mut world = World::start().await;
    kay_prefers_sms(&world, Some(KAY_MOBILE));
    check_in_kay(&world).await;
    world.forget_idempotency_records();

    let again = check_in_kay(&world).await;

    assert_eq!(again["already_checked_in"], true);
    assert_eq!(again["notification"]["status"], "skipped");
    assert_eq!(world.twilio.messages().len(), 1);
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
    assert!(world.twilio.messages().is_empty());
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
        .call("submit_maintenance_request", staff(), arguments.clone())
        .await;

    let output = invocation.result.as_ref().unwrap();
    assert_eq!(
        output["notification"]["status"], "sent",
        "{}",
        output["notification"]
    );
    assert_eq!(output["notification"]["to"], "+1••••••0999");
    let messages = world.twilio.messages();
    assert_eq!(messages.len(), 1);
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
    let again = world.call("submit_maintenance_request", staff(), arguments).await;
    assert_eq!(again.result.unwrap()["notification"]["status"], "skipped");
    assert_eq!(world.twilio.messages().len(), 1);
}
