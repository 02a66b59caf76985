//! `process_guest_checkout` and `compensate_checkout_failure` end to end: the production Salesforce
//! and Stripe connectors against the seeded Salesforce sandbox and the Stripe sandbox, through the
//! invoke path every transport uses.
//!
//! The seed's guest1@hotel.com (Alice Johnson) is checked into room 100, leaving today.

use crate::skills_support::{assert_nothing_written, contact_id, day, error_code, writes};
use axum::http::Method;
use dewy_domain::objects::booking::BookingStatus;
use dewy_e2e::{Ran, World, after_lease_margin, guest, manager, staff};
use dewy_salesforce_sandbox::{Fault, FaultRule};
use dewy_tool::idempotent::operation_key;
use dewy_tool::{Caller, Invocation};
use dewy_tools::checkout::get_stay_folio::GetStayFolio;
use dewy_tools::checkout::process_guest_checkout::{CheckoutOutput, ProcessGuestCheckout};
use serde_json::{Value, json};

const ALICE: &str = "guest1@hotel.com";
const ALICE_STAY: &str = "seed-booking-guest1-1";
/// Alice's bill: two nights (arrived two days ago) in room 100 at $149.99.
const AMOUNT: u64 = 29_998;

fn checkout(token: &str, payment_method: &str) -> Value {
    json!({
        "guest_email": ALICE,
        "guest_name": "Alice Johnson",
        "amount": AMOUNT,
        "payment_method_id": payment_method,
        "idempotency_token": token,
    })
}

/// Alice's booking, room and opportunity, straight from the sandbox.
fn alice_stay(world: &World) -> (Value, Value, Value) {
    let booking = world.one(&format!(
        "SELECT Id, Name, Status__c, Check_Out_Date__c, Opportunity__c, Room__c FROM Booking__c \
         WHERE External_ID__c = '{ALICE_STAY}'"
    ));
    let room = world.one(&format!(
        "SELECT Id, Status__c, Current_Guest__c FROM Hotel_Room__c WHERE Id = '{}'",
        booking["Room__c"].as_str().unwrap()
    ));
    let opportunity = world.one(&format!(
        "SELECT Id, StageName, CloseDate, Payment_ID__c FROM Opportunity WHERE Id = '{}'",
        booking["Opportunity__c"].as_str().unwrap()
    ));
    (booking, room, opportunity)
}

/// Makes Alice a returning Stripe customer, as an earlier stay would have.
async fn make_stripe_customer(world: &World, email: &str) {
    let key = format!("earlier-stay-{email}");
    stripe_post(
        world,
        "/v1/customers",
        &key,
        &[("email", email), ("name", "Returning guest")],
    )
    .await;
}

/// The happy path for a returning customer: every output field, the three records moved together
/// with the charge id, and at most three sequential round trips (read ∥ customer, charge, write).
#[tokio::test]
async fn checks_a_returning_customer_out_in_three_round_trips() {
    let world = World::start().await;
    make_stripe_customer(&world, ALICE).await;

    let Ran { output, invocation } = world
        .run::<ProcessGuestCheckout>(guest(ALICE), checkout("co-1", "pm_card_visa"))
        .await;

    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    let CheckoutOutput::Completed(output) = output else {
        panic!("a completed checkout: {output:?}");
    };
    assert!(output.success);
    assert_eq!(output.amount, AMOUNT);
    assert_eq!(output.currency, "usd");
    assert_eq!(output.room_number, "100", "the room's number, not its name");
    assert_eq!(output.room_status, "Cleaning");
    assert_eq!(output.checkout_date.to_string(), day(0));
    assert_eq!(output.guest_email, ALICE);
    assert_eq!(
        output.message,
        "Payment processed successfully. Thank you for your stay!"
    );
    let charge = output.transaction_id.as_str();
    assert!(charge.starts_with("ch_"));

    let (booking, room, opportunity) = alice_stay(&world);
    assert_eq!(output.booking_number, booking["Name"].as_str().unwrap());
    assert_eq!(booking["Status__c"], "Checked Out");
    assert_eq!(booking["Check_Out_Date__c"], day(0));
    assert_eq!(room["Status__c"], "Cleaning");
    assert_eq!(room["Current_Guest__c"], Value::Null);
    assert_eq!(opportunity["StageName"], "Closed Won");
    assert_eq!(opportunity["Payment_ID__c"], charge);
    assert_eq!(opportunity["CloseDate"], day(0));

    let intents = world.stripe.payment_intents();
    assert_eq!(intents.len(), 1);
    assert_eq!(intents[0].id, output.payment_intent_id);
    assert_eq!(intents[0].amount, AMOUNT);
    assert_eq!(intents[0].description.as_deref(), Some("Hotel checkout payment"));
    assert_eq!(
        intents[0].metadata["booking_number"],
        booking["Name"].as_str().unwrap()
    );
    assert_eq!(intents[0].customer, Some(world.stripe.customers()[0].id.clone()));
    assert_eq!(
        world.stripe.customers().len(),
        1,
        "the existing customer is reused"
    );

    assert_eq!(
        invocation.calls.sequential_round_trips, 3,
        "{:?}",
        invocation.calls
    );
    assert_eq!(
        invocation.calls.total_calls, 5,
        "contact, stay, customer search; payment; composite"
    );
}

