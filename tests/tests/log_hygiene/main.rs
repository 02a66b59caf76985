//! Secrets, tokens and card data never reach the logs.
//!
//! The whole local stack runs in this process (token issuer, REST, the persona MCP servers, the
//! Salesforce, Stripe and Twilio sandboxes, the SMS notifier) with every log line captured as
//! production writes them (JSON, event fields flattened, spans attached), at a level an operator
//! could set: DEBUG for every target (hyper, reqwest, rustls, rmcp, axum...), TRACE for this
//! project's crates, and every record of the `log` crate as well, under the levels production
//! logging fixes whatever the operator sets (`FIXED_LEVELS`: rmcp's message dumps).
//!
//! A full scenario (`scenario`) is driven over the real transports: sign-ins, REST and MCP with
//! bearer tokens, a booking, a check-in texted to the guest, a service request, checkouts paid by
//! card, by a 3-D Secure card and its completion, a declined card, the refund saga, a
//! compensation, the Stripe skills, refused calls. Then the capture is searched (`search`) for
//! every secret the run used, collected from the sandboxes and the answers themselves, and for
//! the shapes of secrets (JWTs, client secrets, Salesforce session ids, `Authorization` values,
//! card numbers).
//!
//! `the_search_finds_what_it_looks_for` proves the search can fail: the same capture with planted
//! secrets is caught.

mod scenario;
mod search;

use dewy_e2e::log_capture::Capture;
use dewy_local::{LocalOptions, LocalStack};
use scenario::Scenario;
use search::{Secrets, base64, has_card_number};
use serde_json::Value;
use std::sync::OnceLock;
use std::time::Duration;

/// The most an operator would turn on: DEBUG for every target, TRACE for the project's crates.
const OPERATOR_LEVELS: &str = "debug,dewy_auth=trace,dewy_local_issuer=trace,dewy_connector=trace,dewy_domain=trace,\
    dewy_idempotency=trace,dewy_local=trace,dewy_mcp=trace,dewy_notifier=trace,dewy_runtime=trace,\
    dewy_salesforce=trace,dewy_stripe=trace,dewy_tool=trace,dewy_tools=trace,dewy_twilio=trace,audit=trace";

/// The capture's filter: the operator's levels under the levels production logging fixes whatever
/// the operator sets (`dewy_runtime::logging::FIXED_LEVELS`). rmcp logs every MCP request and result
/// in full at DEBUG, so tool arguments, guests' emails and a 3-D Secure answer's redirect URL, which
/// carries the payment's client secret, would reach the logs. This test found that leak; without
/// that fixed level it fails on it.
fn levels() -> String {
    format!("{OPERATOR_LEVELS},{}", dewy_runtime::logging::FIXED_LEVELS)
}

/// The process-wide capture: every thread's events (tokio workers, the notifier, blocking DNS
/// lookups) go to the global subscriber, which only the scenario test installs.
fn global_capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::new();
        tracing::subscriber::set_global_default(capture.subscriber(&levels()))
            .expect("no other global subscriber");
        capture.capture_log_records();
        capture
    })
}

/// The whole scenario, then the search of everything it logged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_scenario_logs_no_secret_token_or_card_data() {
    let capture = global_capture();
    let mut scenario = Scenario::start().await;

    scenario.book_check_in_and_ask().await;
    let paid = scenario.check_out().await;
    scenario.move_money(&paid).await;
    scenario.refused_calls().await;
    scenario.collect_client_secrets();
    // Whatever is still in flight (the notifier's last delivery) logs before the search.
    tokio::time::sleep(Duration::from_millis(200)).await;

    assert_scenario_was_captured(capture);
    let findings = scenario
        .secrets
        .findings(&capture.text(), &scenario.salesforce_org);
    assert!(
        findings.is_empty(),
        "{} log line(s) leak a secret:\n{}",
        findings.len(),
        findings.join("\n")
    );
}

