//! The hotel's invariants under contention: many callers at once (guests and staff, each with a
//! token of their own), on two instances of the system sharing one lease store, with the sandboxes
//! slowed down so that the calls overlap. Each invariant is checked in the backends' own records,
//! on the in-memory store and on DynamoDB (moto).
//!
//! - a stay is charged at most once: one PaymentIntent, one charge, the opportunity naming it;
//! - a 3-D Secure payment is recorded at most once, however many completions race;
//! - a payment is refunded at most once, however many compensations race;
//! - a checkout that stopped after charging is recorded with its charge, never charged again;
//! - a room is never booked twice for a night, whichever tool books it (a new booking, a booking
//!   moved to the room, an upsert), while bookings of other nights of the room all succeed.

use crate::skills_support::{day, error_code, writes};
use dewy_e2e::{World, after_lease_margin, call_on, guest, housekeeping, manager, staff};
use dewy_idempotency::{IdempotencyStore, MemoryStore};
use dewy_salesforce_sandbox::Latency;
use dewy_stripe::{CreatePaymentIntent, StripeIdempotencyKey};
use dewy_tool::{Backends, Caller, Invocation};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How many callers race.
const CALLERS: usize = 20;
const ALICE: &str = "guest1@hotel.com";
const ALICE_STAY: &str = "seed-booking-guest1-1";
/// Alice's bill: two nights (arrived two days ago) in room 100 at $149.99.
const AMOUNT: u64 = 29_998;

fn checkout(token: &str, payment_method: &str) -> Value {
    json!({
        "guest_email": ALICE, "guest_name": "Alice Johnson", "amount": AMOUNT,
        "payment_method_id": payment_method, "idempotency_token": token,
    })
}

/// Alice herself for two callers in three, the front desk for the third.
fn caller(i: usize) -> Caller {
    if i.is_multiple_of(3) {
        staff()
    } else {
        guest(ALICE)
    }
}

/// Two instances on `world`'s sandboxes sharing `store`.
fn instances(world: &World, store: &Arc<dyn IdempotencyStore>) -> [Backends; 2] {
    [
        world.instance(Arc::clone(store)),
        world.instance(Arc::clone(store)),
    ]
}

/// Slows the sandboxes down, so that racing calls overlap.
fn slow_down(world: &World) {
    let latency = Some(Latency::fixed(Duration::from_millis(15)));
    world.sandbox.set_latency(latency);
    world.stripe.set_latency(latency);
}

/// Runs `CALLERS` calls of `tool` at once, alternating instances; `call(i)` makes the arguments
/// and caller of call `i`.
async fn race(
    instances: &[Backends; 2],
    tool: &'static str,
    call: impl Fn(usize) -> (Caller, Value),
) -> Vec<Invocation> {
    race_tools(instances, |i| {
        let (who, arguments) = call(i);
        (tool, who, arguments)
    })
    .await
}

