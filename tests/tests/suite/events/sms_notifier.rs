//! `events/sms_notifier.json`: the Lambda SQS event (its documented shape) that SQS hands the
//! `sms_notifier` function, carrying one text a tool queued. The function's own handler delivers it
//! to the Twilio sandbox.

use super::sample;
use dewy_idempotency::MemoryStore;
use dewy_notifier::{Notifier, OutgoingSms};
use dewy_twilio::Twilio;
use dewy_twilio_sandbox::{TwilioSandbox, TwilioSandboxConfig};
use lambda_http::aws_lambda_events::sqs::SqsEvent;
use serde_json::{Value, json};
use std::sync::Arc;

/// The fields SQS always sets on a record. The Rust type makes every one optional, so a sample
/// missing one would still parse: check them here.
fn record_problems(record: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for field in [
        "messageId",
        "receiptHandle",
        "body",
        "md5OfBody",
        "eventSourceARN",
        "awsRegion",
    ] {
        if record[field].as_str().is_none_or(str::is_empty) {
            problems.push(format!("{field} is missing"));
        }
    }
    if record["eventSource"] != "aws:sqs" {
        problems.push(format!(
            "eventSource is {}, not \"aws:sqs\"",
            record["eventSource"]
        ));
    }
    if !record["eventSourceARN"]
        .as_str()
        .is_some_and(|arn| arn.starts_with("arn:aws:sqs:"))
    {
        problems.push("eventSourceARN is not an SQS queue's ARN".to_owned());
    }
    if record["attributes"]["ApproximateReceiveCount"].as_str().is_none() {
        problems.push("attributes.ApproximateReceiveCount is missing".to_owned());
    }
    problems
}

#[tokio::test]
async fn the_notifier_event_is_an_sqs_batch_its_function_delivers() {
    let text = sample("sms_notifier");
    let raw: Value = serde_json::from_str(&text).unwrap();
    let records = raw["Records"].as_array().expect("a Records array");
    assert_eq!(records.len(), 1, "one queued text");
    let problems = record_problems(&records[0]);
    assert!(problems.is_empty(), "events/sms_notifier.json: {problems:?}");

    let event: SqsEvent = serde_json::from_str(&text).expect("a Lambda SQS event");
    let body = event.records[0].body.as_deref().unwrap();
    let queued: OutgoingSms = serde_json::from_str(body).expect("the body is a queued text");

    let twilio = TwilioSandbox::start_on(([127, 0, 0, 1], 0).into(), TwilioSandboxConfig::default())
        .await
        .unwrap();
    let notifier = Notifier::new(
        Twilio::new(dewy_local::twilio_config(&twilio), dewy_connector::http_client()),
        Arc::new(MemoryStore::new()),
    );
    let response = dewy_runtime::notifier::handle(&notifier, event).await;

    // What Lambda reads back under ReportBatchItemFailures: nothing to redeliver.
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        json!({ "batchItemFailures": [] })
    );
    let sent = twilio.messages();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].to, queued.to.as_str());
    assert_eq!(sent[0].body, queued.body);
}

/// The record checks catch a hand-edited sample that lost what SQS always sends.
#[test]
fn a_broken_sqs_record_is_caught() {
    let raw: Value = serde_json::from_str(&sample("sms_notifier")).unwrap();
    let mut record = raw["Records"][0].clone();
    record["eventSource"] = "aws:sns".into();
    record.as_object_mut().unwrap().remove("receiptHandle");
    let problems = record_problems(&record);
    assert_eq!(problems.len(), 2, "{problems:?}");
}
