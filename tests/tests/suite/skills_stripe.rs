//! The Stripe atomic skills end to end against the Stripe sandbox: a customer found or created, a
//! PaymentIntent with the guest's metadata, confirmations that succeed, decline or wait for 3-D
//! Secure, the status read under both its names, refunds; every refusal made before anything
//! reaches Stripe, one object per idempotency token, and managers alone moving money.

use crate::skills_support::{contact_id, error_code};
use axum::http::Method;
use dewy_e2e::{World, guest, manager, staff};
use dewy_stripe_sandbox::{Fault, FaultRule, PaymentIntentStatus};
use dewy_tool::Caller;
use serde_json::{Value, json};

const KAY: &str = "kay@example.com";

/// Calls `tool` as a manager and returns the success, failing the test on an error.
async fn ok(world: &World, tool: &str, arguments: Value) -> Value {
    let invocation = world.call(tool, manager(), arguments.clone()).await;
    match invocation.result {
        Ok(output) => output,
        Err(error) => panic!("{tool} {arguments}: {error:?}"),
    }
}

/// Calls `tool` as a manager and asserts the status and error code; returns the error body.
async fn refused(world: &World, tool: &str, arguments: Value, status: u16, code: &str) -> Value {
    refused_as(world, manager(), tool, arguments, status, code).await
}

/// Calls `tool` as `caller` and asserts the status and error code; returns the error body.
async fn refused_as(
    world: &World,
    caller: Caller,
    tool: &str,
    arguments: Value,
    status: u16,
    code: &str,
) -> Value {
    let invocation = world.call(tool, caller, arguments.clone()).await;
    let body = invocation.body();
    assert_eq!(
        (invocation.http_status(), error_code(&body)),
        (status, code),
        "{tool} {arguments}: {body}"
    );
    assert_eq!(body["success"], false, "{body}");
    assert!(
        body["error_message"].as_str().is_some_and(|m| m.len() > 10),
        "an actionable message: {body}"
    );
    body
}

/// Kay's Stripe customer (created through the tool).
async fn kay_customer(world: &World) -> String {
    let created = ok(
        world,
        "create_stripe_customer",
        json!({ "email": KAY, "name": "Kay Hart", "guest_id": contact_id(world, KAY),
                "idempotency_token": "cust-kay" }),
    )
    .await;
    created["customer_id"].as_str().unwrap().to_owned()
}

/// A PaymentIntent of `amount` cents for Kay, not yet confirmed.
async fn intent(world: &World, token: &str, amount: u64) -> String {
    let customer = kay_customer(world).await;
    let created = ok(
        world,
        "create_stripe_payment_intent",
        json!({ "amount": amount, "currency": "usd", "customer_id": customer, "description": "Hotel checkout payment",
                "guest_id": contact_id(world, KAY), "booking_number": "BK-0001", "idempotency_token": token }),
    )
    .await;
    created["payment_intent_id"].as_str().unwrap().to_owned()
}

/// A PaymentIntent of `amount` cents for Kay, paid with a Visa card.
async fn paid_intent(world: &World, token: &str, amount: u64) -> String {
    let id = intent(world, token, amount).await;
    let confirmed = ok(
        world,
        "confirm_stripe_payment",
        json!({ "payment_intent_id": id, "payment_method_id": "pm_card_visa" }),
    )
    .await;
    assert_eq!(confirmed["status"], "succeeded");
    id
}

/// Asserts that no request reached Stripe since the last `reset_stats`.
fn assert_nothing_sent(world: &World) {
    let log: Vec<String> = world
        .stripe
        .request_log()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(log.is_empty(), "nothing may reach Stripe, but: {log:?}");
}