/// [`race`] with a tool of its own for each call.
async fn race_tools(
    instances: &[Backends; 2],
    call: impl Fn(usize) -> (&'static str, Caller, Value),
) -> Vec<Invocation> {
    let calls = (0..CALLERS).map(|i| {
        let (tool, who, arguments) = call(i);
        let backends = &instances[i % 2];
        async move { call_on(backends, tool, who, arguments).await }
    });
    futures::future::join_all(calls).await
}

/// Answers by status and code, e.g. `{"200": 1, "409 CHECKOUT_IN_PROGRESS": 19}`.
fn tally(answers: &[Invocation]) -> BTreeMap<String, usize> {
    let mut tally = BTreeMap::new();
    for answer in answers {
        let key = match answer.http_status() {
            status @ (200 | 201) => status.to_string(),
            status => format!("{status} {}", error_code(&answer.body())),
        };
        *tally.entry(key).or_insert(0) += 1;
    }
    tally
}

/// Alice's booking and its opportunity, straight from the sandbox.
fn alice_stay(world: &World) -> (Value, Value) {
    let booking = world.one(&format!(
        "SELECT Id, Name, Status__c, Opportunity__c FROM Booking__c WHERE External_ID__c = '{ALICE_STAY}'"
    ));
    let opportunity = world.one(&format!(
        "SELECT Id, StageName, Payment_ID__c FROM Opportunity WHERE Id = '{}'",
        booking["Opportunity__c"].as_str().unwrap()
    ));
    (booking, opportunity)
}

async fn one_charge_per_stay(store: Arc<dyn IdempotencyStore>) {
    let world = World::start().await;
    let instances = instances(&world, &store);
    slow_down(&world);

    let answers = race(&instances, "process_guest_checkout", |i| {
        (caller(i), checkout(&format!("race-{i}"), "pm_card_visa"))
    })
    .await;

    let counts = tally(&answers);
    assert_eq!(
        counts.get("200"),
        Some(&1),
        "exactly one checkout wins: {counts:?}"
    );
    let losers = CALLERS - 1;
    let refused = counts.get("409 CHECKOUT_IN_PROGRESS").unwrap_or(&0)
        + counts.get("409 STAY_ALREADY_CHECKED_OUT").unwrap_or(&0);
    assert_eq!(refused, losers, "every other is told why: {counts:?}");
    // In the backends: one payment of the stay, one charge, recorded on the opportunity.
    let (booking, opportunity) = alice_stay(&world);
    let number = booking["Name"].as_str().unwrap();
    let payments: Vec<_> = world
        .stripe
        .payment_intents()
        .into_iter()
        .filter(|p| p.metadata.get("booking_number").map(String::as_str) == Some(number))
        .collect();
    assert_eq!(payments.len(), 1, "one PaymentIntent for the stay: {payments:?}");
    let charges = world.stripe.charges();
    assert_eq!(charges.len(), 1, "one charge");
    assert_eq!(booking["Status__c"], "Checked Out");
    assert_eq!(opportunity["Payment_ID__c"], charges[0].id.as_str());

    // The callers told to retry get, on retry, the stay as the winner left it.
    after_lease_margin().await;
    for (i, answer) in answers.iter().enumerate() {
        if error_code(&answer.body()) != "CHECKOUT_IN_PROGRESS" {
            continue;
        }
        assert_eq!(answer.body()["details"]["retryable"], true);
        let retry = call_on(
            &instances[i % 2],
            "process_guest_checkout",
            caller(i),
            checkout(&format!("race-{i}"), "pm_card_visa"),
        )
        .await;
        let body = retry.body();
        assert_eq!(error_code(&body), "STAY_ALREADY_CHECKED_OUT", "{body}");
        assert_eq!(body["details"]["transaction_id"], charges[0].id.as_str());
    }
    assert_eq!(
        world.stripe.payment_intents().len(),
        1,
        "the retries charged nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stay_is_charged_once_on_the_memory_store() {
    one_charge_per_stay(Arc::new(MemoryStore::new())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stay_is_charged_once_on_dynamodb() {
    let Some(store) = dewy_idempotency::moto::store("charge-once").await else {
        return;
    };
    one_charge_per_stay(Arc::new(store)).await;
}

async fn one_record_per_authenticated_payment(store: Arc<dyn IdempotencyStore>) {
    let world = World::start().await;
    let instances = instances(&world, &store);
    let started = call_on(
        &instances[0],
        "process_guest_checkout",
        guest(ALICE),
        checkout("3ds-start", "pm_card_authenticationRequired"),
    )
    .await;
    assert_eq!(started.http_status(), 202, "{}", started.body());
    let intent = started.body()["payment_intent_id"].as_str().unwrap().to_owned();

    // While the payment waits for the guest, no second payment starts, whoever asks.
    after_lease_margin().await;
    let second = call_on(
        &instances[1],
        "process_guest_checkout",
        staff(),
        checkout("3ds-other", "pm_card_visa"),
    )
    .await;
    let body = second.body();
    assert_eq!(
        (second.http_status(), error_code(&body)),
        (409, "CHECKOUT_IN_PROGRESS"),
        "{body}"
    );
    assert_eq!(body["details"]["payment_intent_id"], intent.as_str());
    assert_eq!(world.stripe.payment_intents().len(), 1, "no second payment");

    world.stripe.authenticate(&intent, true).unwrap();
    world.sandbox.reset_stats();
    after_lease_margin().await;
    slow_down(&world);
    let answers = race(&instances, "process_guest_checkout", |i| {
        let mut arguments = checkout(&format!("3ds-finish-{i}"), "pm_card_visa");
        arguments["payment_intent_id"] = json!(intent);
        (caller(i), arguments)
    })
    .await;

    let counts = tally(&answers);
    let done = counts.get("200").copied().unwrap_or(0);
    let busy = counts.get("409 CHECKOUT_IN_PROGRESS").copied().unwrap_or(0);
    assert!(done >= 1 && done + busy == CALLERS, "{counts:?}");
    let composites = writes(&world).iter().filter(|w| w.contains("composite")).count();
    assert_eq!(composites, 1, "recorded once: {:?}", writes(&world));
    let charges = world.stripe.charges();
    assert_eq!((world.stripe.payment_intents().len(), charges.len()), (1, 1));
    let (booking, opportunity) = alice_stay(&world);
    assert_eq!(booking["Status__c"], "Checked Out");
    assert_eq!(opportunity["Payment_ID__c"], charges[0].id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authenticated_payment_is_recorded_once_on_the_memory_store() {
    let store: Arc<dyn IdempotencyStore> = Arc::new(MemoryStore::new());
    one_record_per_authenticated_payment(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authenticated_payment_is_recorded_once_on_dynamodb() {
    let Some(store) = dewy_idempotency::moto::store("record-once").await else {
        return;
    };
    one_record_per_authenticated_payment(Arc::new(store)).await;
}

async fn one_refund_per_payment(store: Arc<dyn IdempotencyStore>) {
    let world = World::start().await;
    let instances = instances(&world, &store);
    let paid = call_on(
        &instances[0],
        "process_guest_checkout",
        guest(ALICE),
        checkout("to-refund", "pm_card_visa"),
    )
    .await;
    assert_eq!(paid.http_status(), 200, "{}", paid.body());
    let intent = paid.body()["payment_intent_id"].as_str().unwrap().to_owned();
    after_lease_margin().await;
    world.sandbox.reset_stats();

    slow_down(&world);
    let answers = race(&instances, "compensate_checkout_failure", |i| {
        let arguments = json!({
            "payment_intent_id": intent, "guest_email": ALICE, "idempotency_token": format!("comp-{i}"),
        });
        (manager(), arguments)
    })
    .await;

    let counts = tally(&answers);
    assert_eq!(
        counts.get("200"),
        Some(&1),
        "exactly one compensation: {counts:?}"
    );
    let refused = counts.get("409 CHECKOUT_IN_PROGRESS").unwrap_or(&0)
        + counts.get("422 PAYMENT_NOT_REFUNDABLE").unwrap_or(&0);
    assert_eq!(refused, CALLERS - 1, "{counts:?}");
    assert_eq!(world.stripe.refunds().len(), 1, "one refund");
    let composites = writes(&world).iter().filter(|w| w.contains("composite")).count();
    assert_eq!(composites, 1, "the stay put back once: {:?}", writes(&world));
    let (booking, opportunity) = alice_stay(&world);
    assert_eq!(booking["Status__c"], "Checked In");
    assert_eq!(opportunity["Payment_ID__c"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_is_refunded_once_on_the_memory_store() {
    one_refund_per_payment(Arc::new(MemoryStore::new())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_is_refunded_once_on_dynamodb() {
    let Some(store) = dewy_idempotency::moto::store("refund-once").await else {
        return;
    };
    one_refund_per_payment(Arc::new(store)).await;
}

/// The nights every racer but the last two wants in room 209.
const CONTESTED: (i64, i64) = (60, 62);

/// Call `i` of the booking race: a new booking by a guest for themselves or by the front desk, a
/// reservation moved into the room, or an upsert, all for [`CONTESTED`], except the last two
/// callers, who book other nights of the room (each of their own).
fn booking_call(i: usize, room_id: &str, opportunities: &[String]) -> (&'static str, Caller, Value) {
    let (check_in, check_out) = match i {
        18 => (70, 72),
        19 => (80, 82),
        _ => CONTESTED,
    };
    let email = format!("racer{i}@example.com");
    let stay =
        json!({"room_number": "209", "check_in_date": day(check_in), "check_out_date": day(check_out)});
    let create = |mut arguments: Value| {
        arguments["booking_external_id"] = json!(format!("race-booking-{i}"));
        arguments["guest_email"] = json!(email);
        arguments["guest_first_name"] = json!("Racer");
        arguments["guest_last_name"] = json!(format!("No. {i}"));
        arguments
    };
    match i % 4 {
        _ if i >= 18 => ("create_booking_orchestrator", staff(), create(stay)),
        0 => ("create_booking_orchestrator", guest(&email), create(stay)),
        1 => ("create_booking_orchestrator", staff(), create(stay)),
        2 => {
            let mut arguments = stay;
            arguments["external_id"] = json!(format!("traveller-{i}"));
            ("manage_booking_orchestrator", staff(), arguments)
        }
        _ => {
            let arguments = json!({
                "external_id": format!("race-upsert-{i}"), "opportunity_id": opportunities[i],
                "room_id": room_id,
                "check_in_date": day(check_in), "check_out_date": day(check_out),
            });
            ("upsert_booking", manager(), arguments)
        }
    }
}

/// The live bookings of room 209 that touch `day(from)..=day(to)`, straight from the sandbox.
fn live_bookings_of_209(world: &World, (from, to): (i64, i64)) -> usize {
    let soql = format!(
        "SELECT Id FROM Booking__c WHERE Room__r.Room_Number__c = '209' \
         AND Status__c NOT IN ('Cancelled', 'No Show', 'Checked Out') \
         AND Check_In_Date__c <= {} AND Check_Out_Date__c >= {}",
        day(to),
        day(from)
    );
    world.sandbox.query(&soql).expect("the query runs").len()
}

async fn one_booking_per_room_night(store: Arc<dyn IdempotencyStore>) {
    let world = World::start().await;
    let instances = instances(&world, &store);
    let room = world.one("SELECT Id FROM Hotel_Room__c WHERE Room_Number__c = '209'");
    let room_id = room["Id"].as_str().unwrap();
    world.add_reservations(CALLERS);
    let opportunities: Vec<String> = (0..CALLERS)
        .map(|i| {
            let booking = world.one(&format!(
                "SELECT Opportunity__c FROM Booking__c WHERE External_ID__c = 'traveller-{i}'"
            ));
            booking["Opportunity__c"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        live_bookings_of_209(&world, CONTESTED),
        0,
        "the nights start free"
    );
    slow_down(&world);

    let answers = race_tools(&instances, |i| booking_call(i, room_id, &opportunities)).await;

    let contested = &answers[..18];
    let counts = tally(contested);
    let won = counts.get("200").unwrap_or(&0) + counts.get("201").unwrap_or(&0);
    assert_eq!(won, 1, "exactly one booking gets the nights: {counts:?}");
    assert_eq!(
        counts.get("409 ROOM_ALREADY_BOOKED"),
        Some(&17),
        "every other is told the room is booked: {counts:?}"
    );
    for other in &answers[18..] {
        assert_eq!(
            other.http_status(),
            201,
            "other nights of the room book: {}",
            other.body()
        );
    }
    // In Salesforce: one live booking over the contested nights, one over each of the others.
    assert_eq!(live_bookings_of_209(&world, CONTESTED), 1);
    assert_eq!(live_bookings_of_209(&world, (70, 72)), 1);
    assert_eq!(live_bookings_of_209(&world, (80, 82)), 1);
    // The reservations that lost the race did not move.
    let moved = world
        .sandbox
        .query("SELECT Id FROM Booking__c WHERE External_ID__c LIKE 'traveller-%' AND Room__r.Room_Number__c = '209'")
        .expect("the query runs")
        .len();
    assert!(moved <= 1, "{moved} reservations moved into room 209");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_night_is_booked_once_on_the_memory_store() {
    one_booking_per_room_night(Arc::new(MemoryStore::new())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_night_is_booked_once_on_dynamodb() {
    let Some(store) = dewy_idempotency::moto::store("book-once").await else {
        return;
    };
    one_booking_per_room_night(Arc::new(store)).await;
}

/// Two staff set a Vacant room's status at the same instant, from the same read: one to Occupied
/// (with its guest), one to Out of Service. Unguarded, both writes land and the second is a move
/// the room lifecycle forbids (Occupied to Out of Service), computed from a status that had
/// already changed. With the status guard Salesforce applies one and refuses the other, which is
/// answered `409 CONCURRENT_UPDATE`; both calls end well inside one second, where
/// `If-Unmodified-Since` (to the second) could not tell them apart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_transition_from_a_stale_read() {
    let world = World::start().await;
    let room = world.one("SELECT Id FROM Hotel_Room__c WHERE Room_Number__c = '105'");
    let kay = world.one("SELECT Id FROM Contact WHERE Email = 'kay@example.com'");
    // Both reads answer before either write arrives.
    world
        .sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(60))));
    let occupy = json!({ "room_id": room["Id"], "status": "Occupied", "current_guest_id": kay["Id"] });
    let close = json!({ "room_id": room["Id"], "status": "Out of Service" });
    let started = std::time::Instant::now();
    let (occupied, closed) = tokio::join!(
        world.call("update_room_status", housekeeping(), occupy),
        world.call("update_room_status", manager(), close),
    );
    assert!(started.elapsed() < Duration::from_secs(1));

    let answers = [&occupied, &closed];
    let won: Vec<_> = answers.iter().filter(|a| a.http_status() == 200).collect();
    let lost: Vec<_> = answers.iter().filter(|a| a.http_status() != 200).collect();
    assert_eq!(
        (won.len(), lost.len()),
        (1, 1),
        "{} / {}",
        occupied.body(),
        closed.body()
    );
    let refusal = lost[0].body();
    assert_eq!(error_code(&refusal), "CONCURRENT_UPDATE", "{refusal}");
    assert_eq!(refusal["details"]["retryable"], true);
    let winner = won[0].body();
    let stored = world.one("SELECT Status__c FROM Hotel_Room__c WHERE Room_Number__c = '105'");
    assert_eq!(
        stored["Status__c"], winner["status"],
        "the winner's status, nothing after it"
    );
    assert_eq!(winner["previous_status"], "Vacant");
}

/// A check-in and a move of the same booking to another room race, from reads made before either
/// write. The status guard alone would let both land (the move does not change the status), leaving
/// the guest occupying room 105 while their booking is in 209. The booking's guard names the room
/// it was read in, so Salesforce applies one and refuses the other (`409 CONCURRENT_UPDATE`, nothing
/// of it written): the occupied room is always the booking's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_and_a_room_move_never_both_land() {
    let world = World::start().await;
    let kay = world.one(
        "SELECT Id, External_ID__c FROM Booking__c WHERE Primary_Guest__r.Email = 'kay@example.com' AND Status__c = 'Reserved'",
    );
    world
        .sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(100))));
    let move_to_209 = json!({"external_id": kay["External_ID__c"], "room_number": "209"});
    let started = std::time::Instant::now();
    // The move starts first (two rounds of reads, then its write, at about 300 ms); the check-in
    // starts 150 ms later, reads before the move's write lands (250 ms) and writes after it.
    let (checked_in, moved) = tokio::join!(
        async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            world
                .call(
                    "check_in_guest",
                    staff(),
                    json!({ "guest_email": "kay@example.com" }),
                )
                .await
        },
        world.call("manage_booking_orchestrator", manager(), move_to_209),
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    world.sandbox.set_latency(None);

    let statuses = (checked_in.http_status(), moved.http_status());
    let lost = if statuses.0 == 200 { &moved } else { &checked_in };
    assert!(
        statuses == (200, 409) || statuses == (409, 200),
        "{} / {}",
        checked_in.body(),
        moved.body()
    );
    assert_eq!(error_code(&lost.body()), "CONCURRENT_UPDATE", "{}", lost.body());
    let booking = world.one(&format!(
        "SELECT Status__c, Room__r.Room_Number__c FROM Booking__c WHERE Id = '{}'",
        kay["Id"].as_str().unwrap()
    ));
    let room_105 = world.one("SELECT Status__c FROM Hotel_Room__c WHERE Room_Number__c = '105'");
    if statuses.0 == 200 {
        assert_eq!(
            (
                &booking["Status__c"],
                &booking["Room__r"]["Room_Number__c"],
                &room_105["Status__c"]
            ),
            (&json!("Checked In"), &json!("105"), &json!("Occupied"))
        );
    } else {
        assert_eq!(
            (
                &booking["Status__c"],
                &booking["Room__r"]["Room_Number__c"],
                &room_105["Status__c"]
            ),
            (&json!("Reserved"), &json!("209"), &json!("Vacant")),
            "the check-in wrote nothing"
        );
    }
}

/// A checkout and a status change of the guest's room race: both read the room Occupied. The
/// status change lands first (its read and write take two Salesforce round trips; the checkout's
/// payment alone, at Stripe, takes longer), so the checkout's all-or-nothing write, decided on an
/// Occupied room, is refused whole by the room's guard and its payment refunded; nothing is
/// half-written, and the guest's retry checks out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkout_decided_on_a_stale_room_writes_nothing() {
    let world = World::start().await;
    let room = world.one("SELECT Id FROM Hotel_Room__c WHERE Room_Number__c = '100'");
    world
        .sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(60))));
    // The order of the race is set, not left to the scheduler: the checkout reads the room with
    // the status change (the first round trip of each), then waits on Stripe past the change.
    world
        .stripe
        .set_latency(Some(Latency::fixed(Duration::from_millis(300))));
    let maintenance = json!({ "room_id": room["Id"], "status": "Maintenance" });
    let mut paying = checkout("stale-room", "pm_card_visa");
    paying.as_object_mut().unwrap().remove("amount");
    let (checked_out, repaired) = tokio::join!(
        world.call("process_guest_checkout", guest(ALICE), paying),
        world.call("update_room_status", housekeeping(), maintenance),
    );
    assert_eq!(repaired.http_status(), 200, "{}", repaired.body());
    let body = checked_out.body();
    assert_eq!(error_code(&body), "CHECKOUT_REFUNDED", "{body}");
    let (booking, opportunity) = alice_stay(&world);
    assert_eq!(
        booking["Status__c"], "Checked In",
        "the booking was not moved alone"
    );
    assert_eq!(opportunity["Payment_ID__c"], "PENDING_CHECKIN");
    let [refund] = world.stripe.refunds().try_into().unwrap();
    assert_eq!(refund.amount, AMOUNT);

    world.sandbox.set_latency(None);
    world.stripe.set_latency(None);
    let retry = call_on(
        &world.backends,
        "process_guest_checkout",
        guest(ALICE),
        checkout("stale-room-retry", "pm_card_visa"),
    )
    .await;
    assert_eq!(retry.http_status(), 200, "{}", retry.body());
}

/// A checkout that stopped between the charge and the record (a crash, its deadline) leaves its
/// lease to lapse and a paid PaymentIntent behind, the stay still Checked In. The next checkout,
/// whoever calls with whatever token, records that charge instead of charging again, even after
/// a checkout in between was refused before it looked.
async fn a_stopped_checkouts_charge_is_recorded_not_repeated(store: Arc<dyn IdempotencyStore>) {
    let world = World::start().await;
    let instances = instances(&world, &store);
    let (booking, _) = alice_stay(&world);
    let number = booking["Name"].as_str().unwrap().to_owned();

    // What the stopped checkout left: its lease, never released, and its payment.
    let now = SystemTime::now();
    let lease = dewy_idempotency::lease_id(&format!("checkout:{ALICE}"));
    store
        .acquire(
            &lease,
            "stopped",
            now + Duration::from_millis(50),
            now + Duration::from_secs(3600),
        )
        .await
        .unwrap();
    let payment = CreatePaymentIntent::new(AMOUNT, "usd")
        .description("Hotel checkout payment")
        .metadata("guest_email", ALICE)
        .metadata("booking_number", &number)
        .confirm_with("pm_card_visa");
    let orphan = world
        .backends
        .stripe
        .as_ref()
        .unwrap()
        .create_payment_intent(
            &payment,
            &StripeIdempotencyKey::parse("stopped-checkout").unwrap(),
        )
        .await
        .unwrap();
    assert!(orphan.is_succeeded());
    tokio::time::sleep(Duration::from_millis(100)).await;

    // A checkout refused on its input (no such booking of the guest) settles nothing.
    let mut wrong = checkout("after-stop-wrong", "pm_card_visa");
    wrong["booking_number"] = json!("BK-9999");
    let refused = call_on(&instances[1], "process_guest_checkout", staff(), wrong).await;
    assert_eq!(
        (refused.http_status(), error_code(&refused.body())),
        (404, "RESERVATION_NOT_FOUND"),
        "{}",
        refused.body()
    );

    after_lease_margin().await;
    let done = call_on(
        &instances[0],
        "process_guest_checkout",
        guest(ALICE),
        checkout("after-stop", "pm_card_visa"),
    )
    .await;
    let body = done.body();
    assert_eq!(done.http_status(), 200, "{body}");
    assert_eq!(body["payment_intent_id"], orphan.id.as_str());
    // In the backends: still the one payment, recorded on the stay.
    let paid_for_stay = world
        .stripe
        .payment_intents()
        .into_iter()
        .filter(|p| p.metadata.get("booking_number") == Some(&number))
        .count();
    assert_eq!(
        (paid_for_stay, world.stripe.charges().len()),
        (1, 1),
        "nothing charged again"
    );
    let (booking, opportunity) = alice_stay(&world);
    assert_eq!(booking["Status__c"], "Checked Out");
    assert_eq!(opportunity["Payment_ID__c"], orphan.charge_id().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_checkouts_charge_is_recorded_on_the_memory_store() {
    a_stopped_checkouts_charge_is_recorded_not_repeated(Arc::new(MemoryStore::new())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_checkouts_charge_is_recorded_on_dynamodb() {
    let Some(store) = dewy_idempotency::moto::store("stopped-checkout").await else {
        return;
    };
    a_stopped_checkouts_charge_is_recorded_not_repeated(Arc::new(store)).await;
}