/// The Stripe `Idempotency-Key` of `step` (`"customer"`, `"payment_intent"`) of the checkout
/// `arguments` called by `caller`: the operation's key, as the invoke path derives it, and the step
/// (`Context::downstream_key`).
fn stripe_key(caller: &Caller, arguments: &Value, step: &str) -> String {
    let spec = dewy_tools::find("process_guest_checkout").unwrap().spec();
    let key_from = spec.effect.key().expect("checkout writes");
    format!("{}:{step}", operation_key(spec.name, key_from, caller, arguments))
}

/// Sends `params` to the Stripe sandbox as the connector would: form-encoded, with the API key
/// and `key` as the Idempotency-Key. The JSON answer.
async fn stripe_post(world: &World, path: &str, key: &str, params: &[(&str, &str)]) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", world.stripe.base_url()))
        .bearer_auth(world.stripe.api_key())
        .header("Idempotency-Key", key)
        .form(params)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{path}: {}", response.status());
    response.json().await.unwrap()
}

/// A first-time payer in three round trips too: the payment goes without a customer (it names the
/// guest in its metadata) while the customer is created alongside, with the guest's name, Contact
/// id and the operation that created it.
#[tokio::test]
async fn a_first_time_payer_gets_one_customer_and_three_round_trips() {
    let world = World::start().await;
    let arguments = checkout("co-new", "pm_card_visa");

    let invocation = world
        .call("process_guest_checkout", staff(), arguments.clone())
        .await;

    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    let customers = world.stripe.customers();
    assert_eq!(customers.len(), 1);
    assert_eq!(customers[0].email.as_deref(), Some(ALICE));
    assert_eq!(customers[0].name.as_deref(), Some("Alice Johnson"));
    assert_eq!(customers[0].metadata["guest_id"], contact_id(&world, ALICE));
    assert_eq!(
        customers[0].metadata["created_by"],
        stripe_key(&staff(), &arguments, "customer")
    );
    let intents = world.stripe.payment_intents();
    assert_eq!(intents.len(), 1);
    assert_eq!(
        intents[0].customer, None,
        "the first payment goes without the customer"
    );
    assert_eq!(intents[0].metadata["guest_email"], ALICE);
    assert_eq!(
        intents[0].metadata["booking_number"],
        alice_stay(&world).0["Name"].as_str().unwrap()
    );
    assert_eq!(alice_stay(&world).0["Status__c"], "Checked Out");
    assert_eq!(
        invocation.calls.sequential_round_trips, 3,
        "{:?}",
        invocation.calls
    );
    assert_eq!(
        invocation.calls.total_calls, 6,
        "contact, stays, customer search; payment, customer; composite: {:?}",
        invocation.calls
    );
}

/// A retry of a first-time payer's token whose first attempt created the customer and the payment
/// at Stripe, then crashed before storing its answer: the customer found is the one this
/// operation made, so the retry sends the same two requests under the same keys, which Stripe
/// replays, rather than a payment with a customer that Stripe would refuse as a reused key.
#[tokio::test]
async fn a_first_time_payers_retry_after_a_crash_repeats_the_same_payment() {
    let world = World::start().await;
    let arguments = checkout("co-crash", "pm_card_visa");
    let booking = alice_stay(&world).0["Name"].as_str().unwrap().to_owned();
    let customer_key = stripe_key(&guest(ALICE), &arguments, "customer");
    let contact = contact_id(&world, ALICE);
    stripe_post(
        &world,
        "/v1/customers",
        &customer_key,
        &[
            ("email", ALICE),
            ("name", "Alice Johnson"),
            ("metadata[guest_id]", &contact),
            ("metadata[created_by]", &customer_key),
        ],
    )
    .await;
    let amount = AMOUNT.to_string();
    let paid = stripe_post(
        &world,
        "/v1/payment_intents",
        &stripe_key(&guest(ALICE), &arguments, "payment_intent"),
        &[
            ("amount", &amount),
            ("currency", "usd"),
            ("description", "Hotel checkout payment"),
            ("metadata[guest_email]", ALICE),
            ("metadata[booking_number]", &booking),
            ("payment_method", "pm_card_visa"),
            ("confirm", "true"),
            ("automatic_payment_methods[enabled]", "true"),
            ("automatic_payment_methods[allow_redirects]", "never"),
        ],
    )
    .await;

    let retried = as_alice(&world, arguments).await;

    assert_eq!(retried.http_status(), 200, "{}", retried.body());
    assert_eq!(retried.body()["payment_intent_id"], paid["id"]);
    assert_eq!(world.stripe.payment_intents().len(), 1, "one payment");
    assert_eq!(world.stripe.charges().len(), 1, "one charge");
    assert_eq!(world.stripe.customers().len(), 1, "one customer");
    let replayed: Vec<String> = world
        .stripe
        .request_log()
        .into_iter()
        .filter(|r| r.replayed)
        .map(|r| r.path)
        .collect();
    assert_eq!(replayed.len(), 2, "both writes replayed: {replayed:?}");
    assert_eq!(alice_stay(&world).0["Status__c"], "Checked Out");
}

