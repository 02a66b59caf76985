//! A person confirms the money an agent moves (docs/confirmations.md), proven at the MCP wire
//! (protocol 2026-07-28) against the local API over the sandboxes: nothing is charged before the
//! person accepts, an acceptance runs once, and a forged, altered, foreign or replayed state runs
//! nothing. Stripe's own records are the proof. The official Python SDK answering the question is
//! in `mcp_clients.rs`; a state's expiry is in `dewy_mcp::confirm`'s tests (it lasts five minutes).

use dewy_e2e::mcp_wire::{McpWire, answer, input_required};
use dewy_e2e::{Api, World, uuid_v4};
use dewy_mcp::Unconfirmable;
use dewy_stripe_sandbox::PaymentIntentStatus;
use serde_json::{Value, json};

/// A client that declared elicitation: its person can be asked.
fn asking(api: &Api, endpoint: &str, email: &str) -> McpWire {
    let url = format!("{}/mcp/{endpoint}", api.url);
    McpWire::new(url, api.token(email), json!({ "elicitation": {} }))
}

/// A guest's checkout over MCP by a client that can ask its person, up to the question: the
/// client, the call's arguments, and the input-required result asking it.
async fn asked_to_check_out(api: &Api, email: &str, name: &str) -> (McpWire, Value, Value) {
    let client = asking(api, "guest", email);
    let arguments = checkout(name);
    let (_, first) = client
        .call("process_guest_checkout", &arguments, Value::Null)
        .await;
    let asked = input_required(&first)
        .unwrap_or_else(|| panic!("asked first: {first}"))
        .clone();
    (client, arguments, asked)
}

fn checkout(name: &str) -> Value {
    json!({ "guest_name": name, "payment_method_id": "pm_card_visa", "idempotency_token": uuid_v4() })
}

/// The structured content of a completed tool result, or the response if it is something else.
fn completed(response: &Value) -> &Value {
    assert_eq!(response["result"]["resultType"], "complete", "{response}");
    &response["result"]["structuredContent"]
}

fn rejection(response: &Value) -> (i64, &str) {
    let error = &response["error"];
    (
        error["code"].as_i64().unwrap_or_default(),
        error["data"]["reason"].as_str().unwrap_or_default(),
    )
}

#[tokio::test]
async fn nothing_is_charged_until_the_person_accepts_and_an_acceptance_runs_once() {
    let world = World::start().await;
    let api = world.serve_api().await;
    let email = "guest5@hotel.com";
    let (booking, total) = world.bill(email).await;
    let client = asking(&api, "guest", email);
    let arguments = checkout("Ethan Wright");

    let (status, first) = client
        .call("process_guest_checkout", &arguments, Value::Null)
        .await;
    assert_eq!(status, 200);
    let asked = input_required(&first).unwrap_or_else(|| panic!("asked first: {first}"));
    let question = asked["inputRequests"]["confirm_money_move"]["params"]["message"]
        .as_str()
        .unwrap();
    let dollars = format!("${}.{:02}", total / 100, total % 100);
    for part in [dollars.as_str(), "Visa •••• 4242", booking.as_str()] {
        assert!(question.contains(part), "{question} names {part}");
    }
    assert_eq!(asked["_meta"]["dewy-resort/money-move"]["amount"], total);
    assert!(
        world.payments_for(&booking).is_empty(),
        "nothing charged before the answer"
    );

    let retry = answer(asked, "accept");
    let (_, paid) = client
        .call("process_guest_checkout", &arguments, retry.clone())
        .await;
    assert_eq!(completed(&paid)["amount"], total, "{paid}");
    assert_eq!(
        world.payments_for(&booking),
        [(PaymentIntentStatus::Succeeded, total)]
    );

    let (_, again) = client.call("process_guest_checkout", &arguments, retry).await;
    assert_eq!(rejection(&again), (-32602, "used"), "{again}");
    assert_eq!(world.payments_for(&booking).len(), 1, "one charge");
}

#[tokio::test]
async fn a_declined_charge_charges_nothing() {
    let world = World::start().await;
    let api = world.serve_api().await;
    let email = "guest6@hotel.com";
    let (booking, _) = world.bill(email).await;
    let (client, arguments, asked) = asked_to_check_out(&api, email, "Fiona Green").await;
    let (_, declined) = client
        .call("process_guest_checkout", &arguments, answer(&asked, "decline"))
        .await;
    assert_eq!(declined["result"]["isError"], true, "{declined}");
    assert_eq!(
        declined["result"]["structuredContent"]["error_code"],
        "CONFIRMATION_DECLINED"
    );
    assert!(world.payments_for(&booking).is_empty());
    let status = world.one(&format!(
        "SELECT Status__c FROM Booking__c WHERE Name = '{booking}'"
    ));
    assert_eq!(status["Status__c"], "Checked In");
}

