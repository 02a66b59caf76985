//! The original's edge cases as scenarios an agent lives through, over the local stack's MCP
//! endpoints with the official Python SDK client and tokens from the local issuer: a guest with no
//! Contact asks for towels, double check-in, an invalid room, a room booked twice, a declined card,
//! a card that needs authentication, and the checkout saga under a Salesforce fault. The client's
//! person accepts every charge it is asked to confirm (docs/confirmations.md).
//!
//! `tests/run` installs the client; without it these are skipped unless `DEWY_REQUIRE_MCP_CLIENTS`.

use dewy_local::{LocalOptions, LocalStack};
use dewy_salesforce_sandbox::{Fault, FaultRule};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// The staff endpoint, signed in as a manager (staff + the money-moving tools).
const MANAGER: &str = "manager1@hotel.com";

fn client_available() -> bool {
    let installed = Command::new("python3")
        .args(["-c", "import mcp"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(
            std::env::var_os("DEWY_REQUIRE_MCP_CLIENTS").is_none(),
            "the MCP clients are required but missing"
        );
        eprintln!("skipped: the Python MCP client is not installed (tests/run installs it)");
    }
    installed
}

/// The local stack and a way to call its MCP endpoints as a demo user.
struct Agent {
    stack: LocalStack,
}

impl Agent {
    async fn start() -> Agent {
        Agent {
            stack: LocalStack::start(LocalOptions::ephemeral()).await.unwrap(),
        }
    }

    /// Calls `tool` on the `endpoint` (`guest` or `staff`) as `user`, whose person accepts any
    /// charge the server asks them to confirm; returns the tool result's structured content and
    /// whether it is an error.
    fn call(&self, endpoint: &str, user: &str, tool: &str, arguments: Value) -> (bool, Value) {
        let token = self.stack.token(user).expect("a demo user");
        let url = format!("{}/mcp/{endpoint}", self.stack.api_url);
        let output = Command::new("python3")
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("clients"))
            .args([
                "py_client.py",
                &url,
                &token,
                tool,
                &arguments.to_string(),
                "accept",
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
        let result = &printed["result"];
        assert!(result.is_object(), "{tool} as {user}: {printed}");
        (
            result["isError"].as_bool().unwrap(),
            result["structuredContent"].clone(),
        )
    }

    fn ok(&self, endpoint: &str, user: &str, tool: &str, arguments: Value) -> Value {
        let (is_error, content) = self.call(endpoint, user, tool, arguments);
        assert!(!is_error, "{tool} as {user} failed: {content}");
        content
    }

    fn refused(&self, endpoint: &str, user: &str, tool: &str, arguments: Value) -> Value {
        let (is_error, content) = self.call(endpoint, user, tool, arguments);
        assert!(is_error, "{tool} as {user} should have failed: {content}");
        content
    }
}

/// A guest with no Contact asks for towels; the orchestrator says why it cannot, and the agent
/// composes create_contact (self) and upsert_case, which succeed.
#[tokio::test(flavor = "multi_thread")]
async fn a_guest_without_a_contact_composes_the_atomic_skills() {
    if !client_available() {
        return;
    }
    let agent = Agent::start().await;
    let guest = "new.guest@hotel.com";
    let towels = json!({
        "idempotency_token": dewy_e2e::uuid_v4(), "room_number": "101", "type": "Housekeeping", "priority": "Low",
        "description": "Two extra towels, please"
    });
    let refused = agent.refused("guest", guest, "submit_guest_service_request", towels);
    assert_eq!(refused["error_code"], "GUEST_CONTACT_NOT_FOUND", "{refused}");
    assert!(
        refused["error_message"]
            .as_str()
            .unwrap()
            .contains("create_contact"),
        "the message tells the agent what to do: {refused}"
    );

    let contact = agent.ok(
        "guest",
        guest,
        "create_contact",
        json!({ "first_name": "Nia", "last_name": "Okoro" }),
    );
    assert_eq!(contact["created"], true);
    let case = agent.ok(
        "guest",
        guest,
        "upsert_case",
        json!({ "idempotency_token": dewy_e2e::uuid_v4(), "contact_id": contact["id"], "type": "Housekeeping",
                "priority": "Low", "subject": "Towels", "description": "Two extra towels, please" }),
    );
    assert_eq!(case["created"], true, "{case}");
    assert_eq!(case["status"], "New");
}

/// Checking in twice answers the same stay the second time, and an invalid room or a room already
/// booked for the dates is refused with the recipe's code.
#[tokio::test(flavor = "multi_thread")]
async fn double_check_in_invalid_room_and_double_booking() {
    if !client_available() {
        return;
    }
    let agent = Agent::start().await;
    let first = agent.ok("guest", "kay@example.com", "check_in_guest", json!({}));
    assert_eq!(first["already_checked_in"], false);
    // The front desk checks her in again: the same operation, so the same answer (replayed
    // within the replay window; after it, `already_checked_in: true` with the same stay).
    let again = agent.ok(
        "staff",
        MANAGER,
        "check_in_guest",
        json!({ "guest_email": "kay@example.com" }),
    );
    assert_eq!(again, first);

    let arrival = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
    let departure = (chrono::Utc::now().date_naive() + chrono::Days::new(33)).to_string();
    let booking = |room: &str, who: &str| {
        json!({
            "guest_email": who, "guest_first_name": "Sam", "guest_last_name": "Lee", "room_number": room,
            "check_in_date": arrival, "check_out_date": departure, "booking_external_id": dewy_e2e::uuid_v4()
        })
    };
    let invalid = agent.refused(
        "staff",
        MANAGER,
        "create_booking_orchestrator",
        booking("999", "sam.lee@example.com"),
    );
    assert_eq!(invalid["error_code"], "ROOM_NOT_FOUND");
    let made = agent.ok(
        "staff",
        MANAGER,
        "create_booking_orchestrator",
        booking("209", "sam.lee@example.com"),
    );
    assert_eq!(made["room_number"], "209");
    let twice = agent.refused(
        "staff",
        MANAGER,
        "create_booking_orchestrator",
        booking("209", "ana.diaz@example.com"),
    );
    assert_eq!(twice["error_code"], "ROOM_ALREADY_BOOKED", "{twice}");
}

fn checkout(payment_method: &str) -> Value {
    json!({
        "guest_name": "Alice Johnson", "payment_method_id": payment_method,
        "idempotency_token": dewy_e2e::uuid_v4()
    })
}

/// A declined card is a 402 with nothing changed; a card that needs authentication leaves the
/// payment waiting on the guest, and the stay as it was.
#[tokio::test(flavor = "multi_thread")]
async fn declined_and_authentication_required_cards() {
    if !client_available() {
        return;
    }
    let agent = Agent::start().await;
    let guest = "guest1@hotel.com";
    let declined = agent.refused(
        "guest",
        guest,
        "process_guest_checkout",
        checkout("pm_card_chargeDeclined"),
    );
    assert_eq!(declined["error_code"], "PAYMENT_FAILED", "{declined}");
    assert_eq!(declined["details"]["decline_code"], "generic_decline");

    let waiting = agent.ok(
        "guest",
        guest,
        "process_guest_checkout",
        checkout("pm_card_authenticationRequired"),
    );
    assert_eq!(waiting["requires_action"], true, "{waiting}");
    assert!(waiting["payment_intent_id"].as_str().unwrap().starts_with("pi_"));
    let stay = agent.stack.salesforce.query(
        "SELECT Status__c FROM Booking__c WHERE Primary_Guest__r.Unique_Email__c = 'guest1@hotel.com' \
         AND Status__c = 'Checked In'",
    );
    assert_eq!(stay.unwrap().len(), 1, "still checked in");
}

/// The saga: the card is charged, Salesforce then fails the checkout's write, so the payment is
/// refunded and the guest told so; the same request again gets the same answer, not a second charge.
#[tokio::test(flavor = "multi_thread")]
async fn the_checkout_saga_refunds_when_salesforce_fails() {
    if !client_available() {
        return;
    }
    let agent = Agent::start().await;
    agent
        .stack
        .salesforce
        .add_fault(FaultRule::new(Fault::ServerError).path("/composite").times(10));
    let request = checkout("pm_card_visa");
    let refunded = agent.refused(
        "guest",
        "guest1@hotel.com",
        "process_guest_checkout",
        request.clone(),
    );
    assert_eq!(refunded["error_code"], "CHECKOUT_REFUNDED", "{refunded}");
    assert!(refunded["error_message"].as_str().unwrap().contains("refunded"));
    agent.stack.salesforce.clear_faults();

    let again = agent.refused("guest", "guest1@hotel.com", "process_guest_checkout", request);
    assert_eq!(again["error_code"], "CHECKOUT_REFUNDED", "final for its token");
    assert_eq!(agent.stack.stripe.payment_intents().len(), 1);
    assert_eq!(agent.stack.stripe.refunds().len(), 1);
    let stay = agent.stack.salesforce.query(
        "SELECT Status__c FROM Booking__c WHERE Primary_Guest__r.Unique_Email__c = 'guest1@hotel.com' \
         AND Status__c = 'Checked In'",
    );
    assert_eq!(stay.unwrap().len(), 1, "nothing changed in Salesforce");
}
