//! What a function writes, as CloudWatch reads it: the `check_in_guest` function (the artifact
//! `dewy` with that Handler) run by the Lambda Runtime API emulator on its sample event, twice (a
//! check-in, then its replay).
//!
//! - every line on stdout is one JSON object (the functions' `LogFormat: JSON`), with `timestamp`,
//!   `level` and `message` at the top, the event's fields beside them, and the invocation's request
//!   id from the runtime's span;
//! - each invocation writes exactly one CloudWatch Embedded Metric Format record, a line of its own
//!   with a top-level `_aws` member, naming the tool, outcome, persona, calls per backend, round
//!   trips and replay;
//! - the audit events (target `audit`) of the check-in: its decisions and its three transitions.

use dewy_e2e::World;
use dewy_e2e::lambda_watch::workspace_root;
use dewy_e2e::runtime_api::{Emulator, FunctionSettings};
use dewy_salesforce_sandbox::Latency;
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

/// Builds the artifact every function is deployed from (debug profile) and returns its path.
fn function_binary(name: &str) -> std::path::PathBuf {
    let status = Command::new("cargo")
        .current_dir(workspace_root())
        .args(["build", "--quiet", "-p", "dewy-functions", "--bin", name])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building {name} failed");
    workspace_root().join("target/debug").join(name)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_function_writes_json_logs_one_metrics_record_per_invocation_and_its_audit_trail() {
    let binary = function_binary("dewy");
    let world = World::start().await;
    // Enough latency that calls made in parallel overlap, whatever the machine's speed, so the
    // round trips counted are the code's, not the scheduler's.
    world
        .sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(30))));
    let event = std::fs::read(workspace_root().join("events/check_in_guest.json")).unwrap();
    let emulator = Emulator::start(FunctionSettings::new("check_in_guest"))
        .await
        .unwrap();
    let first = emulator.enqueue(event.clone());
    let function = emulator.spawn(&binary, &world.function_env()).unwrap();
    let first = first.answer().await.unwrap();
    let second = emulator.invoke(event).await.unwrap();
    assert!(first.is_response() && second.is_response());
    let ids = [first.request_id.as_str(), second.request_id.as_str()];

    let lines: Vec<Value> = function
        .stdout()
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    assert!(lines.iter().all(Value::is_object));

    // Logs: flattened JSON with the request id of the invocation they belong to.
    let (metrics, logs): (Vec<&Value>, Vec<&Value>) = lines.iter().partition(|l| l.get("_aws").is_some());
    for log in &logs {
        for key in ["timestamp", "level", "message"] {
            assert!(log[key].is_string(), "no {key}: {log}");
        }
    }
    let summaries: Vec<&&Value> = logs
        .iter()
        .filter(|l| l["message"] == "tool invocation")
        .collect();
    assert_eq!(summaries.len(), 2, "{logs:#?}");
    for (summary, id) in summaries.iter().zip(ids) {
        assert_eq!(summary["tool"], "check_in_guest");
        assert_eq!(summary["span"]["requestId"], id, "{summary}");
    }

    // Metrics: one record per invocation, the check-in's then its replay's.
    assert_eq!(metrics.len(), 2, "{metrics:#?}");
    let directive = &metrics[0]["_aws"]["CloudWatchMetrics"][0];
    assert_eq!(directive["Namespace"], "DewyResort");
    for (record, replayed) in metrics.iter().zip([0, 1]) {
        assert_eq!(record["Tool"], "check_in_guest");
        assert_eq!(record["Outcome"], "success");
        assert_eq!(record["ErrorCode"], "NONE");
        assert_eq!(record["Persona"], "guest");
        assert_eq!(record["Replayed"], replayed, "{record}");
        assert!(record["Duration"].as_f64().unwrap() > 0.0);
    }
    // A cold container signs in to Salesforce first (one OAuth token request), then the check-in's
    // 3 calls in 2 round trips.
    let check_in = metrics[0];
    assert_eq!(
        (
            check_in["SalesforceCalls"].as_u64(),
            check_in["StripeCalls"].as_u64()
        ),
        (Some(4), Some(0)),
        "{check_in}"
    );
    assert_eq!(check_in["SequentialRoundTrips"], 3);
    assert_eq!(metrics[1]["BackendCalls"], 0, "a replay calls nothing");

    // Audit: the check-in's transitions, each with its actor; no email in any audit event.
    let audit: Vec<&&Value> = logs.iter().filter(|l| l["target"] == "audit").collect();
    let transitions: Vec<(&str, &str, &str)> = audit
        .iter()
        .filter(|e| e["audit"] == "transition" && e["span"]["requestId"] == ids[0])
        .map(|e| {
            assert!(e["actor"].as_str().is_some_and(|a| !a.is_empty()), "{e}");
            (
                e["object"].as_str().unwrap(),
                e["before"].as_str().unwrap_or(""),
                e["after"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        transitions,
        [
            ("Booking__c", "Reserved", "Checked In"),
            ("Hotel_Room__c", "Vacant", "Occupied"),
            ("Opportunity", "Booking Confirmed", "Checked In"),
        ]
    );
    assert!(
        audit
            .iter()
            .any(|e| e["check"] == "room_vacant" && e["outcome"] == "passed")
    );
    assert!(
        !audit.iter().any(|e| e.to_string().contains('@')),
        "an email in an audit event"
    );
}