/// A new guest's customer is created with name, phone and guest_id; the same token again is a
/// replay; another token for the same email reuses the customer; the token with other details is
/// refused. Stripe never sees the client's raw token.
#[tokio::test]
async fn a_customer_is_created_once_and_then_found_by_email() {
    let world = World::start().await;
    let guest_id = contact_id(&world, KAY);
    let arguments = json!({ "email": "Kay@Example.com", "name": "Kay Hart", "guest_id": guest_id,
                            "phone": "+15550100123", "idempotency_token": "tok-customer-1" });
    let first = world
        .call("create_stripe_customer", manager(), arguments.clone())
        .await;
    assert_eq!(first.http_status(), 201);
    let created = first.result.unwrap();
    assert_eq!(
        (created["created"].as_bool(), created["email"].as_str()),
        (Some(true), Some(KAY))
    );
    let customers = world.stripe.customers();
    assert_eq!(customers.len(), 1);
    let customer = &customers[0];
    assert_eq!(created["customer_id"].as_str(), Some(customer.id.as_str()));
    assert_eq!(
        (
            customer.email.as_deref(),
            customer.name.as_deref(),
            customer.phone.as_deref()
        ),
        (Some(KAY), Some("Kay Hart"), Some("+15550100123"))
    );
    assert_eq!(customer.metadata.get("guest_id"), Some(&guest_id));
    let keys: Vec<String> = world
        .stripe
        .request_log()
        .iter()
        .filter_map(|r| r.idempotency_key.clone())
        .collect();
    assert_eq!(keys.len(), 1, "one POST, with a key");
    assert!(
        !keys[0].contains("tok-customer-1"),
        "the raw token stays here: {}",
        keys[0]
    );

    let again = world
        .call("create_stripe_customer", manager(), arguments.clone())
        .await;
    assert!(again.replayed);
    assert_eq!(again.http_status(), 201, "a replay keeps its status");
    assert_eq!(again.result.unwrap(), created);

    let other_token = json!({ "email": KAY, "name": "Kay Hart", "guest_id": guest_id, "idempotency_token": "tok-customer-2" });
    let found = world.call("create_stripe_customer", manager(), other_token).await;
    assert_eq!(found.http_status(), 200);
    let found = found.result.unwrap();
    assert_eq!(
        (found["created"].as_bool(), &found["customer_id"]),
        (Some(false), &created["customer_id"])
    );
    assert_eq!(world.stripe.customers().len(), 1, "never a duplicate customer");

    let mut changed = arguments;
    changed["name"] = json!("Kay Hartley");
    refused(
        &world,
        "create_stripe_customer",
        changed,
        422,
        "IDEMPOTENCY_KEY_REUSED",
    )
    .await;
    assert_eq!(world.stripe.customers().len(), 1);
}

/// A PaymentIntent is created for the customer with guest_id and booking_number as metadata (not
/// the original's booking_id); the same token is one PaymentIntent; other details under it are refused.
#[tokio::test]
async fn a_payment_intent_carries_the_guest_and_booking_and_is_made_once_per_token() {
    let world = World::start().await;
    let customer = kay_customer(&world).await;
    let guest_id = contact_id(&world, KAY);
    let arguments = json!({ "amount": 45000, "currency": "USD", "customer_id": customer,
                            "description": "Hotel checkout payment", "guest_id": guest_id,
                            "booking_number": "bk-0001", "idempotency_token": "tok-pi-1" });
    let first = world
        .call("create_stripe_payment_intent", manager(), arguments.clone())
        .await;
    assert_eq!(first.http_status(), 201);
    let created = first.result.unwrap();
    assert_eq!(created["status"], "requires_payment_method");
    assert_eq!(
        (created["amount"].as_u64(), created["currency"].as_str()),
        (Some(45000), Some("usd"))
    );
    assert!(
        created["client_secret"]
            .as_str()
            .is_some_and(|s| s.contains("_secret_"))
    );
    let intents = world.stripe.payment_intents();
    assert_eq!(intents.len(), 1);
    let stored = &intents[0];
    assert_eq!(created["payment_intent_id"].as_str(), Some(stored.id.as_str()));
    assert_eq!(stored.customer.as_deref(), Some(customer.as_str()));
    assert_eq!(stored.description.as_deref(), Some("Hotel checkout payment"));
    assert_eq!(stored.metadata.get("guest_id"), Some(&guest_id));
    assert_eq!(
        stored.metadata.get("booking_number").map(String::as_str),
        Some("BK-0001")
    );
    assert!(!stored.metadata.contains_key("booking_id"));

    let again = world
        .call("create_stripe_payment_intent", manager(), arguments.clone())
        .await;
    assert!(again.replayed);
    assert_eq!(again.result.unwrap(), created);
    assert_eq!(
        world.stripe.payment_intents().len(),
        1,
        "one PaymentIntent per token"
    );

    let mut changed = arguments;
    changed["amount"] = json!(46000);
    refused(
        &world,
        "create_stripe_payment_intent",
        changed,
        422,
        "IDEMPOTENCY_KEY_REUSED",
    )
    .await;
    assert_eq!(world.stripe.payment_intents().len(), 1);
}