/// The customer's creation is best effort once the payment is under way: when it fails, the guest
/// is still charged and checked out, and nothing is refunded.
#[tokio::test]
async fn a_first_time_payer_is_checked_out_when_the_customer_cannot_be_created() {
    let world = World::start().await;
    world.stripe.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/v1/customers")
            .method(Method::POST),
    );

    let invocation = as_alice(&world, checkout("co-no-customer", "pm_card_visa")).await;

    let output = invocation.body();
    assert_eq!(invocation.http_status(), 200, "{output}");
    assert!(world.stripe.customers().is_empty());
    let intents = world.stripe.payment_intents();
    assert_eq!(intents.len(), 1);
    assert_eq!(intents[0].customer, None);
    assert_eq!(output["transaction_id"], world.stripe.charges()[0].id.as_str());
    let (booking, _, opportunity) = alice_stay(&world);
    assert_eq!(booking["Status__c"], "Checked Out");
    assert_eq!(opportunity["Payment_ID__c"], output["transaction_id"]);
    assert!(world.stripe.refunds().is_empty(), "never refunded for it");
}

/// A first-time payer's declined card is 402 PAYMENT_FAILED with the decline code, and nothing is
/// written in Salesforce. The customer created alongside stays, and the guest's next attempt
/// (another card, a new token) is charged as that customer's.
#[tokio::test]
async fn a_first_time_payers_declined_card_is_402_and_writes_nothing() {
    let world = World::start().await;
    let before = alice_stay(&world);
    world.sandbox.reset_stats();

    let invocation = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            checkout("co-declined", "pm_card_chargeDeclined"),
        )
        .await;

    let body = invocation.body();
    assert_eq!(
        (invocation.http_status(), error_code(&body)),
        (402, "PAYMENT_FAILED"),
        "{body}"
    );
    assert_eq!(body["details"]["decline_code"], "generic_decline");
    assert!(
        body["details"]["payment_intent_id"]
            .as_str()
            .unwrap()
            .starts_with("pi_")
    );
    assert_nothing_written(&world);
    assert_eq!(alice_stay(&world), before);
    let customers = world.stripe.customers();
    assert_eq!(customers.len(), 1, "created alongside the declined payment");

    let another_card = as_alice(&world, checkout("co-declined-2", "pm_card_visa")).await;
    assert_eq!(another_card.http_status(), 200, "{}", another_card.body());
    let intents = world.stripe.payment_intents();
    assert_eq!(intents.len(), 2);
    assert_eq!(intents[1].customer.as_ref(), Some(&customers[0].id));
    assert_eq!(world.stripe.customers().len(), 1);
}

