//! The audit trail end to end: the events a tool invocation logs (target `audit`), as JSON lines
//! captured from tracing, for real tool runs against the sandboxes through the invoke path every
//! transport uses. Who (the token's subject), which record, before → after; decisions passed and
//! refused; a transition only for a write that happened.

use dewy_e2e::log_capture::Capture;
use dewy_e2e::{World, manager};
use dewy_salesforce_sandbox::{Fault, FaultRule};
use dewy_tool::{CallMeta, Caller, Confirmation, ErrorCode, Invocation};
use serde_json::{Value, json};

const KAY: &str = "kay@example.com";
const ALICE: &str = "guest1@hotel.com";
/// The subject of the guests' tokens in these tests: not their email, which must not be logged.
const SUBJECT: &str = "guest-subject-7f3a";

fn guest(email: &str) -> Caller {
    Caller::from_claims(SUBJECT, Some(email), ["guest"])
}

/// Runs `name` as `caller` with every audit event captured; the invocation and the events.
async fn audited(world: &World, name: &str, caller: Caller, arguments: Value) -> (Invocation, Vec<Value>) {
    let capture = Capture::new();
    let invocation = {
        // The invoke path runs on this (current-thread) test's thread, so a thread-local
        // subscriber sees its events.
        let _guard = tracing::subscriber::set_default(capture.subscriber("info"));
        world.call(name, caller, arguments).await
    };
    (invocation, capture.audit_events())
}