/// Amounts, currencies, ids, types and missing fields are refused before anything reaches Stripe,
/// with messages that say the rule (50 cents is Stripe's minimum for usd).
#[tokio::test]
async fn payment_inputs_are_checked_before_stripe_is_called() {
    let world = World::start().await;
    let guest_id = contact_id(&world, KAY);
    let valid = json!({ "amount": 5000, "currency": "usd", "customer_id": "cus_NffrFeUfNV2Hib",
                        "description": "Hotel checkout payment", "guest_id": guest_id, "idempotency_token": "tok-v" });
    world.stripe.reset_stats();
    let with = |field: &str, value: Value| {
        let mut arguments = valid.clone();
        arguments[field] = value;
        arguments
    };
    let without = |field: &str| {
        let mut arguments = valid.clone();
        arguments.as_object_mut().unwrap().remove(field);
        arguments
    };
    let pi = "create_stripe_payment_intent";
    let too_small = refused(&world, pi, with("amount", json!(49)), 400, "VALIDATION_ERROR").await;
    assert!(
        too_small["error_message"].as_str().unwrap().contains("50 cents"),
        "{too_small}"
    );
    for (arguments, code) in [
        (with("amount", json!(100_000_000)), "VALIDATION_ERROR"),
        (with("amount", json!(-5000)), "VALIDATION_ERROR"),
        (with("amount", json!("5000")), "VALIDATION_ERROR"),
        (with("amount", json!(50.5)), "VALIDATION_ERROR"),
        (with("currency", json!("dollars")), "VALIDATION_ERROR"),
        (with("currency", json!("u$d")), "VALIDATION_ERROR"),
        (with("customer_id", json!("cust_123")), "VALIDATION_ERROR"),
        (
            with("customer_id", json!("cus_1/../../v1/refunds")),
            "VALIDATION_ERROR",
        ),
        (with("guest_id", json!("kay")), "VALIDATION_ERROR"),
        (with("booking_number", json!("booking 1")), "VALIDATION_ERROR"),
        (with("description", json!("")), "VALIDATION_ERROR"),
        (with("idempotency_token", json!("a b")), "VALIDATION_ERROR"),
        (
            with("booking_id", json!("a01Dn0000000001IAA")),
            "VALIDATION_ERROR",
        ),
        (without("amount"), "REQUIRED_FIELDS_MISSING"),
        (without("customer_id"), "REQUIRED_FIELDS_MISSING"),
        (without("idempotency_token"), "REQUIRED_FIELDS_MISSING"),
    ] {
        refused(&world, pi, arguments, 400, code).await;
    }
    let customer =
        json!({ "email": "not-an-email", "name": "Kay", "guest_id": guest_id, "idempotency_token": "t" });
    refused(
        &world,
        "create_stripe_customer",
        customer,
        400,
        "VALIDATION_ERROR",
    )
    .await;
    let no_name = json!({ "email": KAY, "guest_id": guest_id, "idempotency_token": "t" });
    let missing = refused(
        &world,
        "create_stripe_customer",
        no_name,
        400,
        "REQUIRED_FIELDS_MISSING",
    )
    .await;
    assert_eq!(missing["details"]["missing_fields"], json!(["name"]));
    for arguments in [
        json!({ "payment_intent_id": "ch_123", "payment_method_id": "pm_card_visa" }),
        json!({ "payment_intent_id": "pi_123", "payment_method_id": "card_visa" }),
        json!({ "payment_intent_id": "pi_123", "payment_method_id": "pm_card_visa", "return_url": "dewy.example" }),
        json!({ "payment_intent_id": 123, "payment_method_id": "pm_card_visa" }),
    ] {
        refused(
            &world,
            "confirm_stripe_payment",
            arguments,
            400,
            "VALIDATION_ERROR",
        )
        .await;
    }
    refused(
        &world,
        "stripe_payment_status",
        json!({ "payment_intent_id": "pi_" }),
        400,
        "VALIDATION_ERROR",
    )
    .await;
    refused(
        &world,
        "retrieve_stripe_payment_status",
        json!({}),
        400,
        "REQUIRED_FIELDS_MISSING",
    )
    .await;
    assert_nothing_sent(&world);
}

