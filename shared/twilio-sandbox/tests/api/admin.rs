//! Faults and the knobs over HTTP (`/__sandbox/*`), for the standalone binary.

use crate::common::{self, create, send};
use dewy_twilio_sandbox::{Fault, FaultRule, TwilioSandboxConfig};
use serde_json::json;

const FORM: [(&str, &str); 3] = [
    ("To", "+15558675310"),
    ("From", TwilioSandboxConfig::DEFAULT_PHONE_NUMBER),
    ("Body", "Hi"),
];

/// A fault after handling stores the message but answers 500: the client cannot know it was sent.
#[tokio::test]
async fn a_fault_after_handling_keeps_the_message() {
    let sandbox = common::start().await;
    sandbox.add_fault(FaultRule::new(Fault::ServerError).after_handling().times(1));
    let (status, body) = create(&sandbox, &FORM).await;
    assert_eq!((status, &body["code"]), (500, &20500.into()));
    assert_eq!(sandbox.messages().len(), 1);
    let log = sandbox.request_log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, Some(500));
}

/// Faults set over HTTP strike like those set in process; stats, messages and reset work over HTTP.
#[tokio::test]
async fn the_knobs_work_over_http() {
    let sandbox = common::start().await;
    let client = reqwest::Client::new();
    let admin = |path: &str| format!("{}/__sandbox/{path}", sandbox.base_url());
    let rule = json!({"fault": "rate_limited", "path": "/Messages.json", "times": 1});
    let (status, _) = send(client.post(admin("faults")).json(&rule)).await;
    assert_eq!(status, 200);
    let (status, body) = create(&sandbox, &FORM).await;
    assert_eq!((status, &body["code"]), (429, &20429.into()));
    let (status, _) = create(&sandbox, &FORM).await;
    assert_eq!(status, 201);
    let (_, stats) = send(client.get(admin("stats"))).await;
    assert_eq!(stats["request_count"], 2);
    let (_, messages) = send(client.get(admin("messages"))).await;
    assert_eq!(messages["messages"].as_array().map(Vec::len), Some(1));
    let (status, _) = send(client.post(admin("reset"))).await;
    assert_eq!(status, 200);
    assert_eq!((sandbox.request_count(), sandbox.messages().len()), (0, 0));
}
