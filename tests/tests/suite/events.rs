//! Every Lambda function has a sample event in `events/` (what `cargo lambda invoke --data-file`
//! sends and the README points to), and every sample is one its function accepts. A tool's,
//! `events/<tool>.json`, is generated from the tool's [`Sample`](dewy_tool::Sample) (see `render`)
//! and golden-checked like `template.yaml`; the MCP adapter's and the SMS notifier's are written by
//! hand and checked in the modules below, with the event the adapter sends a tool function by Lambda
//! Invoke.
//!
//! A committed event is compared with the rendering of its tool's sample on the day the event was
//! rendered (its request time), so the check does not fail as days pass; the regenerate command
//! renders every event afresh on today, which moves the sample dates (a booking's arrival 180 days
//! on) forward.
//!
//! Each sample is checked by running its event, rendered today, through the function's own handler
//! against the seeded sandboxes, as the event's caller: the real parser, persona check and guest
//! scoping decide, not a copy of them. What the tool then answers may depend on the data (a payment
//! id that is not in the sandbox), so only refusals of the request itself fail the test: a malformed
//! event, a caller who may not call the tool, a body that does not parse as the input.

use dewy_e2e::World;
use dewy_e2e::lambda_watch::workspace_root;
use dewy_tool::DynTool;
use serde_json::Value;
use std::path::PathBuf;

mod mcp_adapter;
mod render;
mod sms_notifier;

/// The functions that are not tools, and the adapter's direct-invoke event: each has its sample
/// beside the tools' ones.
const OTHER_EVENTS: [&str; 3] = ["mcp_adapter", "mcp_adapter_dispatch", "sms_notifier"];

fn events_dir() -> PathBuf {
    workspace_root().join("events")
}