/// The decisions among `events`, as `(check, outcome, error_code)`.
fn decisions(events: &[Value]) -> Vec<(String, String, Option<String>)> {
    events
        .iter()
        .filter(|e| e["audit"] == "decision")
        .map(|e| {
            (
                e["check"].as_str().unwrap().to_owned(),
                e["outcome"].as_str().unwrap().to_owned(),
                e["error_code"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// The transitions among `events`, as `(object, record, field, before, after)`.
fn transitions(events: &[Value]) -> Vec<(String, String, Value, Value, String)> {
    events
        .iter()
        .filter(|e| e["audit"] == "transition")
        .map(|e| {
            (
                e["object"].as_str().unwrap().to_owned(),
                e["record"].as_str().unwrap().to_owned(),
                e["field"].clone(),
                e["before"].clone(),
                e["after"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn passed(check: &str) -> (String, String, Option<String>) {
    (check.to_owned(), "passed".to_owned(), None)
}

fn refused(check: &str, code: &str) -> (String, String, Option<String>) {
    (check.to_owned(), "refused".to_owned(), Some(code.to_owned()))
}

/// Kay's reservation due today in room 105: booking, room and opportunity ids and statuses.
fn kays_stay(world: &World) -> (Value, Value, Value) {
    let booking = world.one(
        "SELECT Id, Status__c, Room__c, Opportunity__c FROM Booking__c \
         WHERE Primary_Guest__r.Unique_Email__c = 'kay@example.com' AND Status__c = 'Reserved'",
    );
    let room = world.one(&format!(
        "SELECT Id, Status__c FROM Hotel_Room__c WHERE Id = '{}'",
        booking["Room__c"].as_str().unwrap()
    ));
    let opportunity = world.one(&format!(
        "SELECT Id, StageName FROM Opportunity WHERE Id = '{}'",
        booking["Opportunity__c"].as_str().unwrap()
    ));
    (booking, room, opportunity)
}

/// A guest's check-in: every decision passed (the invoke path's, then the tool's), then the three
/// transitions with the ids and statuses the records had, each naming the tool, the actor's
/// subject, their persona and the operation; the guest's email appears nowhere.
#[tokio::test]
async fn a_check_in_logs_its_decisions_and_three_transitions() {
    let world = World::start().await;
    let (booking, room, opportunity) = kays_stay(&world);

    let (invocation, events) = audited(&world, "check_in_guest", guest(KAY), json!({})).await;

    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    assert_eq!(
        decisions(&events),
        [
            "persona_allowed",
            "own_records",
            "input_valid",
            "guest_found",
            "one_reservation",
            "room_vacant",
            "transition_allowed"
        ]
        .map(passed)
    );
    let id = |record: &Value| record["Id"].as_str().unwrap().to_owned();
    assert_eq!(
        transitions(&events),
        vec![
            (
                "Booking__c".to_owned(),
                id(&booking),
                json!("Status__c"),
                json!("Reserved"),
                "Checked In".to_owned()
            ),
            (
                "Hotel_Room__c".to_owned(),
                id(&room),
                json!("Status__c"),
                room["Status__c"].clone(),
                "Occupied".to_owned()
            ),
            (
                "Opportunity".to_owned(),
                id(&opportunity),
                json!("StageName"),
                opportunity["StageName"].clone(),
                "Checked In".to_owned()
            ),
        ]
    );
    assert_eq!(events.len(), 10);
    let operation = events[0]["operation"].as_str().unwrap();
    assert!(operation.starts_with("check_in_guest#"), "{operation}");
    for event in &events {
        assert_eq!(event["level"], "INFO");
        assert_eq!(event["tool"], "check_in_guest");
        assert_eq!(event["actor"], SUBJECT);
        assert_eq!(event["personas"], "guest");
        assert_eq!(event["operation"], operation);
        assert!(!event.to_string().contains(KAY), "no email in {event}");
    }
    let room_vacant = events.iter().find(|e| e["check"] == "room_vacant").unwrap();
    assert_eq!(room_vacant["record"], id(&room).as_str());
}

/// A refused check-in (Carl's room 106 is still being cleaned): the refused decision names the room
/// and the error code, and no transition is logged; nothing was written.
#[tokio::test]
async fn a_refused_check_in_logs_the_refusal_and_no_transition() {
    let world = World::start().await;

    let (invocation, events) = audited(
        &world,
        "check_in_guest",
        guest("carl.smith@example.com"),
        json!({}),
    )
    .await;

    assert_eq!(invocation.http_status(), 409, "{}", invocation.body());
    assert!(transitions(&events).is_empty(), "{events:?}");
    let last = decisions(&events).pop().unwrap();
    assert_eq!(last, refused("room_vacant", "ROOM_NOT_VACANT"));
    let room = world.one("SELECT Id FROM Hotel_Room__c WHERE Room_Number__c = '106'");
    assert_eq!(events.last().unwrap()["record"], room["Id"]);
}

/// A replay runs nothing, so it logs only the invoke path's decisions; a persona that may not use a
/// tool and an input that does not parse are refusals of the invoke path.
#[tokio::test]
async fn replays_and_invoke_path_refusals_log_only_the_invoke_paths_decisions() {
    let world = World::start().await;
    audited(&world, "check_in_guest", guest(KAY), json!({})).await;

    let (replay, events) = audited(&world, "check_in_guest", guest(KAY), json!({})).await;
    assert!(replay.replayed);
    assert_eq!(
        decisions(&events),
        ["persona_allowed", "own_records", "input_valid"].map(passed)
    );
    assert!(transitions(&events).is_empty());

    let (_, events) = audited(&world, "compensate_checkout_failure", guest(KAY), json!({})).await;
    assert_eq!(decisions(&events), [refused("persona_allowed", "FORBIDDEN")]);

    let (_, events) = audited(&world, "check_in_guest", guest(KAY), json!({"room": "105"})).await;
    assert_eq!(
        decisions(&events),
        [
            passed("persona_allowed"),
            passed("own_records"),
            refused("input_valid", "VALIDATION_ERROR")
        ]
    );
}

/// A refusal no named check records (a search without any filter) is still a decision:
/// `tool_rules`, with its code. The idempotency layer's refusal (a token reused for another
/// payload) is `idempotency`.
#[tokio::test]
async fn every_refusal_has_a_decision() {
    let world = World::start().await;
    let housekeeping = dewy_e2e::housekeeping();

    let (_, events) = audited(&world, "search_rooms", housekeeping.clone(), json!({})).await;
    assert_eq!(
        decisions(&events).pop().unwrap(),
        refused("tool_rules", "VALIDATION_ERROR")
    );

    let case = |subject: &str| json!({"idempotency_token": "5d0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", "subject": subject});
    let (first, events) = audited(&world, "upsert_case", housekeeping.clone(), case("Towels")).await;
    assert_eq!(first.http_status(), 201, "{}", first.body());
    let (_, _, _, before, after) = transitions(&events).pop().unwrap();
    assert_eq!(
        (before, after.as_str()),
        (Value::Null, "New"),
        "a case created New"
    );
    let (invocation, events) = audited(&world, "upsert_case", housekeeping, case("Pillows")).await;
    assert_eq!(invocation.http_status(), 422, "{}", invocation.body());
    assert_eq!(
        decisions(&events).pop().unwrap(),
        refused("idempotency", "IDEMPOTENCY_KEY_REUSED")
    );
}

/// The checkout saga: a checkout whose Salesforce write failed wrote nothing there, so it logs no
/// Salesforce transition; the payment it took, the first-time payer's Stripe customer and the
/// refund that gave the money back are Stripe's.
#[tokio::test]
async fn a_refunded_checkout_logs_the_payment_and_refund_but_no_salesforce_transition() {
    let world = World::start().await;
    world
        .sandbox
        .add_fault(FaultRule::new(Fault::ServerError).rate(1.0).path("/composite"));

    let checkout = json!({
        "guest_email": ALICE, "guest_name": "Alice Johnson",
        "payment_method_id": "pm_card_visa", "idempotency_token": "audit-saga",
    });
    let (invocation, events) = audited(&world, "process_guest_checkout", guest(ALICE), checkout).await;

    assert_eq!(invocation.body()["error_code"], "CHECKOUT_REFUNDED");
    let objects: Vec<(String, Value, String)> = transitions(&events)
        .into_iter()
        .map(|(object, _, _, before, after)| (object, before, after))
        .collect();
    assert_eq!(
        objects,
        vec![
            ("PaymentIntent".to_owned(), Value::Null, "succeeded".to_owned()),
            ("Customer".to_owned(), Value::Null, "created".to_owned()),
            ("Refund".to_owned(), Value::Null, "succeeded".to_owned()),
        ]
    );
    assert!(decisions(&events).contains(&passed("payment_succeeded")));
}

/// Compensation: the refund, the decision to put the stay back, and the three transitions back,
/// after the checkout's.
#[tokio::test]
async fn compensation_logs_the_revert_as_transitions() {
    let world = World::start().await;
    let checkout = json!({
        "guest_email": ALICE, "guest_name": "Alice Johnson",
        "payment_method_id": "pm_card_visa", "idempotency_token": "audit-comp",
    });
    let (paid, events) = audited(&world, "process_guest_checkout", guest(ALICE), checkout).await;
    let after: Vec<String> = transitions(&events).into_iter().map(|t| t.4).collect();
    assert_eq!(
        after,
        ["succeeded", "created", "Checked Out", "Cleaning", "Closed Won"],
        "the payment, the first-time payer's customer, then the stay"
    );

    let intent = paid.body()["payment_intent_id"].clone();
    let compensate =
        json!({"payment_intent_id": intent, "guest_email": ALICE, "idempotency_token": "comp-audit"});
    let (invocation, events) = audited(&world, "compensate_checkout_failure", manager(), compensate).await;

    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    assert!(decisions(&events).contains(&passed("stay_revertible")));
    let moves: Vec<(String, Value, String)> = transitions(&events)
        .into_iter()
        .map(|(object, _, _, before, after)| (object, before, after))
        .collect();
    assert_eq!(
        moves,
        vec![
            ("Refund".to_owned(), Value::Null, "succeeded".to_owned()),
            (
                "Booking__c".to_owned(),
                json!("Checked Out"),
                "Checked In".to_owned()
            ),
            (
                "Hotel_Room__c".to_owned(),
                json!("Cleaning"),
                "Occupied".to_owned()
            ),
            (
                "Opportunity".to_owned(),
                json!("Closed Won"),
                "Negotiation/Review".to_owned()
            ),
        ]
    );
    assert_eq!(events[0]["personas"], "staff,housekeeping,maintenance,manager");
}

/// Creations are transitions without `before`: a booking made for a new guest creates their
/// Contact (no status field: `after` is `created`), the opportunity and the booking.
#[tokio::test]
async fn a_new_booking_logs_its_creations() {
    let world = World::start().await;
    let today = chrono::Utc::now().date_naive();
    let booking = json!({
        "guest_email": "first.timer@example.com", "guest_first_name": "First", "guest_last_name": "Timer",
        "room_number": "101", "check_in_date": (today + chrono::Days::new(30)).to_string(),
        "check_out_date": (today + chrono::Days::new(32)).to_string(), "booking_external_id": "audit-booking-1",
    });

    let (invocation, events) =
        audited(&world, "create_booking_orchestrator", dewy_e2e::staff(), booking).await;

    assert_eq!(invocation.http_status(), 201, "{}", invocation.body());
    let created: Vec<(String, Value, Value, String)> = transitions(&events)
        .into_iter()
        .map(|(object, _, field, before, after)| (object, field, before, after))
        .collect();
    assert_eq!(
        created,
        vec![
            (
                "Contact".to_owned(),
                Value::Null,
                Value::Null,
                "created".to_owned()
            ),
            (
                "Opportunity".to_owned(),
                json!("StageName"),
                Value::Null,
                "Booking Confirmed".to_owned()
            ),
            (
                "Booking__c".to_owned(),
                json!("Status__c"),
                Value::Null,
                "Reserved".to_owned()
            ),
        ]
    );
    let output = invocation.result.unwrap();
    let records: Vec<String> = transitions(&events).into_iter().map(|t| t.1).collect();
    assert_eq!(
        records[1..],
        [
            output["opportunity_id"].as_str().unwrap(),
            output["booking_id"].as_str().unwrap()
        ]
    );
}

/// The amount charged is the bill's: a client's other amount is refused on the trail
/// (`amount_matches_bill`), and a manager's override with a reason is a decision of its own,
/// with the bill and the reason on the payment.
#[tokio::test]
async fn an_amount_other_than_the_bill_is_refused_or_a_managers_recorded_override() {
    let world = World::start().await;
    let checkout = |token: &str| {
        json!({
            "guest_email": ALICE, "guest_name": "Alice Johnson", "amount": 50,
            "payment_method_id": "pm_card_visa", "idempotency_token": token,
        })
    };
    let (refused_call, events) =
        audited(&world, "process_guest_checkout", guest(ALICE), checkout("cheap")).await;
    assert_eq!(refused_call.http_status(), 422, "{}", refused_call.body());
    assert!(decisions(&events).contains(&refused("amount_matches_bill", "AMOUNT_MISMATCH")));
    assert!(world.stripe.payment_intents().is_empty(), "nothing charged");

    let mut overridden = checkout("goodwill");
    overridden["amount"] = json!(20_000);
    overridden["amount_override_reason"] = json!("Goodwill: the air conditioning failed");
    let (invocation, events) = audited(&world, "process_guest_checkout", manager(), overridden).await;
    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    assert!(decisions(&events).contains(&passed("amount_overridden_by_manager")));
    let [payment] = world.stripe.payment_intents().try_into().unwrap();
    assert_eq!(payment.amount, 20_000);
    assert_eq!(payment.metadata["amount_due"], "29998");
    assert_eq!(
        payment.metadata["amount_override_reason"],
        "Goodwill: the air conditioning failed"
    );
}

/// A device command is audited like a record write: who (the token's subject), which device (its
/// id names its room), its state before and after; the check that the device is in the caller's
/// room is a decision, refused for another room's device with nothing written.
#[tokio::test]
async fn a_device_command_records_who_changed_which_device_before_and_after() {
    let world = World::start().await;
    let (invocation, events) = audited(
        &world,
        "set_blinds",
        guest(ALICE),
        json!({ "device_id": "cover.room_100_blinds", "position": 25, "idempotency_token": "blinds-1" }),
    )
    .await;
    assert!(invocation.result.is_ok(), "{}", invocation.body());
    assert!(events.iter().all(|e| e["actor"] == SUBJECT), "{events:#?}");
    assert!(
        decisions(&events).contains(&("device_in_callers_room".into(), "passed".into(), None)),
        "{events:#?}"
    );
    let changes = transitions(&events);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let (object, record, field, before, after) = &changes[0];
    assert_eq!(
        (object.as_str(), record.as_str(), field),
        ("cover", "cover.room_100_blinds", &json!("state"))
    );
    let before: Value = serde_json::from_str(before.as_str().unwrap()).unwrap();
    let after: Value = serde_json::from_str(after).unwrap();
    assert_eq!(
        (before["position"].clone(), after["position"].clone()),
        (json!(100), json!(25))
    );

    let (refused, events) = audited(
        &world,
        "set_blinds",
        guest(ALICE),
        json!({ "device_id": "cover.room_101_blinds", "position": 25, "idempotency_token": "blinds-2" }),
    )
    .await;
    assert_eq!(refused.http_status(), 404, "{}", refused.body());
    assert!(
        decisions(&events).contains(&(
            "device_in_callers_room".into(),
            "refused".into(),
            Some("DEVICE_NOT_FOUND".into())
        )),
        "{events:#?}"
    );
    assert!(transitions(&events).is_empty());
}

/// A charge records how it stood on a person's confirmation: asked for (refused until a person
/// accepts, nothing charged), or let through unconfirmed where the deployment allows clients that
/// cannot ask (docs/confirmations.md).
#[tokio::test]
async fn a_money_move_records_whether_a_person_confirmed_it() {
    let world = World::start().await;
    let checkout = |email: &str| {
        let arguments = json!({ "guest_name": "Ada Lovelace", "payment_method_id": "pm_card_visa",
                                "idempotency_token": dewy_e2e::uuid_v4() });
        (dewy_e2e::guest(email), arguments)
    };
    let run = |caller: Caller, arguments: Value, confirmation: Confirmation| {
        let capture = Capture::new();
        let backends = &world.backends;
        async move {
            let invocation = {
                let _guard = tracing::subscriber::set_default(capture.subscriber("info"));
                let tool = dewy_tools::find("process_guest_checkout").unwrap();
                let meta = CallMeta {
                    trace: None,
                    confirmation,
                };
                let deadline = dewy_connector::Deadline::after(std::time::Duration::from_secs(30));
                dewy_tool::dispatch::invoke_traced(tool, backends, caller, deadline, arguments, meta, None)
                    .await
            };
            (invocation, capture.audit_events())
        }
    };

    let (caller, arguments) = checkout("guest3@hotel.com");
    let (asked, events) = run(caller, arguments, Confirmation::Ask).await;
    assert_eq!(asked.result.unwrap_err().code, ErrorCode::ConfirmationRequired);
    assert_eq!(
        decisions(&events).pop().unwrap(),
        refused("person_confirmed", "CONFIRMATION_REQUIRED")
    );
    assert!(world.stripe.payment_intents().is_empty(), "nothing charged");

    let (caller, arguments) = checkout("guest4@hotel.com");
    let (paid, events) = run(caller, arguments, Confirmation::Unconfirmed).await;
    assert!(paid.result.is_ok(), "{:?}", paid.result);
    assert!(decisions(&events).contains(&passed("money_move_unconfirmed")));
}