/// A card that needs 3-D Secure answers 202 with the next action, and nothing is written.
#[tokio::test]
async fn authentication_required_is_202_and_writes_nothing() {
    let world = World::start().await;
    let before = alice_stay(&world);
    world.sandbox.reset_stats();
    let mut arguments = checkout("co-3ds", "pm_card_authenticationRequired");
    arguments["return_url"] = json!("https://dewy.example/checkout/done");

    let invocation = world
        .call("process_guest_checkout", guest(ALICE), arguments)
        .await;

    assert_eq!(invocation.http_status(), 202, "{}", invocation.body());
    let output = invocation.result.as_ref().unwrap();
    assert_eq!(output["requires_action"], true);
    assert_eq!(output["next_action_type"], "redirect_to_url");
    assert!(
        output["next_action_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("http"))
    );
    assert_eq!(
        output["payment_intent_id"],
        world.stripe.payment_intents()[0].id.as_str()
    );
    let message = output["message"].as_str().unwrap();
    assert!(message.contains("next_action_url"), "{message}");
    assert!(
        !message.contains("guest_email"),
        "a guest sends no email: {message}"
    );
    assert_nothing_written(&world);
    assert_eq!(alice_stay(&world), before);

    // Without return_url there is no URL to send the guest to, and the message does not say so;
    // the desk is told to name the guest again.
    after_lease_margin().await;
    world
        .stripe
        .authenticate(output["payment_intent_id"].as_str().unwrap(), false)
        .unwrap();
    let mut no_url = checkout("co-3ds-desk", "pm_card_authenticationRequired");
    no_url.as_object_mut().unwrap().remove("amount");
    let desk = world.call("process_guest_checkout", staff(), no_url).await;
    assert_eq!(desk.http_status(), 202, "{}", desk.body());
    let output = desk.result.unwrap();
    let message = output["message"].as_str().unwrap();
    assert_eq!(output["next_action_url"], Value::Null);
    assert!(
        !message.contains("next_action_url") && message.contains("Stripe.js"),
        "{message}"
    );
    assert!(message.contains("guest_email"), "{message}");
}

/// Every failed prerequisite is refused before any charge: no PaymentIntent, no Salesforce write.
/// An amount under 50 cents is refused before any backend call at all.
#[tokio::test]
async fn prerequisites_are_checked_before_any_charge() {
    let world = World::start().await;
    world.sandbox.reset_stats();
    let with = |changes: Value| {
        let mut arguments = checkout("co-refused", "pm_card_visa");
        for (key, value) in changes.as_object().unwrap() {
            arguments[key] = value.clone();
        }
        arguments
    };
    let cases = [
        (
            with(json!({ "guest_email": "nobody@example.com" })),
            404,
            "GUEST_NOT_FOUND",
        ),
        (
            with(json!({ "guest_email": "kay@example.com" })),
            404,
            "RESERVATION_NOT_FOUND",
        ),
        (
            with(json!({ "booking_number": "BK-9999" })),
            404,
            "RESERVATION_NOT_FOUND",
        ),
        (
            with(json!({ "room_number": "210" })),
            404,
            "RESERVATION_NOT_FOUND",
        ),
        (
            with(json!({ "guest_email": "noah.williams@example.com" })),
            409,
            "STAY_ALREADY_CHECKED_OUT",
        ),
        (with(json!({ "amount": -5 })), 400, "VALIDATION_ERROR"),
        (
            with(json!({ "payment_method_id": "pm/../x" })),
            400,
            "VALIDATION_ERROR",
        ),
        (
            with(json!({ "return_url": "javascript:alert(1)" })),
            400,
            "VALIDATION_ERROR",
        ),
        (json!({ "guest_email": ALICE }), 400, "REQUIRED_FIELDS_MISSING"),
    ];
    for (arguments, status, code) in cases {
        let invocation = world
            .call("process_guest_checkout", staff(), arguments.clone())
            .await;
        let body = invocation.body();
        assert_eq!(
            (invocation.http_status(), error_code(&body)),
            (status, code),
            "{arguments}: {body}"
        );
    }
    let checked_out = world
        .call(
            "process_guest_checkout",
            staff(),
            with(json!({ "guest_email": "noah.williams@example.com", "idempotency_token": "co-noah" })),
        )
        .await
        .body();
    assert_eq!(
        checked_out["details"]["already_checked_out"], true,
        "{checked_out}"
    );
    assert!(world.stripe.payment_intents().is_empty(), "nothing was charged");
    assert_nothing_written(&world);

    world.stripe.reset_stats();
    let too_small = world
        .call(
            "process_guest_checkout",
            staff(),
            with(json!({ "amount": 49, "idempotency_token": "co-49" })),
        )
        .await;
    assert_eq!(
        (too_small.http_status(), error_code(&too_small.body())),
        (400, "VALIDATION_ERROR")
    );
    assert_eq!(too_small.calls.total_calls, 0, "no backend was called");
    assert_eq!(world.stripe.request_count(), 0);
}

/// A guest checks out only themselves; naming another guest is 403 and changes nothing.
#[tokio::test]
async fn a_guest_checks_out_only_themselves() {
    let world = World::start().await;
    let mut arguments = checkout("co-other", "pm_card_visa");
    arguments["guest_email"] = json!("guest2@hotel.com");

    let invocation = world
        .call("process_guest_checkout", guest(ALICE), arguments)
        .await;

    assert_eq!(invocation.http_status(), 403, "{}", invocation.body());
    assert!(world.stripe.payment_intents().is_empty());
    assert_eq!(alice_stay(&world).0["Status__c"], "Checked In");
}

/// The same token again is replayed: one PaymentIntent, one charge, no backend call. After the
/// replay window, the stay is checked out, so the repeat is refused without charging again.
#[tokio::test]
async fn a_repeated_checkout_charges_once() {
    let mut world = World::start().await;
    let first = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            checkout("co-twice", "pm_card_visa"),
        )
        .await;
    assert_eq!(first.http_status(), 200, "{}", first.body());

    let again = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            checkout("co-twice", "pm_card_visa"),
        )
        .await;
    assert!(again.replayed);
    assert_eq!(again.result.as_ref().unwrap(), first.result.as_ref().unwrap());
    assert_eq!(again.calls.total_calls, 0);

    world.forget_idempotency_records();
    let late = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            checkout("co-twice", "pm_card_visa"),
        )
        .await;
    let body = late.body();
    assert_eq!(
        (late.http_status(), error_code(&body)),
        (409, "STAY_ALREADY_CHECKED_OUT"),
        "{body}"
    );
    assert_eq!(body["details"]["already_checked_out"], true);
    assert_eq!(body["details"]["transaction_id"], first.body()["transaction_id"]);
    assert_eq!(world.stripe.payment_intents().len(), 1, "one charge");
    assert_eq!(world.stripe.charges().len(), 1);
}

/// The saga: the payment succeeds, the Salesforce write fails, so the payment is refunded in full
/// and the answer is CHECKOUT_REFUNDED; a repeat of the token replays that error, with no second
/// charge or refund.
#[tokio::test]
async fn a_failed_salesforce_write_after_payment_is_refunded() {
    let world = World::start().await;
    let before = alice_stay(&world);
    world
        .sandbox
        .add_fault(FaultRule::new(Fault::ServerError).rate(1.0).path("/composite"));

    let failed = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            checkout("co-saga", "pm_card_visa"),
        )
        .await;

    let body = failed.body();
    assert_eq!(
        (failed.http_status(), error_code(&body)),
        (500, "CHECKOUT_REFUNDED"),
        "{body}"
    );
    assert!(body["error_message"].as_str().unwrap().contains("refunded"));
    let details = &body["details"];
    assert_eq!(details["retryable"], false);
    assert!(
        details["salesforce_error"]
            .as_str()
            .unwrap()
            .starts_with("SALESFORCE_")
    );
    let intents = world.stripe.payment_intents();
    let refunds = world.stripe.refunds();
    assert_eq!((intents.len(), refunds.len()), (1, 1));
    assert_eq!(details["payment_intent_id"], intents[0].id.as_str());
    assert_eq!(details["refund_id"], refunds[0].id.as_str());
    assert_eq!(details["refund_status"], "succeeded");
    assert_eq!(refunds[0].amount, AMOUNT, "refunded in full");
    assert_eq!(refunds[0].reason.as_deref(), Some("requested_by_customer"));
    world.sandbox.clear_faults();
    assert_eq!(alice_stay(&world), before, "Salesforce unchanged");

    let again = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            checkout("co-saga", "pm_card_visa"),
        )
        .await;
    assert!(again.replayed);
    assert_eq!(again.body(), body);
    assert_eq!(world.stripe.payment_intents().len(), 1);
    assert_eq!(world.stripe.refunds().len(), 1);
}

