//! The `check_in_guest` Lambda function on its sample event: in-process through the handler, and as
//! a real binary through `cargo lambda watch` / `cargo lambda invoke`, as the README shows (with the
//! MCP adapter beside it: the same program, serving the role its function name gives it).

use dewy_e2e::lambda_watch::{LambdaWatch, workspace_root};
use dewy_e2e::{World, moto_idempotency, record_statuses};
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn sample_event() -> String {
    std::fs::read_to_string(workspace_root().join("events/check_in_guest.json")).unwrap()
}

/// The sample event is a valid HTTP API v2 event, and the function's handler checks the guest of its
/// JWT claims in.
#[tokio::test]
async fn the_sample_event_runs_through_the_handler() {
    let world = World::start().await;
    let request = lambda_http::request::from_str(&sample_event()).expect("a valid API Gateway v2 event");
    let tool = dewy_tools::find("check_in_guest").unwrap();

    let response = dewy_runtime::lambda::handle(tool, &world.backends, request).await;

    assert_eq!(response.status(), 200);
    let body: Value = serde_json::from_slice(response.body().as_ref()).unwrap();
    assert_eq!(
        (body["guest_email"].as_str(), body["room_number"].as_str()),
        (Some("kay@example.com"), Some("105"))
    );
}

/// An event without authorizer claims is refused with 401, before any backend call.
#[tokio::test]
async fn an_event_without_claims_is_unauthorized() {
    let world = World::start().await;
    let mut event: Value = serde_json::from_str(&sample_event()).unwrap();
    event["requestContext"]
        .as_object_mut()
        .unwrap()
        .remove("authorizer");
    let request = lambda_http::request::from_str(&event.to_string()).unwrap();
    world.sandbox.reset_stats();

    let response = dewy_runtime::lambda::handle(
        dewy_tools::find("check_in_guest").unwrap(),
        &world.backends,
        request,
    )
    .await;

    assert_eq!(response.status(), 401);
    assert_eq!(world.sandbox.request_count(), 0);
}

/// `cargo lambda watch` + `cargo lambda invoke check_in_guest --data-file events/check_in_guest.json`
/// against a running sandbox returns the check-in; invoking again replays it from the function's
/// idempotency table (DynamoDB on moto), marked with `Idempotent-Replayed: true`. In the same
/// emulator `cargo lambda invoke mcp_adapter` reaches the adapter, whose sample event (no token) it
/// answers with 401: each function name starts its own role.
#[tokio::test(flavor = "multi_thread")]
async fn cargo_lambda_invoke_checks_the_guest_in() {
    let world = World::start().await;
    let moto = moto_idempotency("lambda").await;
    let mut env = world.function_env();
    env.extend(moto.iter().flat_map(|(_, vars)| vars.iter().cloned()));
    // The adapter's settings (events/local.env's): it needs no issuer to refuse a request without
    // a token.
    env.extend([
        ("AUTH_ISSUER", "http://127.0.0.1:9/auth".to_owned()),
        ("AUTH_CLIENT_IDS", "dewy-local-web".to_owned()),
        (
            "MCP_RESOURCE_BASE_URL",
            "https://abcdef1234.execute-api.us-east-1.amazonaws.com".to_owned(),
        ),
    ]);
    let Some(watch) = LambdaWatch::start(&env) else {
        return;
    };
    let port = watch.port;

    let first = invoke_until_ready(port, "check_in_guest", Duration::from_secs(900));
    assert_eq!(first["statusCode"], 200, "{first}");
    let body: Value = serde_json::from_str(first["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        (body["room_number"].as_str(), body["already_checked_in"].as_bool()),
        (Some("105"), Some(false))
    );

    let second = invoke(port, "check_in_guest", Duration::from_secs(60)).expect("the second invoke answers");
    assert_eq!(second["headers"]["idempotent-replayed"], "true", "{second}");
    assert_eq!(second["body"], first["body"], "the first answer, replayed");
    if let Some((store, _)) = &moto {
        assert_eq!(record_statuses(store).await, vec!["COMPLETED"]);
    }
    let booking = world.one(
        "SELECT Status__c FROM Booking__c WHERE Room__r.Room_Number__c = '105' AND Check_In_Date__c = TODAY",
    );
    assert_eq!(booking["Status__c"], "Checked In");

    let adapter = invoke_until_ready(port, "mcp_adapter", Duration::from_secs(300));
    assert_eq!(adapter["statusCode"], 401, "{adapter}");
}

/// One `cargo lambda invoke` of `function`'s sample event, given at most `limit` to answer.
fn invoke(port: u16, function: &str, limit: Duration) -> Result<Value, String> {
    let mut child = Command::new("cargo")
        .current_dir(workspace_root())
        .args(["lambda", "invoke", function, "-P", &port.to_string()])
        .args(["--data-file", &format!("events/{function}.json")])
        .args(["--output-format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            return Err(format!("no answer within {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

/// The first invoke of `function` waits for the watcher to start and build it.
fn invoke_until_ready(port: u16, function: &str, limit: Duration) -> Value {
    let started = Instant::now();
    loop {
        match invoke(port, function, limit) {
            Ok(value) => return value,
            Err(error) if started.elapsed() > limit => panic!("cargo lambda invoke never answered: {error}"),
            Err(_) => std::thread::sleep(Duration::from_secs(2)),
        }
    }
}