/// The text of `events/<name>.json`.
fn sample(name: &str) -> String {
    let file = events_dir().join(format!("{name}.json"));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The problems of `event` as the sample event of `tool`, from its shape alone.
fn shape_problems(tool: &dyn DynTool, event: &Value) -> Vec<String> {
    let path = tool.spec().rest_path();
    let route_key = format!("POST {path}");
    let mut problems = Vec::new();
    let mut expect = |what: &str, found: &Value, wanted: &str| {
        if found.as_str() != Some(wanted) {
            problems.push(format!("{what} is {found}, not \"{wanted}\""));
        }
    };
    expect("version", &event["version"], "2.0");
    expect("routeKey", &event["routeKey"], &route_key);
    expect("rawPath", &event["rawPath"], &path);
    expect(
        "requestContext.routeKey",
        &event["requestContext"]["routeKey"],
        &route_key,
    );
    expect(
        "requestContext.http.method",
        &event["requestContext"]["http"]["method"],
        "POST",
    );
    expect(
        "requestContext.http.path",
        &event["requestContext"]["http"]["path"],
        &path,
    );
    expect(
        "headers.content-type",
        &event["headers"]["content-type"],
        "application/json",
    );
    if event["isBase64Encoded"] != Value::Bool(false) {
        problems.push("isBase64Encoded must be false (the body is JSON text)".to_owned());
    }
    if event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
        .as_str()
        .is_none()
    {
        problems.push(
            "requestContext.authorizer.jwt.claims has no sub: the function would answer 401".to_owned(),
        );
    }
    match event["body"].as_str() {
        None => problems.push("body is not a string".to_owned()),
        Some(body) => {
            let length = body.len().to_string();
            if event["headers"]["content-length"].as_str() != Some(length.as_str()) {
                problems.push(format!(
                    "headers.content-length is {}, the body is {length} bytes",
                    event["headers"]["content-length"]
                ));
            }
            if !serde_json::from_str::<Value>(body).is_ok_and(|b| b.is_object()) {
                problems.push("body is not a JSON object".to_owned());
            }
        }
    }
    problems
}

/// Whether the function refused the request itself (as opposed to answering about the data):
/// the status or error body of such a refusal.
fn refusal(status: u16, body: &Value) -> Option<String> {
    let code = body["error_code"].as_str().unwrap_or("");
    let message = body["error_message"].as_str().unwrap_or("");
    // The messages of the invoke path's input parser (dewy_tool::dispatch) and body checks
    // (dewy_runtime::request): a tool's own checks of the values say something else.
    let unparsed = code == "VALIDATION_ERROR"
        && [
            "Invalid value for",
            "Unknown field",
            "The request body is not valid JSON",
            "The arguments must be a JSON object",
        ]
        .iter()
        .any(|start| message.starts_with(start));
    let refused =
        matches!(status, 401 | 403 | 405 | 413 | 415) || code == "REQUIRED_FIELDS_MISSING" || unparsed;
    refused.then(|| format!("the function refused it: {status} {body}"))
}

/// Every registered tool's sample event is its sample, rendered on the day the event says.
#[test]
fn the_sample_events_are_the_tools_samples() {
    let today = chrono::Utc::now().date_naive();
    for &tool in dewy_tools::TOOLS {
        let name = tool.spec().name;
        let file = format!("events/{name}.json");
        let committed = std::fs::read_to_string(workspace_root().join(&file)).unwrap_or_default();
        let on = serde_json::from_str::<Value>(&committed)
            .ok()
            .and_then(|event| render::rendered_on(&event))
            .unwrap_or(today);
        let rendered = if crate::generated::regenerating() {
            render::event_text(tool, today)
        } else {
            render::event_text(tool, on)
        };
        crate::generated::check_file(&file, &rendered, "the sample event");
    }
}

/// Every registered tool's sample, rendered today, is an event of the right shape that its function
/// accepts.
#[tokio::test]
async fn every_tool_sample_is_accepted_by_its_function() {
    let world = World::start().await;
    let today = chrono::Utc::now().date_naive();
    let mut problems = Vec::new();
    for &tool in dewy_tools::TOOLS {
        let name = tool.spec().name;
        let text = render::event_text(tool, today);
        let event: Value = serde_json::from_str(&text).expect("a rendered event is JSON");
        let shape = shape_problems(tool, &event);
        if !shape.is_empty() {
            problems.extend(shape.into_iter().map(|p| format!("{name}: {p}")));
            continue;
        }
        let request = match lambda_http::request::from_str(&text) {
            Ok(request) => request,
            Err(error) => {
                problems.push(format!("{name}: not an API Gateway HTTP API v2 event: {error}"));
                continue;
            }
        };
        let response = dewy_runtime::lambda::handle(tool, &world.backends, request).await;
        let status = response.status().as_u16();
        let body: Value = serde_json::from_slice(response.body().as_ref()).unwrap_or(Value::Null);
        match refusal(status, &body) {
            Some(refused) => problems.push(format!("{name}: {refused}")),
            // Not a failure: the answer may depend on the sandbox's data.
            None if status >= 300 => eprintln!("note: {name}'s sample event answers {status} {body}"),
            None => {}
        }
    }
    assert!(problems.is_empty(), "sample events:\n  {}", problems.join("\n  "));
}

/// Every sample event is named after a registered tool or one of the other functions (a renamed or
/// removed tool leaves none behind).
#[test]
fn every_sample_event_belongs_to_a_function() {
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(events_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if dewy_tools::find(&stem).is_none() && !OTHER_EVENTS.contains(&stem.as_str()) {
            orphans.push(stem);
        }
    }
    assert!(orphans.is_empty(), "events for no function: {orphans:?}");
}

/// Every function has its sample event: one per role of the artifact (`dewy_functions::functions`).
#[test]
fn every_function_has_a_sample_event() {
    let functions = dewy_functions::functions();
    assert!(functions.len() > dewy_tools::TOOLS.len(), "{functions:?}");
    let missing: Vec<&&str> = functions
        .iter()
        .filter(|name| !events_dir().join(format!("{name}.json")).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "functions without a sample event: {missing:?}"
    );
}

/// The checks catch what they are meant to: a wrong route, a stale content-length, a body that is
/// not the input.
#[tokio::test]
async fn a_broken_sample_is_caught() {
    let tool = dewy_tools::find("check_in_guest").unwrap();
    let text = std::fs::read_to_string(events_dir().join("check_in_guest.json")).unwrap();
    let event: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(shape_problems(tool, &event), Vec::<String>::new());

    let mut broken = event.clone();
    broken["routeKey"] = "POST /api/check-in".into();
    broken["body"] = r#"{"guest_email":"kay@example.com","nights":2}"#.into();
    let problems = shape_problems(tool, &broken);
    assert!(problems.iter().any(|p| p.starts_with("routeKey")), "{problems:?}");
    assert!(
        problems.iter().any(|p| p.starts_with("headers.content-length")),
        "{problems:?}"
    );

    // A body with a field the input does not have is refused by the parser.
    let world = World::start().await;
    let mut unknown = event;
    let body = r#"{"guest_email":"kay@example.com","nights":2}"#;
    unknown["body"] = body.into();
    unknown["headers"]["content-length"] = body.len().to_string().into();
    let request = lambda_http::request::from_str(&unknown.to_string()).unwrap();
    let response = dewy_runtime::lambda::handle(tool, &world.backends, request).await;
    let answer: Value = serde_json::from_slice(response.body().as_ref()).unwrap();
    assert!(refusal(response.status().as_u16(), &answer).is_some(), "{answer}");
    // An answer about the data is not a refusal of the request.
    let not_found = serde_json::json!({"error_code": "BOOKING_NOT_FOUND", "error_message": "No booking."});
    assert_eq!(refusal(400, &not_found), None);
}
