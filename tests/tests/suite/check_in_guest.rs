//! `check_in_guest` end to end: the production connector against the seeded Salesforce sandbox,
//! through the invoke path every transport uses.

use dewy_connector::Deadline;
use dewy_e2e::{Ran, World, guest, staff};
use dewy_salesforce_sandbox::{Fault, FaultRule};
use dewy_tool::dispatch::invoke;
use dewy_tools::check_in_guest::CheckInGuest;
use serde_json::{Value, json};
use std::time::Duration;

const KAY: &str = "kay@example.com";

/// The booking, room and opportunity of the booking in `room`, straight from the sandbox.
fn stay_in(world: &World, room: &str) -> (Value, Value, Value) {
    let booking = world.one(&format!(
        "SELECT Id, Name, Status__c, Opportunity__c, Room__c, Checked_In_At__c, Primary_Guest__c FROM Booking__c \
         WHERE Room__r.Room_Number__c = '{room}' AND Check_In_Date__c = TODAY"
    ));
    let room = world.one(&format!(
        "SELECT Id, Status__c, Current_Guest__c FROM Hotel_Room__c WHERE Room_Number__c = '{room}'"
    ));
    let opportunity = world.one(&format!(
        "SELECT Id, StageName, CloseDate, Payment_ID__c FROM Opportunity WHERE Id = '{}'",
        booking["Opportunity__c"].as_str().unwrap()
    ));
    (booking, room, opportunity)
}

fn error_code(body: &Value) -> &str {
    body["error_code"].as_str().unwrap_or("<none>")
}

/// The happy path: every output field, the three records moved together, in exactly two
/// sequential Salesforce round trips (one round of reads, one composite write).
#[tokio::test]
async fn checks_a_guest_in_with_two_round_trips() {
    let world = World::start().await;
    let kay = world.one(&format!("SELECT Id FROM Contact WHERE Email = '{KAY}'"));

    let Ran { output, invocation } = world
        .run::<CheckInGuest>(staff(), json!({ "guest_email": KAY }))
        .await;

    assert!(output.success);
    assert_eq!(
        output.room_number, "105",
        "the room's number, not its descriptive name"
    );
    assert_eq!(output.room_type.as_deref(), Some("Standard"));
    assert_eq!(output.floor, Some(1));
    assert_eq!(output.check_in_date.date(), chrono::Utc::now().date_naive());
    assert_eq!(output.total_nights, Some(3));
    assert_eq!(output.guest_email, KAY);
    assert!(!output.already_checked_in);
    assert!(output.booking_number.starts_with("BK-"));
    assert!(!output.guest_name.is_empty());

    let (booking, room, opportunity) = stay_in(&world, "105");
    assert_eq!(booking["Status__c"], "Checked In");
    assert!(booking["Checked_In_At__c"].is_string());
    assert_eq!(room["Status__c"], "Occupied");
    assert_eq!(room["Current_Guest__c"], kay["Id"]);
    assert_eq!(opportunity["StageName"], "Checked In");
    assert_eq!(opportunity["Payment_ID__c"], "PENDING_CHECKIN");
    let check_out = output.check_out_date.expect("the stay's departure").date();
    assert_eq!(opportunity["CloseDate"], check_out.to_string());

    assert_eq!(
        invocation.calls.sequential_round_trips, 2,
        "{:?}",
        invocation.calls
    );
    assert_eq!(
        invocation.calls.total_calls, 3,
        "two parallel reads and one composite"
    );
}

/// A repeat within the replay window gets the first result back, marked as a replay, and reaches
/// no backend at all.
#[tokio::test]
async fn a_repeat_within_the_replay_window_is_replayed_without_a_backend_call() {
    let world = World::start().await;
    let first = world.call("check_in_guest", guest(KAY), json!({})).await;
    assert!(!first.replayed);
    world.sandbox.reset_stats();

    // The same operation however it is spelled: the email named, today's date given.
    let today = chrono::Utc::now().date_naive().to_string();
    let again = world
        .call(
            "check_in_guest",
            staff(),
            json!({ "guest_email": KAY, "check_in_date": today }),
        )
        .await;

    assert!(again.replayed);
    assert_eq!(again.result.unwrap(), first.result.unwrap());
    assert_eq!(again.calls.total_calls, 0);
    assert!(world.sandbox.request_log().is_empty());
}