/// The capture saw the scenario: its tools' audit events, the connectors' debug lines and the
/// dependencies' own logs. An empty or partial capture cannot pass as clean.
fn assert_scenario_was_captured(capture: &Capture) {
    let lines = capture.lines();
    let audited_tools: std::collections::BTreeSet<&str> = lines
        .iter()
        .filter(|l| l["target"] == "audit")
        .filter_map(|l| l["tool"].as_str())
        .collect();
    for tool in [
        "create_booking_orchestrator",
        "check_in_guest",
        "submit_guest_service_request",
        "process_guest_checkout",
        "compensate_checkout_failure",
        "create_stripe_payment_intent",
        "confirm_stripe_payment",
        "create_stripe_refund",
        "submit_maintenance_request",
    ] {
        assert!(
            audited_tools.contains(tool),
            "no audit event of {tool}: {audited_tools:?}"
        );
    }
    let has = |what: &str, test: &dyn Fn(&Value) -> bool| {
        assert!(lines.iter().any(test), "no line of {what} in the capture");
    };
    has("the Salesforce connector at DEBUG", &|l| {
        l["message"] == "salesforce call" && l["level"] == "DEBUG"
    });
    has("the Stripe connector", &|l| l["message"] == "stripe call");
    has("the Twilio connector", &|l| l["message"] == "twilio call");
    has("a dependency's DEBUG", &|l| {
        l["level"] == "DEBUG"
            && l["target"]
                .as_str()
                .is_some_and(|t| !t.starts_with("dewy") && t != "audit")
    });
}

/// The search is not blind: the same capture, given log lines that carry a planted secret, a JWT,
/// a client secret, a Salesforce session id or an `Authorization` header, reports each one; the
/// same lines without them pass.
#[tokio::test]
async fn the_search_finds_what_it_looks_for() {
    let stack = LocalStack::start(LocalOptions::ephemeral()).await.unwrap();
    let secrets = Secrets::of_stack(&stack);
    let token = stack.token("kay@example.com").unwrap();
    let stripe_key = stack.stripe.api_key().to_owned();
    let capture = Capture::new();
    {
        let _guard = tracing::subscriber::set_default(capture.subscriber(&levels()));
        tracing::info!(target: "dewy_stripe", key = %stripe_key, "a careless line");
        tracing::debug!(target: "hyper", "sending {}", format!("Bearer {token}"));
        tracing::warn!(target: "dewy_tools", intent = "pi_123_secret_abcdefghijklmnopqrstuvwxy", "oops");
        tracing::trace!(target: "dewy_salesforce", session = "00DXX0000001abc!AQ4AQLongSessionId", "oops");
        let span = tracing::info_span!("request", authorization = "Basic c2VjcmV0");
        span.in_scope(|| tracing::info!(target: "dewy_mcp", "inside a span"));
        tracing::debug!(target: "hyper", card = "4242 4242 4242 4242", "a spaced card");
        tracing::debug!(target: "dewy_stripe", number = "4000000000003220", "a 3-D Secure test card");
        tracing::info!(target: "dewy_tool", tool = "check_in_guest", at = 1_795_000_000_000_u64, "a clean line");
        tracing::debug!(target: "rmcp::service", result = "4242424242424242", "response message");
    }

    let findings = secrets.findings(&capture.text(), "00DXX0000001abc");

    assert_eq!(findings.len(), 7, "{findings:#?}");
    assert!(findings[0].starts_with("Stripe API key:"), "{}", findings[0]);
    assert!(!findings[0].contains(&stripe_key), "the report masks the secret");
    assert!(findings[1].contains("a JWT"), "{}", findings[1]);
    assert!(findings[2].contains("client secret"), "{}", findings[2]);
    assert!(findings[3].contains("Salesforce session id"), "{}", findings[3]);
    assert!(findings[4].contains("Authorization"), "{}", findings[4]);
    assert!(findings[5].contains("a card number"), "{}", findings[5]);
    assert!(findings[6].contains("a card number"), "{}", findings[6]);
    assert!(has_card_number("card 4242-4242-4242-4242."));
    assert!(has_card_number("amex 3782 822463 10005"));
    assert!(
        !has_card_number("ErrorId if you contact support: 3376967760-67760 (-376967760)"),
        "Salesforce's ErrorId is not a card, though its 15 digits pass the Luhn check"
    );
    assert!(
        !has_card_number(r#""duration_ms":3.5904380000000002,"#),
        "a float's digits are not a card"
    );
    assert!(
        !has_card_number("ab4242424242424242cd"),
        "digits inside a word (a hash) are not a card"
    );
    assert!(
        !capture.text().contains("response message"),
        "production's cap drops rmcp's message dumps"
    );
    assert_eq!(base64(b"AC123:tok"), "QUMxMjM6dG9r");
}