/// A write that Salesforce applied but whose answer was lost is read back, not refunded.
#[tokio::test]
async fn a_write_applied_despite_a_lost_answer_is_not_refunded() {
    let world = World::start().await;
    world.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/composite")
            .after_handling()
            .times(1),
    );

    let invocation = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            checkout("co-lost", "pm_card_visa"),
        )
        .await;

    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    assert!(world.stripe.refunds().is_empty());
    assert_eq!(alice_stay(&world).0["Status__c"], "Checked Out");
}

/// Compensation after a checkout: a full refund and the stay put back; a repeat of the token
/// (after the replay window) refunds nothing more and keeps the compensation id.
#[tokio::test]
async fn compensation_refunds_and_puts_the_stay_back() {
    let mut world = World::start().await;
    let paid = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            checkout("co-comp", "pm_card_visa"),
        )
        .await;
    let intent = paid.body()["payment_intent_id"].as_str().unwrap().to_owned();
    let arguments = json!({
        "payment_intent_id": intent, "guest_email": ALICE, "idempotency_token": "comp-1",
        "reason": "Guest disputed the minibar charges",
    });
    after_lease_margin().await;

    let invocation = world
        .call("compensate_checkout_failure", manager(), arguments.clone())
        .await;

    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    let output = invocation.result.as_ref().unwrap();
    let refunds = world.stripe.refunds();
    assert_eq!(refunds.len(), 1);
    assert_eq!(output["refund_id"], refunds[0].id.as_str());
    assert_eq!(output["compensation_id"], format!("comp_{}", refunds[0].id));
    assert_eq!(output["refund_amount"], AMOUNT);
    assert_eq!(output["refund_status"], "succeeded");
    assert_eq!(output["salesforce_reverted"], true);
    assert_eq!(
        refunds[0].metadata["reason"],
        "Guest disputed the minibar charges"
    );
    let (booking, room, opportunity) = alice_stay(&world);
    assert_eq!(output["booking_id"], booking["Id"]);
    assert_eq!(output["booking_number"], booking["Name"]);
    assert_eq!(booking["Status__c"], "Checked In");
    assert_eq!(booking["Check_Out_Date__c"], Value::Null);
    assert_eq!(room["Status__c"], "Occupied");
    assert_eq!(room["Current_Guest__c"], contact_id(&world, ALICE).as_str());
    assert_eq!(opportunity["StageName"], "Negotiation/Review");
    assert_eq!(opportunity["Payment_ID__c"], Value::Null);
    assert_eq!(
        invocation.calls.sequential_round_trips, 3,
        "{:?}",
        invocation.calls
    );

    world.forget_idempotency_records();
    let again = world
        .call("compensate_checkout_failure", manager(), arguments)
        .await;
    assert_eq!(again.http_status(), 200, "{}", again.body());
    assert_eq!(again.body()["compensation_id"], output["compensation_id"]);
    assert_eq!(again.body()["salesforce_reverted"], false, "already put back");
    assert_eq!(world.stripe.refunds().len(), 1, "refunded once");
}

/// A room given to someone else since checkout is not taken back: refunded, not reverted.
#[tokio::test]
async fn compensation_leaves_a_reoccupied_room_alone() {
    let world = World::start().await;
    let paid = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            checkout("co-busy", "pm_card_visa"),
        )
        .await;
    let (_, room, _) = alice_stay(&world);
    let other = contact_id(&world, "kay@example.com");
    world
        .sandbox
        .update(
            "Hotel_Room__c",
            room["Id"].as_str().unwrap(),
            json!({ "Status__c": "Occupied", "Current_Guest__c": other }),
        )
        .unwrap();
    world.sandbox.reset_stats();

    let invocation = world
        .call(
            "compensate_checkout_failure",
            manager(),
            json!({ "payment_intent_id": paid.body()["payment_intent_id"], "guest_email": ALICE,
                    "idempotency_token": "comp-busy" }),
        )
        .await;

    let output = invocation.body();
    assert_eq!(invocation.http_status(), 200, "{output}");
    assert_eq!(output["salesforce_reverted"], false);
    assert!(
        output["message"].as_str().unwrap().contains("room 100"),
        "{output}"
    );
    assert_eq!(world.stripe.refunds().len(), 1);
    assert!(writes(&world).is_empty());
    assert_eq!(alice_stay(&world).0["Status__c"], "Checked Out");
}

/// A declined payment cannot be compensated (422); only managers may compensate (403).
#[tokio::test]
async fn compensation_refuses_unpaid_payments_and_non_managers() {
    let world = World::start().await;
    let declined = world
        .call(
            "process_guest_checkout",
            guest(ALICE),
            checkout("co-no", "pm_card_chargeDeclined"),
        )
        .await;
    let intent = declined.body()["details"]["payment_intent_id"].clone();
    let arguments =
        json!({ "payment_intent_id": intent, "guest_email": ALICE, "idempotency_token": "comp-no" });

    let unpaid = world
        .call("compensate_checkout_failure", manager(), arguments.clone())
        .await;
    assert_eq!(
        (unpaid.http_status(), error_code(&unpaid.body())),
        (422, "PAYMENT_NOT_REFUNDABLE"),
        "{}",
        unpaid.body()
    );
    for caller in [staff(), guest(ALICE)] {
        let refused = world
            .call("compensate_checkout_failure", caller, arguments.clone())
            .await;
        assert_eq!(refused.http_status(), 403, "{}", refused.body());
    }
    let unknown = world
        .call(
            "compensate_checkout_failure",
            manager(),
            json!({ "payment_intent_id": "pi_doesnotexist", "guest_email": ALICE, "idempotency_token": "comp-x" }),
        )
        .await;
    assert_eq!(
        error_code(&unknown.body()),
        "PAYMENT_NOT_FOUND",
        "{}",
        unknown.body()
    );
    let nobody = world
        .call(
            "compensate_checkout_failure",
            manager(),
            json!({ "payment_intent_id": intent, "guest_email": "nobody@example.com", "idempotency_token": "comp-y" }),
        )
        .await;
    assert_eq!(error_code(&nobody.body()), "GUEST_NOT_FOUND", "{}", nobody.body());
    assert!(world.stripe.refunds().is_empty());
}