/// Once the replay window has passed (or the stay was checked in another way), a repeat returns the
/// same result with `already_checked_in: true`, and writes nothing.
#[tokio::test]
async fn a_repeat_check_in_returns_the_same_result_and_writes_nothing() {
    let mut world = World::start().await;
    let first = world
        .call("check_in_guest", guest(KAY), json!({}))
        .await
        .result
        .unwrap();
    world.forget_idempotency_records();
    world.sandbox.reset_stats();

    let again = world
        .call("check_in_guest", guest(KAY), json!({ "guest_email": KAY }))
        .await;

    assert!(!again.replayed);
    let output = again.result.as_ref().unwrap();
    assert_eq!(output["already_checked_in"], true);
    for field in [
        "booking_number",
        "room_number",
        "check_in_date",
        "check_out_date",
        "total_nights",
        "guest_name",
    ] {
        assert_eq!(output[field], first[field], "{field}");
    }
    let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v["checked_in_at"].as_str().unwrap()).unwrap();
    assert_eq!(at(output), at(&first), "the original check-in time");
    assert_eq!(again.calls.sequential_round_trips, 1, "reads only");
    assert!(
        world.sandbox.request_log().iter().all(|r| r.method == "GET"),
        "no write was sent"
    );
}

/// A guest is scoped to the email in their token: it fills a missing `guest_email`, and naming
/// another guest is refused the same way whether or not that guest exists.
#[tokio::test]
async fn a_guest_acts_only_on_their_own_booking() {
    let world = World::start().await;
    let other = world
        .call(
            "check_in_guest",
            guest("someone@example.com"),
            json!({ "guest_email": KAY }),
        )
        .await;
    let nobody = world
        .call(
            "check_in_guest",
            guest("someone@example.com"),
            json!({ "guest_email": "nobody@nowhere.io" }),
        )
        .await;
    assert_eq!(other.http_status(), 403);
    assert_eq!(
        other.body(),
        nobody.body(),
        "the refusal reveals nothing about the other guest"
    );
    let (booking, _, _) = stay_in(&world, "105");
    assert_eq!(booking["Status__c"], "Reserved");

    let own = world.call("check_in_guest", guest(KAY), json!({})).await;
    assert_eq!(own.http_status(), 200, "{}", own.body());
}

/// Every error code check-in answers for a failed prerequisite, each a 4xx with the error body and
/// no write.
#[tokio::test]
async fn every_failed_prerequisite_has_its_error_code_and_writes_nothing() {
    let world = World::start().await;
    let multi = world.one(
        "SELECT Primary_Guest__r.Email FROM Booking__c WHERE Room__r.Room_Number__c = '108' AND Check_In_Date__c = TODAY",
    );
    let multi_email = multi["Primary_Guest__r"]["Email"].as_str().unwrap().to_owned();
    let future = world.one(
        "SELECT Primary_Guest__r.Email FROM Booking__c WHERE Status__c = 'Reserved' AND Check_In_Date__c > TODAY \
         ORDER BY Check_In_Date__c LIMIT 1",
    );
    let future_email = future["Primary_Guest__r"]["Email"].as_str().unwrap().to_owned();
    world.sandbox.reset_stats();

    let cases = [
        (
            json!({ "guest_email": "nobody@example.com" }),
            404,
            "GUEST_NOT_FOUND",
        ),
        (
            json!({ "guest_email": future_email }),
            404,
            "RESERVATION_NOT_FOUND",
        ),
        (
            json!({ "guest_email": KAY, "check_in_date": "2031-01-01" }),
            404,
            "RESERVATION_NOT_FOUND",
        ),
        (
            json!({ "guest_email": KAY, "booking_number": "BK-9999" }),
            404,
            "RESERVATION_NOT_FOUND",
        ),
        (
            json!({ "guest_email": multi_email }),
            409,
            "MULTIPLE_RESERVATIONS",
        ),
        (
            json!({ "guest_email": "carl.smith@example.com" }),
            409,
            "ROOM_NOT_VACANT",
        ),
        (json!({}), 400, "REQUIRED_FIELDS_MISSING"),
        (json!({ "guest_email": "not-an-email" }), 400, "VALIDATION_ERROR"),
        (
            json!({ "guest_email": KAY, "check_in_date": "23/11/2026" }),
            400,
            "VALIDATION_ERROR",
        ),
        (
            json!({ "guest_email": KAY, "check_in_date": 20261123 }),
            400,
            "VALIDATION_ERROR",
        ),
        (
            json!({ "guest_email": KAY, "booking_number": "42" }),
            400,
            "VALIDATION_ERROR",
        ),
        (
            json!({ "guest_email": KAY, "payment_id": "" }),
            400,
            "VALIDATION_ERROR",
        ),
        (
            json!({ "guest_email": KAY, "room": "105" }),
            400,
            "VALIDATION_ERROR",
        ),
        (json!([KAY]), 400, "VALIDATION_ERROR"),
    ];
    for (arguments, status, code) in cases {
        let invocation = world.call("check_in_guest", staff(), arguments.clone()).await;
        let body = invocation.body();
        assert_eq!(
            (invocation.http_status(), error_code(&body)),
            (status, code),
            "{arguments}: {body}"
        );
        assert_eq!(body["success"], false);
        assert!(
            body["error_message"].as_str().is_some_and(|m| m.len() > 10),
            "{body}"
        );
    }
    assert!(
        world.sandbox.request_log().iter().all(|r| r.method == "GET"),
        "no write was sent"
    );

    let room = world
        .call(
            "check_in_guest",
            staff(),
            json!({ "guest_email": "carl.smith@example.com" }),
        )
        .await;
    assert!(
        room.body()["error_message"]
            .as_str()
            .unwrap()
            .contains("current status: Cleaning")
    );
    let multiple = world
        .call("check_in_guest", staff(), json!({ "guest_email": multi_email }))
        .await;
    assert_eq!(
        multiple.body()["details"]["bookings"].as_array().unwrap().len(),
        2,
        "the conflicts are listed"
    );
}