#[tokio::test]
async fn forged_altered_and_foreign_states_run_nothing() {
    let world = World::start().await;
    let api = world.serve_api().await;
    let email = "guest7@hotel.com";
    let (booking, total) = world.bill(email).await;
    let (client, arguments, asked) = asked_to_check_out(&api, email, "George Hill").await;
    let accepted = answer(&asked, "accept");

    let mut tampered = accepted.clone();
    tampered["requestState"] = json!(format!("{}x", asked["requestState"].as_str().unwrap()));
    let (_, refused) = client.call("process_guest_checkout", &arguments, tampered).await;
    assert_eq!(rejection(&refused), (-32602, "invalid"), "tampered: {refused}");

    let mut forged = accepted.clone();
    forged["requestState"] = json!("rs1.eyJkaWdlc3QiOiJ4In0.AAAA");
    let (_, refused) = client.call("process_guest_checkout", &arguments, forged).await;
    assert_eq!(rejection(&refused), (-32602, "invalid"), "forged: {refused}");

    let other_arguments = checkout("George Hill");
    let (_, refused) = client
        .call("process_guest_checkout", &other_arguments, accepted.clone())
        .await;
    assert_eq!(
        rejection(&refused),
        (-32602, "invalid"),
        "other arguments: {refused}"
    );

    // Another guest sends this guest's state with this guest's arguments: bound to the caller.
    let stranger = asking(&api, "guest", "guest8@hotel.com");
    let (_, refused) = stranger
        .call("process_guest_checkout", &arguments, accepted.clone())
        .await;
    assert_eq!(
        rejection(&refused),
        (-32602, "invalid"),
        "another caller: {refused}"
    );

    assert!(world.payments_for(&booking).is_empty(), "none of them charged");
    let (_, paid) = client.call("process_guest_checkout", &arguments, accepted).await;
    assert_eq!(completed(&paid)["amount"], total, "the genuine one still runs");
    assert_eq!(world.payments_for(&booking).len(), 1);
}

#[tokio::test]
async fn two_acceptances_sent_at_once_charge_once() {
    let world = World::start().await;
    let api = world.serve_api().await;
    let email = "guest9@hotel.com";
    let (booking, total) = world.bill(email).await;
    let (client, arguments, asked) = asked_to_check_out(&api, email, "Hannah Irwin").await;
    let accepted = answer(&asked, "accept");
    let (one, two) = tokio::join!(
        client.call("process_guest_checkout", &arguments, accepted.clone()),
        client.call("process_guest_checkout", &arguments, accepted.clone()),
    );
    let paid = [&one.1, &two.1]
        .into_iter()
        .filter(|r| r["result"]["resultType"] == "complete")
        .count();
    let used = [&one.1, &two.1]
        .into_iter()
        .filter(|r| rejection(r) == (-32602, "used"))
        .count();
    assert_eq!((paid, used), (1, 1), "{one:?} {two:?}");
    assert_eq!(
        world.payments_for(&booking),
        [(PaymentIntentStatus::Succeeded, total)]
    );
}

#[tokio::test]
async fn a_client_that_cannot_ask_gets_the_deployments_choice() {
    let world = World::start().await;
    let email = "guest10@hotel.com";
    let (booking, total) = world.bill(email).await;
    let arguments = checkout("Ian Jones");

    // Refused by default, pointing to the portal, whether the client speaks 2026-07-28 without
    // elicitation or an older revision.
    let refusing = world.serve_api().await;
    let blind = McpWire::new(
        format!("{}/mcp/guest", refusing.url),
        refusing.token(email),
        json!({}),
    );
    let (_, refused) = blind
        .call("process_guest_checkout", &arguments, Value::Null)
        .await;
    let body = &refused["result"]["structuredContent"];
    assert_eq!(body["error_code"], "CONFIRMATION_UNAVAILABLE", "{refused}");
    assert!(body["error_message"].as_str().unwrap().contains("web portal"));
    assert!(world.payments_for(&booking).is_empty());

    // Allowed where the deployment says so (and audited as unconfirmed).
    let allowing = world.serve_api_with(Unconfirmable::AllowAudited).await;
    let blind = McpWire::new(
        format!("{}/mcp/guest", allowing.url),
        allowing.token(email),
        json!({}),
    );
    let (_, paid) = blind
        .call("process_guest_checkout", &arguments, Value::Null)
        .await;
    assert_eq!(completed(&paid)["amount"], total, "{paid}");
    assert_eq!(world.payments_for(&booking).len(), 1);
}

#[tokio::test]
async fn a_manager_confirms_a_refund_and_rest_callers_are_never_asked() {
    let world = World::start().await;
    let api = world.serve_api().await;
    let email = "guest2@hotel.com";
    let (booking, total) = world.bill(email).await;

    // REST: the caller's own interface confirms, so nothing is asked, even if the request claims
    // to come with an MCP client's state of confirmation.
    let rest = reqwest::Client::new()
        .post(format!("{}/api/process-guest-checkout", api.url))
        .bearer_auth(api.token(email))
        .header("dewy-confirmation", "ask")
        .json(&checkout("Brian Chen"))
        .send()
        .await
        .unwrap();
    let status = rest.status().as_u16();
    let paid: Value = rest.json().await.unwrap();
    assert_eq!(status, 200, "{paid}");
    let payment = paid["payment_intent_id"].as_str().unwrap().to_owned();

    let manager = asking(&api, "manager", "manager1@hotel.com");
    let arguments = json!({ "payment_intent_id": payment, "idempotency_token": uuid_v4() });
    let (_, first) = manager
        .call("create_stripe_refund", &arguments, Value::Null)
        .await;
    let asked = input_required(&first).unwrap_or_else(|| panic!("asked first: {first}"));
    let question = asked["inputRequests"]["confirm_money_move"]["params"]["message"]
        .as_str()
        .unwrap();
    let dollars = format!("${}.{:02}", total / 100, total % 100);
    assert!(
        question.starts_with(&format!("Refund {dollars} to Visa •••• 4242")),
        "{question}"
    );
    assert!(question.contains(&booking), "{question}");
    assert!(
        world.stripe.refunds().is_empty(),
        "nothing refunded before the answer"
    );

    let (_, refunded) = manager
        .call("create_stripe_refund", &arguments, answer(asked, "accept"))
        .await;
    assert_eq!(completed(&refunded)["amount"], total, "{refunded}");
    let refunds = world.stripe.refunds();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].amount, total);
}