/// Calls `process_guest_checkout` as Alice.
async fn as_alice(world: &World, arguments: Value) -> Invocation {
    world
        .call("process_guest_checkout", guest(ALICE), arguments)
        .await
}

/// Asserts that `invocation` failed with `status` and `code`, and returns its body.
fn refused(invocation: &Invocation, status: u16, code: &str) -> Value {
    let body = invocation.body();
    assert_eq!(
        (invocation.http_status(), error_code(&body)),
        (status, code),
        "{body}"
    );
    body
}

/// Starts a checkout with a card that needs 3-D Secure (202) and has the guest authenticate it,
/// approving or refusing; returns the PaymentIntent id.
async fn authenticated_payment(world: &World, token: &str, approve: bool) -> String {
    let started = as_alice(world, checkout(token, "pm_card_authenticationRequired")).await;
    assert_eq!(started.http_status(), 202, "{}", started.body());
    let intent = started.body()["payment_intent_id"].as_str().unwrap().to_owned();
    world.stripe.authenticate(&intent, approve).unwrap();
    intent
}

/// The call that completes `intent`: no payment_method_id, a token of its own.
fn completion(token: &str, intent: &str) -> Value {
    json!({
        "guest_email": ALICE,
        "guest_name": "Alice Johnson",
        "amount": AMOUNT,
        "payment_intent_id": intent,
        "idempotency_token": token,
    })
}

/// 3-D Secure end to end: the 202 says how to finish; after the guest authenticates, the call with
/// payment_intent_id and a new token records the checkout with that payment's charge, in two round
/// trips (contact ∥ stays ∥ payment; composite) and without charging again. The first token keeps
/// its 202, and reusing it for the completion is refused as another operation.
#[tokio::test]
async fn an_authenticated_payment_completes_the_checkout() {
    let world = World::start().await;
    let started = as_alice(&world, checkout("co-3ds-start", "pm_card_authenticationRequired")).await;
    assert_eq!(started.http_status(), 202, "{}", started.body());
    let intent = started.body()["payment_intent_id"].as_str().unwrap().to_owned();
    let message = started.body()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains(&format!("payment_intent_id={intent}")) && message.contains("new idempotency_token"),
        "{message}"
    );
    world.stripe.authenticate(&intent, true).unwrap();
    world.sandbox.reset_stats();
    after_lease_margin().await;

    let invocation = as_alice(&world, completion("co-3ds-finish", &intent)).await;

    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    let output = invocation.result.as_ref().unwrap();
    assert_eq!(output["success"], true);
    assert_eq!(output["payment_intent_id"], intent.as_str());
    assert_eq!(output["amount"], AMOUNT);
    assert_eq!(output["room_status"], "Cleaning");
    let charges = world.stripe.charges();
    assert_eq!(charges.len(), 1, "charged once, by the authenticated payment");
    assert_eq!(output["transaction_id"], charges[0].id.as_str());
    let (booking, room, opportunity) = alice_stay(&world);
    assert_eq!(output["booking_number"], booking["Name"]);
    assert_eq!(booking["Status__c"], "Checked Out");
    assert_eq!(booking["Check_Out_Date__c"], day(0));
    assert_eq!(room["Status__c"], "Cleaning");
    assert_eq!(room["Current_Guest__c"], Value::Null);
    assert_eq!(opportunity["StageName"], "Closed Won");
    assert_eq!(opportunity["Payment_ID__c"], charges[0].id.as_str());
    assert_eq!(world.stripe.payment_intents().len(), 1, "no new PaymentIntent");
    assert_eq!(writes(&world).len(), 1, "one composite: {:?}", writes(&world));
    assert_eq!(
        invocation.calls.sequential_round_trips, 2,
        "{:?}",
        invocation.calls
    );
    assert_eq!(
        invocation.calls.total_calls, 4,
        "contact, stays, PaymentIntent; composite: {:?}",
        invocation.calls
    );

    let first_again = as_alice(&world, checkout("co-3ds-start", "pm_card_authenticationRequired")).await;
    assert!(first_again.replayed);
    assert_eq!(first_again.http_status(), 202);
    let reused = as_alice(&world, completion("co-3ds-start", &intent)).await;
    refused(&reused, 422, "IDEMPOTENCY_KEY_REUSED");
}