/// A customer Stripe does not know is PAYMENT_NOT_FOUND, and no PaymentIntent is made.
#[tokio::test]
async fn an_unknown_customer_is_payment_not_found() {
    let world = World::start().await;
    let arguments = json!({ "amount": 5000, "currency": "usd", "customer_id": "cus_NoSuchCustomer1",
                            "description": "Hotel checkout payment", "guest_id": contact_id(&world, KAY),
                            "idempotency_token": "tok-ghost" });
    refused(
        &world,
        "create_stripe_payment_intent",
        arguments,
        400,
        "PAYMENT_NOT_FOUND",
    )
    .await;
    assert!(world.stripe.payment_intents().is_empty());
}

/// A Visa card pays the PaymentIntent; both names of the status tool then answer the same: paid,
/// the charge, no error, the metadata.
#[tokio::test]
async fn a_card_pays_and_both_status_tools_answer_the_same() {
    let world = World::start().await;
    let id = intent(&world, "tok-pay", 45000).await;
    let confirmation = json!({ "payment_intent_id": id, "payment_method_id": "pm_card_visa" });
    let confirmed = world
        .call("confirm_stripe_payment", manager(), confirmation.clone())
        .await;
    assert_eq!(confirmed.http_status(), 200);
    let confirmed = confirmed.result.unwrap();
    let stored = world.stripe.payment_intent(&id).unwrap();
    assert_eq!(stored.status, PaymentIntentStatus::Succeeded);
    assert_eq!(
        (
            confirmed["status"].as_str(),
            confirmed["requires_action"].as_bool()
        ),
        (Some("succeeded"), Some(false))
    );
    assert_eq!(confirmed["charge_id"].as_str(), stored.latest_charge.as_deref());
    assert!(confirmed["next_action_type"].is_null());

    let again = world
        .call("confirm_stripe_payment", manager(), confirmation)
        .await;
    assert!(again.replayed, "the same confirmation is one operation");
    assert_eq!(world.stripe.charges().len(), 1, "charged once");

    let status = ok(
        &world,
        "retrieve_stripe_payment_status",
        json!({ "payment_intent_id": id }),
    )
    .await;
    let short = ok(
        &world,
        "stripe_payment_status",
        json!({ "payment_intent_id": id }),
    )
    .await;
    assert_eq!(status, short);
    assert_eq!(status["status"], "succeeded");
    assert_eq!(
        (status["amount"].as_u64(), status["amount_received"].as_u64()),
        (Some(45000), Some(45000))
    );
    assert_eq!(status["currency"], "usd");
    assert_eq!(status["charge_id"], confirmed["charge_id"]);
    assert!(status["last_payment_error"].is_null());
    assert_eq!(status["metadata"]["booking_number"], "BK-0001");
    assert_eq!(
        status["metadata"]["guest_id"].as_str(),
        Some(contact_id(&world, KAY).as_str())
    );
}

/// A declined card is 402 PAYMENT_FAILED with the issuer's decline code; the status tool then shows
/// the error, and another card still pays.
#[tokio::test]
async fn a_declined_card_is_payment_failed_with_its_decline_code() {
    let world = World::start().await;
    let id = intent(&world, "tok-decline", 45000).await;
    let declined = refused(
        &world,
        "confirm_stripe_payment",
        json!({ "payment_intent_id": id, "payment_method_id": "pm_card_chargeDeclined" }),
        402,
        "PAYMENT_FAILED",
    )
    .await;
    assert_eq!(declined["details"]["decline_code"], "generic_decline");
    assert_eq!(
        declined["details"]["payment_intent_id"].as_str(),
        Some(id.as_str())
    );
    assert_eq!(declined["details"]["retryable"], false);

    let status = ok(
        &world,
        "stripe_payment_status",
        json!({ "payment_intent_id": id }),
    )
    .await;
    assert_eq!(status["status"], "requires_payment_method");
    assert_eq!(status["amount_received"], 0);
    assert_eq!(
        status["last_payment_error"],
        json!({ "code": "card_declined", "decline_code": "generic_decline", "message": "Your card was declined." })
    );

    let insufficient = refused(
        &world,
        "confirm_stripe_payment",
        json!({ "payment_intent_id": id, "payment_method_id": "pm_card_insufficientFunds" }),
        402,
        "PAYMENT_FAILED",
    )
    .await;
    assert_eq!(insufficient["details"]["decline_code"], "insufficient_funds");
    let paid = ok(
        &world,
        "confirm_stripe_payment",
        json!({ "payment_intent_id": id, "payment_method_id": "pm_card_mastercard" }),
    )
    .await;
    assert_eq!(paid["status"], "succeeded");
}

