//! One CloudWatch Embedded Metric Format (EMF) record per invocation, so that dashboards and alarms
//! on latency, errors, backend calls and replays need no code: CloudWatch turns the record into
//! metrics when it reads the function's log.
//!
//! The record is a JSON object on a line of its own on stdout. It is not a tracing event: tracing's
//! JSON formatter puts an event's fields under its own keys, and CloudWatch extracts metrics only
//! from a top-level `_aws` member. Metrics are written only once a process asks for them
//! ([`write_to_stdout`]): the Lambda functions do; tests, benchmarks and the local stack do not.
//!
//! Dimensions are low-cardinality on purpose (each combination is a billed metric): the tool, the
//! tool and its outcome, and the error code across tools. Persona, replay and the per-backend call
//! counts are properties too, searchable in Logs Insights, and so is the caller's trace id
//! (`TraceId`, when the request carried a W3C trace context): one per call, never a dimension.

use crate::Invocation;
use crate::caller::Caller;
use dewy_connector::Backend;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// The CloudWatch namespace of every metric.
pub const NAMESPACE: &str = "DewyResort";

/// Where records go once a process has asked for them.
type Sink = Box<dyn Fn(&str) + Send + Sync>;
static SINK: OnceLock<Sink> = OnceLock::new();

/// Writes each invocation's record to stdout, one line each (what a Lambda function does). Later
/// calls change nothing.
pub fn write_to_stdout() {
    write_to(|line| {
        // One `write_all` of the line and its newline under the lock: records never interleave with
        // each other, nor with log lines written through the same lock.
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(format!("{line}\n").as_bytes());
        let _ = out.flush();
    });
}

/// Sends each invocation's record to `sink` (tests capture them this way). Only the first sink a
/// process sets is used.
pub fn write_to(sink: impl Fn(&str) + Send + Sync + 'static) {
    let _ = SINK.set(Box::new(sink));
}

/// Writes the record of one invocation, if a sink is set.
pub(crate) fn record(tool: &str, caller: &Caller, trace_id: Option<&str>, invocation: &Invocation) {
    if let Some(sink) = SINK.get() {
        let mut record = document(tool, caller, invocation, now_ms());
        if let Some(trace_id) = trace_id {
            record["TraceId"] = json!(trace_id);
        }
        sink(&record.to_string());
    }
}

/// Writes a rate-limit record, if a sink is set: `metric` (`Throttled`, a refusal;
/// `RateLimitStoreErrors`, a check the store could not answer) counted once, by class.
pub(crate) fn rate_limit_record(metric: &str, class: crate::rate::RateClass) {
    if let Some(sink) = SINK.get() {
        sink(&rate_limit_document(metric, class, now_ms()).to_string());
    }
}

/// The EMF record of one rate-limit event at `timestamp_ms` (dimension: the class).
pub fn rate_limit_document(metric: &str, class: crate::rate::RateClass, timestamp_ms: u64) -> Value {
    json!({
        "_aws": {
            "Timestamp": timestamp_ms,
            "CloudWatchMetrics": [{
                "Namespace": NAMESPACE,
                "Dimensions": [["Class"]],
                "Metrics": [{"Name": metric, "Unit": "Count"}],
            }],
        },
        "Class": class.as_str(),
        metric: 1,
    })
}