/// A completion sent again is replayed; with yet another token (or after the replay window) the
/// payment is found already recorded and answered as completed, writing and charging nothing.
#[tokio::test]
async fn completing_twice_records_and_charges_once() {
    let mut world = World::start().await;
    let intent = authenticated_payment(&world, "co-twice-start", true).await;
    let first = as_alice(&world, completion("co-twice-finish", &intent)).await;
    assert_eq!(first.http_status(), 200, "{}", first.body());
    world.sandbox.reset_stats();

    let replayed = as_alice(&world, completion("co-twice-finish", &intent)).await;
    assert!(replayed.replayed);
    assert_eq!(replayed.body(), first.body());

    world.forget_idempotency_records();
    for token in ["co-twice-finish", "co-twice-other"] {
        let again = as_alice(&world, completion(token, &intent)).await;
        let body = again.body();
        assert_eq!(again.http_status(), 200, "{body}");
        assert_eq!(body["transaction_id"], first.body()["transaction_id"]);
        assert_eq!(body["checkout_date"], day(0));
        assert!(
            body["message"].as_str().unwrap().contains("already recorded"),
            "{body}"
        );
    }
    assert_nothing_written(&world);
    assert_eq!(world.stripe.payment_intents().len(), 1);
    assert_eq!(world.stripe.charges().len(), 1, "one charge");
    assert!(world.stripe.refunds().is_empty());
}

/// A failed or refused authentication is 402 PAYMENT_FAILED telling the agent to try another card;
/// nothing is written.
#[tokio::test]
async fn a_failed_authentication_is_402_and_writes_nothing() {
    let world = World::start().await;
    let before = alice_stay(&world);
    let intent = authenticated_payment(&world, "co-3ds-fail", false).await;
    world.sandbox.reset_stats();

    let invocation = as_alice(&world, completion("co-3ds-fail-2", &intent)).await;

    let body = refused(&invocation, 402, "PAYMENT_FAILED");
    assert!(
        body["error_message"].as_str().unwrap().contains("another card"),
        "{body}"
    );
    assert_eq!(
        body["details"]["stripe_error_code"],
        "payment_intent_authentication_failure"
    );
    assert_eq!(body["details"]["payment_intent_id"], intent.as_str());
    assert_nothing_written(&world);
    assert_eq!(alice_stay(&world), before);
    assert!(
        world.stripe.charges().iter().all(|c| !c.succeeded),
        "the failed attempt is the only charge"
    );
}

/// Only this checkout's payment completes it: another guest's, another amount or booking, or an
/// unknown payment is refused (400) before anything is written; a payment the guest has not
/// authenticated yet answers 202 again; a new payment still needs its payment_method_id.
#[tokio::test]
async fn only_this_checkouts_payment_completes_it() {
    let world = World::start().await;
    let before = alice_stay(&world);
    let started = as_alice(&world, checkout("co-mine", "pm_card_authenticationRequired")).await;
    let intent = started.body()["payment_intent_id"].as_str().unwrap().to_owned();
    world.sandbox.reset_stats();

    let pending = as_alice(&world, completion("co-pending", &intent)).await;
    assert_eq!(pending.http_status(), 202, "{}", pending.body());
    assert_eq!(pending.body()["payment_intent_id"], intent.as_str());

    world.stripe.authenticate(&intent, true).unwrap();
    let with = |changes: Value| {
        let mut arguments = completion("co-wrong", &intent);
        for (key, value) in changes.as_object().unwrap() {
            arguments[key] = value.clone();
        }
        arguments
    };
    let cases = [
        (
            with(json!({ "amount": AMOUNT + 1 })),
            "VALIDATION_ERROR",
            "amount",
        ),
        (
            with(json!({ "booking_number": "BK-9999" })),
            "VALIDATION_ERROR",
            "booking_number",
        ),
        (
            with(json!({ "payment_intent_id": "pi_doesnotexist" })),
            "PAYMENT_NOT_FOUND",
            "",
        ),
        (
            with(json!({ "payment_intent_id": "cus_123" })),
            "VALIDATION_ERROR",
            "",
        ),
    ];
    for (arguments, code, mismatch) in cases {
        let invocation = world
            .call("process_guest_checkout", staff(), arguments.clone())
            .await;
        let body = invocation.body();
        assert_eq!(
            (invocation.http_status(), error_code(&body)),
            (400, code),
            "{arguments}: {body}"
        );
        if !mismatch.is_empty() {
            assert_eq!(body["details"]["mismatch"], mismatch, "{body}");
        }
        if mismatch == "guest_email" {
            assert!(
                !body.to_string().contains(ALICE),
                "the payer is not shown: {body}"
            );
        }
    }
    // Another guest's payment is answered exactly as one that does not exist.
    let as_brian = |token: &str, intent: &str| {
        let mut arguments = completion(token, intent);
        arguments.as_object_mut().unwrap().remove("guest_email");
        world.call("process_guest_checkout", guest("guest2@hotel.com"), arguments)
    };
    let strangers = as_brian("co-other", &intent).await;
    let missing = as_brian("co-other-2", "pi_3MtwBwLkdIwHu7ix28a3tqPa").await;
    let answer = |i: &Invocation, id: &str| (i.http_status(), i.body().to_string().replace(id, "<id>"));
    assert_eq!(
        answer(&strangers, &intent),
        answer(&missing, "pi_3MtwBwLkdIwHu7ix28a3tqPa")
    );
    assert_eq!(error_code(&strangers.body()), "PAYMENT_NOT_FOUND");

    let mut no_card = checkout("co-no-card", "pm_card_visa");
    no_card.as_object_mut().unwrap().remove("payment_method_id");
    let missing = world.call("process_guest_checkout", staff(), no_card).await;
    refused(&missing, 400, "REQUIRED_FIELDS_MISSING");

    assert_nothing_written(&world);
    assert_eq!(alice_stay(&world), before);
    assert_eq!(world.stripe.payment_intents().len(), 1);
}

