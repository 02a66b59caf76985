//! The official MCP clients against the local stack's persona endpoints: the TypeScript SDK client
//! and the Inspector CLI (protocol 2025-11-25) and the Python SDK client (2026-07-28), with tokens
//! from the local issuer. `tests/run` installs them (`tests/clients`); without them these tests are
//! skipped, unless `DEWY_REQUIRE_MCP_CLIENTS` says they must run.

use dewy_local::{LocalOptions, LocalStack};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clients")
}

/// Whether the clients are installed; fails instead when they are required.
fn clients_available() -> bool {
    let installed = clients_dir()
        .join("node_modules/@modelcontextprotocol/sdk")
        .exists()
        && Command::new("python3")
            .args(["-c", "import mcp"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(
            std::env::var_os("DEWY_REQUIRE_MCP_CLIENTS").is_none(),
            "the MCP clients are required but missing"
        );
        eprintln!("skipped: MCP clients not installed (tests/run installs them)");
    }
    installed
}

async fn start() -> LocalStack {
    LocalStack::start(LocalOptions::ephemeral()).await.unwrap()
}

/// Runs a client script and parses the JSON line it prints.
fn run(program: &str, script: &str, args: &[&str]) -> Value {
    let output = Command::new(program)
        .current_dir(clients_dir())
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{script} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn typescript(url: &str, token: &str, tool: &str, arguments: Value) -> Value {
    run(
        "node",
        "ts_client.mjs",
        &[url, token, tool, &arguments.to_string()],
    )
}

fn python(url: &str, token: &str, tool: &str, arguments: Value) -> Value {
    run(
        "python3",
        "py_client.py",
        &[url, token, tool, &arguments.to_string()],
    )
}

/// The Python SDK declaring elicitation, its person answering every question with `answer`.
fn python_answering(url: &str, token: &str, tool: &str, arguments: Value, answer: &str) -> Value {
    run(
        "python3",
        "py_client.py",
        &[url, token, tool, &arguments.to_string(), answer],
    )
}

/// A guest, through the TypeScript SDK: a stateless 2025-11-25 connection, a schema that does not ask
/// for the email the token carries, their own check-in as structured content, another guest refused
/// with the tool's error body, and the staff endpoint closed to them.
#[tokio::test(flavor = "multi_thread")]
async fn a_guest_uses_the_typescript_sdk() {
    if !clients_available() {
        return;
    }
    let stack = start().await;
    let kay = stack.token("kay@example.com").unwrap();
    let guest_url = format!("{}/mcp/guest", stack.api_url);

    let own = typescript(&guest_url, &kay, "check_in_guest", json!({}));
    assert_eq!(own["protocol_version"], "2025-11-25", "{own}");
    assert_eq!(own["session_id"], Value::Null, "stateless: no session");
    assert_eq!(
        own["tools"][0], "check_in_guest",
        "listed first, before the atomic skills guests also get"
    );
    assert!(
        own["schemas"]["check_in_guest"]["properties"]
            .get("guest_email")
            .is_none()
    );
    assert_eq!(own["result"]["isError"], false, "{own}");
    assert_eq!(own["result"]["structuredContent"]["room_number"], "105");
    let text: Value = serde_json::from_str(own["result"]["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(text, own["result"]["structuredContent"], "the text copy matches");

    let other = typescript(
        &guest_url,
        &kay,
        "check_in_guest",
        json!({ "guest_email": "carl.smith@example.com" }),
    );
    assert_eq!(other["result"]["isError"], true);
    assert_eq!(other["result"]["structuredContent"]["error_code"], "FORBIDDEN");

    let staff_endpoint = typescript(&format!("{}/mcp/staff", stack.api_url), &kay, "-", json!({}));
    assert_eq!(staff_endpoint["error"]["code"], 403, "{staff_endpoint}");
}

/// Staff, through the Python SDK (2026-07-28): the staff schema asks for the guest's email, a
/// check-in succeeds, and a failed prerequisite comes back as an actionable tool error.
#[tokio::test(flavor = "multi_thread")]
async fn staff_use_the_python_sdk() {
    if !clients_available() {
        return;
    }
    let stack = start().await;
    let manager = stack.token("manager1@hotel.com").unwrap();
    let staff_url = format!("{}/mcp/staff", stack.api_url);

    let done = python(
        &staff_url,
        &manager,
        "check_in_guest",
        json!({ "guest_email": "kay@example.com" }),
    );
    assert_eq!(done["tools"][0], "check_in_guest", "{done}");
    assert_eq!(
        done["schemas"]["check_in_guest"]["required"],
        json!(["guest_email"])
    );
    assert_eq!(done["result"]["isError"], false, "{done}");
    assert_eq!(done["result"]["structuredContent"]["room_number"], "105");

    let refused = python(
        &staff_url,
        &manager,
        "check_in_guest",
        json!({ "guest_email": "carl.smith@example.com" }),
    );
    assert_eq!(refused["result"]["isError"], true);
    assert_eq!(
        refused["result"]["structuredContent"]["error_code"],
        "ROOM_NOT_VACANT"
    );

    let no_token = python(&staff_url, "not-a-token", "-", json!({}));
    assert!(
        no_token["error"].is_object(),
        "a bad token is refused: {no_token}"
    );
}

/// Each staff job, through the Python SDK (2026-07-28), is listed exactly its job's tools on its
/// own endpoint, and another job's endpoint refuses it. Housekeeping then marks a cleaned room ready.
#[tokio::test(flavor = "multi_thread")]
async fn each_job_gets_its_own_server() {
    if !clients_available() {
        return;
    }
    let stack = start().await;
    for (endpoint, email) in [
        (dewy_mcp::Endpoint::Staff, "staff1@hotel.com"),
        (dewy_mcp::Endpoint::Housekeeping, "housekeeping1@hotel.com"),
        (dewy_mcp::Endpoint::Maintenance, "maintenance1@hotel.com"),
        (dewy_mcp::Endpoint::Manager, "manager1@hotel.com"),
    ] {
        let token = stack.token(email).unwrap();
        let url = format!("{}{}", stack.api_url, endpoint.path());
        let listed = python(&url, &token, "-", json!({}));
        let expected: Vec<&str> = dewy_tools::TOOLS
            .iter()
            .map(|tool| tool.spec())
            .filter(|spec| endpoint.offers(spec))
            .map(|spec| spec.name)
            .collect();
        assert_eq!(listed["tools"], json!(expected), "{email} on {}", endpoint.path());
    }

    let housekeeping = stack.token("housekeeping1@hotel.com").unwrap();
    let front_desk = python(
        &format!("{}/mcp/staff", stack.api_url),
        &housekeeping,
        "-",
        json!({}),
    );
    assert!(front_desk["error"].is_object(), "not their job: {front_desk}");

    let url = format!("{}/mcp/housekeeping", stack.api_url);
    let room = python(
        &url,
        &housekeeping,
        "search_room_by_number",
        json!({ "room_number": "106" }),
    );
    assert_eq!(
        room["result"]["structuredContent"]["status"], "Cleaning",
        "{room}"
    );
    let room_id = room["result"]["structuredContent"]["id"].clone();
    let ready = python(
        &url,
        &housekeeping,
        "update_room_status",
        json!({ "room_id": room_id, "status": "Vacant" }),
    );
    assert_eq!(ready["result"]["isError"], false, "{ready}");
    assert_eq!(ready["result"]["structuredContent"]["status"], "Vacant");
}

/// A guest checks out through the official Python SDK (2026-07-28), which asks its person when the
/// server needs input: the charge waits for their answer, the question names the amount, the card
/// and the stay, a decline charges nothing, and an acceptance charges the bill once.
#[tokio::test(flavor = "multi_thread")]
async fn a_guest_confirms_their_checkout_through_the_python_sdk() {
    if !clients_available() {
        return;
    }
    let world = dewy_e2e::World::start().await;
    let api = world.serve_api().await;
    let url = format!("{}/mcp/guest", api.url);
    let email = "guest3@hotel.com";
    let (booking, total) = world.bill(email).await;
    let booking = booking.as_str();
    let charged = || {
        let payments = world.payments_for(booking);
        payments.into_iter().map(|(_, amount)| amount).collect::<Vec<_>>()
    };
    let checkout = || {
        json!({ "guest_name": "Carla Diaz", "payment_method_id": "pm_card_visa",
                "idempotency_token": dewy_e2e::uuid_v4() })
    };
    let token = api.token(email);

    let declined = python_answering(&url, &token, "process_guest_checkout", checkout(), "decline");
    assert_eq!(declined["result"]["isError"], true, "{declined}");
    assert_eq!(
        declined["result"]["structuredContent"]["error_code"],
        "CONFIRMATION_DECLINED"
    );
    let question = declined["asked"][0].as_str().unwrap_or_default();
    let dollars = format!("${}.{:02}", total / 100, total % 100);
    for part in [dollars.as_str(), "Visa •••• 4242", booking] {
        assert!(question.contains(part), "{question} names {part}");
    }
    assert!(charged().is_empty(), "a decline charges nothing");

    let paid = python_answering(&url, &token, "process_guest_checkout", checkout(), "accept");
    assert_eq!(paid["result"]["isError"], false, "{paid}");
    assert_eq!(paid["asked"].as_array().map(Vec::len), Some(1), "asked once");
    assert_eq!(paid["result"]["structuredContent"]["amount"], total);
    assert_eq!(charged(), [total], "charged once, the bill");
}

/// The Inspector CLI lists and calls tools as a guest.
#[tokio::test(flavor = "multi_thread")]
async fn the_inspector_cli_calls_a_tool() {
    if !clients_available() {
        return;
    }
    let stack = start().await;
    let kay = stack.token("kay@example.com").unwrap();
    let url = format!("{}/mcp/guest", stack.api_url);
    let header = format!("Authorization: Bearer {kay}");
    let inspector = |method_args: &[&str]| -> Value {
        let output = Command::new("npx")
            .current_dir(clients_dir())
            .args([
                "--no-install",
                "mcp-inspector",
                "--cli",
                &url,
                "--transport",
                "http",
                "--header",
                &header,
            ])
            .args(method_args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "inspector failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    };

    let listed = inspector(&["--method", "tools/list"]);
    assert_eq!(listed["tools"][0]["name"], "check_in_guest");
    assert_eq!(listed["tools"][0]["annotations"]["idempotentHint"], true);
    let called = inspector(&["--method", "tools/call", "--tool-name", "check_in_guest"]);
    assert_eq!(called["structuredContent"]["guest_email"], "kay@example.com");
    assert_eq!(called["isError"], false);
}