/// The EMF record of one invocation at `timestamp_ms`; [`record`] adds the caller's `TraceId`.
pub fn document(tool: &str, caller: &Caller, invocation: &Invocation, timestamp_ms: u64) -> Value {
    let error_code = match &invocation.result {
        Ok(_) => "NONE".to_owned(),
        Err(error) => error.code.as_str(),
    };
    let calls = |backend| invocation.calls.calls.get(&backend).copied().unwrap_or(0);
    json!({
        "_aws": {
            "Timestamp": timestamp_ms,
            "CloudWatchMetrics": [{
                "Namespace": NAMESPACE,
                "Dimensions": [["Tool"], ["Tool", "Outcome"], ["ErrorCode"]],
                "Metrics": [
                    {"Name": "Duration", "Unit": "Milliseconds"},
                    {"Name": "Errors", "Unit": "Count"},
                    {"Name": "BackendCalls", "Unit": "Count"},
                    {"Name": "SalesforceCalls", "Unit": "Count"},
                    {"Name": "StripeCalls", "Unit": "Count"},
                    {"Name": "TwilioCalls", "Unit": "Count"},
                    {"Name": "HomeAssistantCalls", "Unit": "Count"},
                    {"Name": "DynamoDBCalls", "Unit": "Count"},
                    {"Name": "SequentialRoundTrips", "Unit": "Count"},
                    {"Name": "RoundTripsWithStore", "Unit": "Count"},
                    {"Name": "Replayed", "Unit": "Count"},
                ],
            }],
        },
        "Tool": tool,
        "Outcome": if invocation.result.is_ok() { "success" } else { "error" },
        "ErrorCode": error_code,
        "Persona": caller.persona_names(),
        "HttpStatus": invocation.http_status(),
        "Duration": (invocation.duration.as_secs_f64() * 1e6).round() / 1e3,
        "Errors": u8::from(invocation.result.is_err()),
        "BackendCalls": invocation.calls.total_calls,
        "SalesforceCalls": calls(Backend::Salesforce),
        "StripeCalls": calls(Backend::Stripe),
        "TwilioCalls": calls(Backend::Twilio),
        "HomeAssistantCalls": calls(Backend::HomeAssistant),
        "DynamoDBCalls": calls(Backend::DynamoDb),
        "SequentialRoundTrips": invocation.calls.sequential_round_trips,
        "RoundTripsWithStore": invocation.calls.round_trips_with_store,
        "Replayed": u8::from(invocation.replayed),
    })
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Persona;
    use dewy_connector::CallSummary;
    use dewy_domain::{ErrorCode, ToolError};
    use std::collections::BTreeMap;
    use std::time::Duration;

    fn invocation(result: Result<Value, ToolError>, replayed: bool) -> Invocation {
        Invocation {
            result,
            success_status: 200,
            replayed,
            calls: CallSummary {
                calls: BTreeMap::from([
                    (Backend::Salesforce, 2),
                    (Backend::Stripe, 1),
                    (Backend::HomeAssistant, 1),
                    (Backend::DynamoDb, 2),
                ]),
                total_calls: 4,
                sequential_round_trips: 2,
                round_trips_with_store: 3,
            },
            duration: Duration::from_micros(205_432),
        }
    }

    fn staff() -> Caller {
        Caller {
            subject: "sub-1".to_owned(),
            email: None,
            personas: vec![Persona::Staff, Persona::Manager],
        }
    }

    /// Every metric named in `_aws` is a top-level number, and every dimension a top-level string:
    /// what CloudWatch needs to extract them.
    fn assert_extractable(record: &Value) {
        let directive = &record["_aws"]["CloudWatchMetrics"][0];
        for metric in directive["Metrics"].as_array().unwrap() {
            let name = metric["Name"].as_str().unwrap();
            assert!(
                record[name].is_number(),
                "metric {name} is not a number: {record}"
            );
        }
        for set in directive["Dimensions"].as_array().unwrap() {
            for dimension in set.as_array().unwrap() {
                let name = dimension.as_str().unwrap();
                assert!(
                    record[name].is_string(),
                    "dimension {name} is not a string: {record}"
                );
            }
        }
        assert!(record["_aws"]["Timestamp"].is_u64());
    }

    #[test]
    fn a_success_is_recorded_with_its_calls_per_backend() {
        let record = document("check_in_guest", &staff(), &invocation(Ok(json!({})), false), 1);
        assert_extractable(&record);
        assert_eq!(record["Tool"], "check_in_guest");
        assert_eq!(record["Outcome"], "success");
        assert_eq!(record["ErrorCode"], "NONE");
        assert_eq!(record["Persona"], "staff,manager");
        assert_eq!(record["Duration"], 205.432);
        assert_eq!(
            (
                record["SalesforceCalls"].as_u64(),
                record["StripeCalls"].as_u64(),
                record["TwilioCalls"].as_u64(),
                record["HomeAssistantCalls"].as_u64()
            ),
            (Some(2), Some(1), Some(0), Some(1))
        );
        assert_eq!(record["SequentialRoundTrips"], 2);
        assert_eq!(
            (
                record["DynamoDBCalls"].as_u64(),
                record["RoundTripsWithStore"].as_u64()
            ),
            (Some(2), Some(3))
        );
        assert_eq!(
            (record["Errors"].as_u64(), record["Replayed"].as_u64()),
            (Some(0), Some(0))
        );
    }

    #[test]
    fn a_throttled_call_is_counted_by_class() {
        let record = rate_limit_document("Throttled", crate::RateClass::Payments, 1);
        assert_extractable(&record);
        assert_eq!(
            (record["Class"].as_str(), record["Throttled"].as_u64()),
            (Some("payments"), Some(1))
        );
    }

    #[test]
    fn an_error_and_a_replay_are_recorded_as_such() {
        let error = ToolError::new(ErrorCode::RoomNotVacant, "Room 101 is not available.");
        let record = document("check_in_guest", &staff(), &invocation(Err(error), true), 1);
        assert_extractable(&record);
        assert_eq!(record["Outcome"], "error");
        assert_eq!(record["ErrorCode"], "ROOM_NOT_VACANT");
        assert_eq!(record["HttpStatus"], 409);
        assert_eq!(
            (record["Errors"].as_u64(), record["Replayed"].as_u64()),
            (Some(1), Some(1))
        );
    }
}