/// The saga on the completion path: the write fails, the authenticated payment is refunded
/// (CHECKOUT_REFUNDED); a later completion of that refunded payment is refused, never recorded.
#[tokio::test]
async fn a_refunded_completion_is_never_recorded() {
    let world = World::start().await;
    let before = alice_stay(&world);
    let intent = authenticated_payment(&world, "co-saga-3ds", true).await;
    world
        .sandbox
        .add_fault(FaultRule::new(Fault::ServerError).rate(1.0).path("/composite"));

    let failed = as_alice(&world, completion("co-saga-3ds-2", &intent)).await;
    refused(&failed, 500, "CHECKOUT_REFUNDED");
    assert_eq!(world.stripe.refunds().len(), 1);
    assert_eq!(world.stripe.refunds()[0].amount, AMOUNT);
    world.sandbox.clear_faults();
    assert_eq!(alice_stay(&world), before);
    world.sandbox.reset_stats();

    let again = as_alice(&world, completion("co-saga-3ds-3", &intent)).await;
    let body = refused(&again, 409, "INVALID_STATE_TRANSITION");
    assert!(
        body["error_message"].as_str().unwrap().contains("refunded"),
        "{body}"
    );
    assert_nothing_written(&world);
    assert_eq!(world.stripe.refunds().len(), 1, "refunded once");
}

/// The bill comes from Salesforce, not the client: get_stay_folio shows it (to the guest without
/// arguments, to the desk by email), a checkout without an amount charges it, a different amount
/// is `422 AMOUNT_MISMATCH` naming the amount due with nothing charged, even for staff unless a
/// manager overrides, and the opportunity records what was paid.
#[tokio::test]
async fn the_bill_comes_from_the_record_not_the_client() {
    let world = World::start().await;
    let Ran {
        output: folio,
        invocation,
    } = world.run::<GetStayFolio>(guest(ALICE), json!({})).await;
    assert_eq!(invocation.http_status(), 200, "{}", invocation.body());
    assert_eq!(folio.total_due, AMOUNT);
    assert_eq!(folio.lines[0].quantity, 2);
    assert_eq!(folio.lines[0].unit_amount, 14_999);
    assert_eq!(folio.check_out_date.to_string(), day(0), "billed to today");
    assert_eq!(folio.booking_status, BookingStatus::CheckedIn);
    let for_the_desk = world
        .run::<GetStayFolio>(staff(), json!({ "guest_email": ALICE }))
        .await;
    assert_eq!(for_the_desk.output, folio);

    let mut cheap = checkout("co-cheap", "pm_card_visa");
    cheap["amount"] = json!(50);
    for caller in [guest(ALICE), staff()] {
        let refused = world.call("process_guest_checkout", caller, cheap.clone()).await;
        let body = refused.body();
        assert_eq!(
            (refused.http_status(), error_code(&body)),
            (422, "AMOUNT_MISMATCH"),
            "{body}"
        );
        assert_eq!(body["details"]["amount_due"], AMOUNT);
    }
    let mut reason_without_rank = cheap.clone();
    reason_without_rank["idempotency_token"] = json!("co-cheap-reason");
    reason_without_rank["amount_override_reason"] = json!("I said so");
    let refused = world
        .call("process_guest_checkout", staff(), reason_without_rank)
        .await;
    assert_eq!(
        error_code(&refused.body()),
        "AMOUNT_MISMATCH",
        "only managers override"
    );
    assert!(world.stripe.payment_intents().is_empty(), "nothing charged");
    assert_eq!(alice_stay(&world).0["Status__c"], "Checked In");

    let mut billed = checkout("co-billed", "pm_card_visa");
    billed.as_object_mut().unwrap().remove("amount");
    let paid = world.call("process_guest_checkout", guest(ALICE), billed).await;
    assert_eq!(paid.http_status(), 200, "{}", paid.body());
    assert_eq!(paid.body()["amount"], AMOUNT);
    assert_eq!(world.stripe.payment_intents()[0].amount, AMOUNT);
    let (_, _, opportunity) = alice_stay(&world);
    let recorded = world.one(&format!(
        "SELECT Amount FROM Opportunity WHERE Id = '{}'",
        opportunity["Id"].as_str().unwrap()
    ));
    assert_eq!(
        recorded["Amount"], 299.98,
        "the opportunity records what was paid"
    );

    // Once checked out, the bill names the charge that paid it; a stranger's booking and one that
    // does not exist get the same answer.
    let number = alice_stay(&world).0["Name"].as_str().unwrap().to_owned();
    let settled = world
        .call(
            "get_stay_folio",
            guest(ALICE),
            json!({ "booking_number": number }),
        )
        .await
        .result
        .unwrap();
    assert_eq!(settled["total_due"], AMOUNT);
    assert_eq!(settled["paid_by"], paid.body()["transaction_id"]);
    let strangers = world
        .call(
            "get_stay_folio",
            guest("guest2@hotel.com"),
            json!({ "booking_number": number }),
        )
        .await;
    let missing = world
        .call(
            "get_stay_folio",
            guest("guest2@hotel.com"),
            json!({ "booking_number": "BK-9999" }),
        )
        .await;
    assert_eq!(strangers.http_status(), 404);
    assert_eq!(
        (strangers.http_status(), error_code(&strangers.body())),
        (missing.http_status(), error_code(&missing.body()))
    );
}