/// `booking_number` is honoured (the original ignored it), so a guest with two reservations can
/// choose one.
#[tokio::test]
async fn booking_number_chooses_among_several_reservations() {
    let world = World::start().await;
    let booking = world.one(
        "SELECT Name, Primary_Guest__r.Email FROM Booking__c WHERE Room__r.Room_Number__c = '109' AND Check_In_Date__c = TODAY",
    );
    let arguments = json!({
        "guest_email": booking["Primary_Guest__r"]["Email"],
        "booking_number": booking["Name"],
        "payment_id": "pm_card_visa_hold_123",
    });
    let output = world
        .call("check_in_guest", staff(), arguments)
        .await
        .result
        .unwrap();
    assert_eq!(output["room_number"], "109");
    let (_, room_108, _) = stay_in(&world, "108");
    assert_eq!(
        room_108["Status__c"], "Vacant",
        "the other reservation is untouched"
    );
    let (_, _, opportunity) = stay_in(&world, "109");
    assert_eq!(opportunity["Payment_ID__c"], "pm_card_visa_hold_123");
}

/// The state machines are enforced before writing: an opportunity already lost cannot be checked in.
#[tokio::test]
async fn an_illegal_transition_is_a_409_before_any_write() {
    let world = World::start().await;
    let (_, _, opportunity) = stay_in(&world, "105");
    world
        .sandbox
        .update(
            "Opportunity",
            opportunity["Id"].as_str().unwrap(),
            json!({ "StageName": "Closed Lost" }),
        )
        .unwrap();

    let invocation = world
        .call("check_in_guest", staff(), json!({ "guest_email": KAY }))
        .await;
    assert_eq!(
        (invocation.http_status(), error_code(&invocation.body())),
        (409, "INVALID_STATE_TRANSITION")
    );
    let (booking, room, _) = stay_in(&world, "105");
    assert_eq!(
        (booking["Status__c"].as_str(), room["Status__c"].as_str()),
        (Some("Reserved"), Some("Vacant"))
    );
}

/// A backend failure on the write is a 5xx naming Salesforce, and leaves booking, room and
/// opportunity exactly as they were; the retry then succeeds.
#[tokio::test]
async fn an_injected_500_on_the_composite_leaves_everything_unchanged() {
    let world = World::start().await;
    let before = stay_in(&world, "105");
    world.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .rate(1.0)
            .path("/composite")
            .times(1),
    );

    let failed = world
        .call("check_in_guest", staff(), json!({ "guest_email": KAY }))
        .await;

    let body = failed.body();
    assert!(failed.http_status() >= 500, "{body}");
    assert!(error_code(&body).starts_with("SALESFORCE_"), "{body}");
    assert_eq!(body["details"]["backend"], "salesforce");
    assert_eq!(
        stay_in(&world, "105"),
        before,
        "booking, room and opportunity unchanged"
    );

    let retried = world
        .call("check_in_guest", staff(), json!({ "guest_email": KAY }))
        .await;
    assert_eq!(retried.http_status(), 200, "{}", retried.body());
    assert_eq!(retried.body()["already_checked_in"], false);
}

/// A Salesforce that does not answer is cut off at the tool's deadline: 504, quickly, no write.
#[tokio::test]
async fn a_hanging_salesforce_is_cut_off_at_the_deadline() {
    let world = World::start().await;
    world
        .sandbox
        .add_fault(FaultRule::new(Fault::Timeout).rate(1.0).path("/query"));
    let tool = dewy_tools::find("check_in_guest").unwrap();
    let started = std::time::Instant::now();

    let invocation = invoke(
        tool,
        &world.backends,
        staff(),
        Deadline::after(Duration::from_millis(300)),
        json!({ "guest_email": KAY }),
    )
    .await;

    assert_eq!(
        (invocation.http_status(), error_code(&invocation.body())),
        (504, "SALESFORCE_TIMEOUT")
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    world.sandbox.clear_faults();
    assert_eq!(stay_in(&world, "105").0["Status__c"], "Reserved");
}