/// A card that needs 3-D Secure is a 202 success with the next action (a redirect URL with
/// return_url, Stripe.js without); once the guest authenticates, the status tool shows it paid.
#[tokio::test]
async fn a_card_needing_authentication_answers_the_next_action() {
    let world = World::start().await;
    let id = intent(&world, "tok-3ds", 45000).await;
    let waiting = world
        .call(
            "confirm_stripe_payment",
            manager(),
            json!({ "payment_intent_id": id, "payment_method_id": "pm_card_authenticationRequired",
                    "return_url": "https://dewy.example/checkout/done" }),
        )
        .await;
    assert_eq!(waiting.http_status(), 202);
    let waiting = waiting.result.unwrap();
    assert_eq!(
        (waiting["status"].as_str(), waiting["requires_action"].as_bool()),
        (Some("requires_action"), Some(true))
    );
    assert_eq!(waiting["next_action_type"], "redirect_to_url");
    // The sandbox's own 3-D Secure page, where a browser authenticates.
    let page = format!("{}/redirect/authenticate/{id}?", world.stripe.base_url());
    assert!(
        waiting["next_action_url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&page)),
        "{waiting}"
    );
    assert!(waiting["charge_id"].is_null());

    world.stripe.authenticate(&id, true).unwrap();
    let status = ok(
        &world,
        "retrieve_stripe_payment_status",
        json!({ "payment_intent_id": id }),
    )
    .await;
    assert_eq!(status["status"], "succeeded");
    assert!(status["charge_id"].as_str().is_some_and(|c| c.starts_with("ch_")));

    let other = intent(&world, "tok-3ds-sdk", 45000).await;
    let sdk = ok(
        &world,
        "confirm_stripe_payment",
        json!({ "payment_intent_id": other, "payment_method_id": "pm_card_threeDSecure2Required" }),
    )
    .await;
    assert_eq!(
        (sdk["next_action_type"].as_str(), sdk["next_action_url"].as_str()),
        (Some("use_stripe_sdk"), None)
    );
}

/// Confirming a PaymentIntent that is already paid (with another card) is a state conflict naming
/// its status and charge, not a refund refusal, and charges nothing more.
#[tokio::test]
async fn confirming_a_paid_payment_intent_is_a_state_conflict() {
    let world = World::start().await;
    let id = paid_intent(&world, "tok-twice", 45000).await;
    let conflict = refused(
        &world,
        "confirm_stripe_payment",
        json!({ "payment_intent_id": id, "payment_method_id": "pm_card_mastercard" }),
        409,
        "INVALID_STATE_TRANSITION",
    )
    .await;
    assert_eq!(conflict["details"]["status"], "succeeded");
    assert!(
        conflict["details"]["charge_id"]
            .as_str()
            .is_some_and(|c| c.starts_with("ch_"))
    );
    assert_eq!(world.stripe.charges().len(), 1);
}

/// A PaymentIntent Stripe does not know is PAYMENT_NOT_FOUND for every tool that names one.
#[tokio::test]
async fn an_unknown_payment_intent_is_payment_not_found() {
    let world = World::start().await;
    let ghost = "pi_3NoSuchIntent000000000000";
    for tool in ["retrieve_stripe_payment_status", "stripe_payment_status"] {
        refused(
            &world,
            tool,
            json!({ "payment_intent_id": ghost }),
            400,
            "PAYMENT_NOT_FOUND",
        )
        .await;
    }
    refused(
        &world,
        "confirm_stripe_payment",
        json!({ "payment_intent_id": ghost, "payment_method_id": "pm_card_visa" }),
        400,
        "PAYMENT_NOT_FOUND",
    )
    .await;
    refused(
        &world,
        "create_stripe_refund",
        json!({ "payment_intent_id": ghost, "idempotency_token": "tok-ghost-refund" }),
        400,
        "PAYMENT_NOT_FOUND",
    )
    .await;
    assert!(world.stripe.refunds().is_empty());
}

/// A partial refund, then the rest; a long note is cut to Stripe's 500 characters; the same token
/// is one refund; refunding more than is left, or a fully refunded payment, is refused.
#[tokio::test]
async fn a_paid_payment_is_refunded_in_part_then_in_full_once_per_token() {
    let world = World::start().await;
    let id = paid_intent(&world, "tok-refund-pi", 45000).await;
    let note = "Guest moved rooms after the heating failed. ".repeat(20);
    let partial = json!({ "payment_intent_id": id, "amount": 5000, "reason": "requested_by_customer",
                          "metadata_reason": note, "idempotency_token": "tok-refund-1" });
    let first = world
        .call("create_stripe_refund", manager(), partial.clone())
        .await;
    assert_eq!(first.http_status(), 201);
    let first = first.result.unwrap();
    assert_eq!(
        (first["amount"].as_u64(), first["status"].as_str()),
        (Some(5000), Some("succeeded"))
    );
    assert_eq!(first["payment_intent_id"].as_str(), Some(id.as_str()));
    let refunds = world.stripe.refunds();
    assert_eq!(refunds.len(), 1);
    assert_eq!(first["refund_id"].as_str(), Some(refunds[0].id.as_str()));
    assert_eq!(refunds[0].reason.as_deref(), Some("requested_by_customer"));
    let stored_note = &refunds[0].metadata["reason"];
    assert_eq!(stored_note.chars().count(), 500);
    assert!(note.trim().starts_with(stored_note.as_str()));

    let again = world
        .call("create_stripe_refund", manager(), partial.clone())
        .await;
    assert!(again.replayed);
    assert_eq!(world.stripe.refunds().len(), 1, "one refund per token");
    let mut changed = partial;
    changed["amount"] = json!(6000);
    refused(
        &world,
        "create_stripe_refund",
        changed,
        422,
        "IDEMPOTENCY_KEY_REUSED",
    )
    .await;

    let too_much = json!({ "payment_intent_id": id, "amount": 45000, "idempotency_token": "tok-refund-2" });
    let body = refused(&world, "create_stripe_refund", too_much, 400, "VALIDATION_ERROR").await;
    assert_eq!(body["details"]["param"], "amount");
    let rest = ok(
        &world,
        "create_stripe_refund",
        json!({ "payment_intent_id": id, "idempotency_token": "tok-refund-3" }),
    )
    .await;
    assert_eq!(rest["amount"], 40000, "a full refund is what is left");
    let done = json!({ "payment_intent_id": id, "idempotency_token": "tok-refund-4" });
    refused(
        &world,
        "create_stripe_refund",
        done,
        422,
        "PAYMENT_NOT_REFUNDABLE",
    )
    .await;
    assert_eq!(world.stripe.refunds().len(), 2);
}

/// A PaymentIntent that was never paid cannot be refunded: Stripe's refusal is 422
/// PAYMENT_NOT_REFUNDABLE; refund inputs are checked before Stripe is called.
#[tokio::test]
async fn an_unpaid_payment_intent_is_not_refundable() {
    let world = World::start().await;
    let id = intent(&world, "tok-unpaid", 45000).await;
    let body = refused(
        &world,
        "create_stripe_refund",
        json!({ "payment_intent_id": id, "idempotency_token": "tok-unpaid-refund" }),
        422,
        "PAYMENT_NOT_REFUNDABLE",
    )
    .await;
    assert_eq!(body["details"]["stripe_error_code"], "charge_not_refundable");
    assert!(world.stripe.refunds().is_empty());

    world.stripe.reset_stats();
    for arguments in [
        json!({ "payment_intent_id": id, "reason": "changed_mind", "idempotency_token": "t1" }),
        json!({ "payment_intent_id": id, "amount": 0, "idempotency_token": "t2" }),
        json!({ "payment_intent_id": id, "amount": "100", "idempotency_token": "t3" }),
        json!({ "payment_intent_id": "re_123", "idempotency_token": "t4" }),
    ] {
        refused(&world, "create_stripe_refund", arguments, 400, "VALIDATION_ERROR").await;
    }
    refused(
        &world,
        "create_stripe_refund",
        json!({ "payment_intent_id": id }),
        400,
        "REQUIRED_FIELDS_MISSING",
    )
    .await;
    assert_nothing_sent(&world);
}

/// Staff and guests may not use any Stripe skill: 403 before anything reaches Stripe.
#[tokio::test]
async fn only_managers_may_move_money() {
    let world = World::start().await;
    world.stripe.reset_stats();
    let calls = [
        (
            "create_stripe_customer",
            json!({ "email": KAY, "name": "Kay", "guest_id": "003Dn0000000001IAA", "idempotency_token": "t" }),
        ),
        (
            "create_stripe_payment_intent",
            json!({ "amount": 5000, "currency": "usd", "customer_id": "cus_1", "description": "x", "guest_id": "003Dn0000000001IAA", "idempotency_token": "t" }),
        ),
        (
            "confirm_stripe_payment",
            json!({ "payment_intent_id": "pi_1", "payment_method_id": "pm_card_visa" }),
        ),
        (
            "retrieve_stripe_payment_status",
            json!({ "payment_intent_id": "pi_1" }),
        ),
        ("stripe_payment_status", json!({ "payment_intent_id": "pi_1" })),
        (
            "create_stripe_refund",
            json!({ "payment_intent_id": "pi_1", "idempotency_token": "t" }),
        ),
    ];
    for (tool, arguments) in calls {
        for caller in [staff(), guest(KAY)] {
            refused_as(&world, caller, tool, arguments.clone(), 403, "FORBIDDEN").await;
        }
    }
    assert_nothing_sent(&world);
}

/// Stripe failing (500s on every attempt) is 503 STRIPE_UNAVAILABLE, retryable, with nothing
/// created; the failure is not replayed, so the same token succeeds once Stripe is back.
/// (Recovery comes before the second outage: five failures in a row open the breaker.)
#[tokio::test]
async fn a_stripe_outage_is_unavailable_and_creates_nothing() {
    let world = World::start().await;
    let customer = kay_customer(&world).await;
    let arguments = json!({ "amount": 5000, "currency": "usd", "customer_id": customer,
                            "description": "Hotel checkout payment", "guest_id": contact_id(&world, KAY),
                            "idempotency_token": "tok-outage" });
    world
        .stripe
        .add_fault(FaultRule::new(Fault::ServerError).path("/v1/payment_intents"));
    let body = refused(
        &world,
        "create_stripe_payment_intent",
        arguments.clone(),
        503,
        "STRIPE_UNAVAILABLE",
    )
    .await;
    assert_eq!(body["details"]["backend"], "stripe");
    assert_eq!(body["details"]["retryable"], true);
    assert!(world.stripe.payment_intents().is_empty(), "nothing created");

    world.stripe.clear_faults();
    let recovered = world
        .call("create_stripe_payment_intent", manager(), arguments)
        .await;
    assert!(!recovered.replayed, "a failure is never replayed");
    assert_eq!(recovered.http_status(), 201);
    assert_eq!(world.stripe.payment_intents().len(), 1);

    // The customer's lookup works, its creation fails: still nothing half-made.
    world.stripe.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/v1/customers")
            .method(Method::POST),
    );
    let new_guest = json!({ "email": "nia@example.com", "name": "Nia Okoro", "guest_id": "003Dn0000000001IAA",
                            "idempotency_token": "tok-outage-customer" });
    refused(
        &world,
        "create_stripe_customer",
        new_guest,
        503,
        "STRIPE_UNAVAILABLE",
    )
    .await;
    assert_eq!(world.stripe.customers().len(), 1, "only Kay's, from before");
}

/// A PaymentIntent created at Stripe whose answer was lost is not created again: the connector's
/// retry carries the same Idempotency-Key and Stripe replays it.
#[tokio::test]
async fn a_lost_answer_is_replayed_by_stripe_not_repeated() {
    let world = World::start().await;
    world.stripe.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/v1/customers")
            .method(Method::POST)
            .after_handling()
            .times(1),
    );
    let created = ok(
        &world,
        "create_stripe_customer",
        json!({ "email": "nia@example.com", "name": "Nia Okoro", "guest_id": "003Dn0000000001IAA",
                "idempotency_token": "tok-lost" }),
    )
    .await;
    assert_eq!(created["created"], true);
    assert_eq!(
        world.stripe.customers().len(),
        1,
        "one customer despite the lost answer"
    );
    assert!(world.stripe.request_log().iter().any(|r| r.replayed));
}
