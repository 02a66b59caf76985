//! A caller's W3C trace context end to end, through the local stack's real HTTP router (the MCP
//! adapter's persona servers and the REST API, in-process dispatch to the sandboxes):
//! - an MCP `tools/call` with `params._meta.traceparent`, and a REST call with a `traceparent`
//!   header, are answered as without one, and the trace id is on the call's log lines (`traceId` in
//!   the span, `trace_id` on the summary line), on each of its audit events (`trace_id`) and in its
//!   EMF record (`TraceId`);
//! - an invalid `traceparent` is ignored: the call works and no trace id is named anywhere.
//!
//! And `tools/list`, which the adapter answers from bytes serialized once: through HTTP, the
//! JSON-RPC answer carries the request's id (a number or a string) and, for a guest, a staff member
//! and a manager, on the newest protocol version and an older one, the result built afresh.

use dewy_e2e::log_capture::Capture;
use dewy_local::{LocalOptions, LocalStack};
use dewy_mcp::Endpoint;
use dewy_tool::Caller;
use serde_json::{Value, json};
use std::sync::{Mutex, PoisonError};

const KAY: &str = "kay@example.com";

/// A valid `traceparent` whose trace id is `trace_id`.
fn traceparent(trace_id: &str) -> String {
    format!("00-{trace_id}-00f067aa0ba902b7-01")
}

/// Every EMF record written by this process's invocations since the first call, as JSON. The
/// metrics sink is process-wide and takes the first sink set; no other test of the suite sets one.
fn emf_records() -> Vec<Value> {
    static RECORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());
    dewy_tool::metrics::write_to(|line| {
        RECORDS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line.to_owned());
    });
    RECORDS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The EMF records naming `trace_id`.
fn emf_of(trace_id: &str) -> Vec<Value> {
    emf_records()
        .into_iter()
        .filter(|record| record["TraceId"] == trace_id)
        .collect()
}

/// A fresh local stack, with the EMF sink set, and an empty capture for the call's lines.
async fn start() -> (LocalStack, Capture) {
    emf_records();
    let stack = LocalStack::start(LocalOptions::ephemeral()).await.unwrap();
    (stack, Capture::new())
}

/// An MCP `tools/call` of `check_in_guest` by Kay on `/mcp/guest` (protocol 2025-11-25), with
/// `meta` as the request's `_meta` and `headers` added to the HTTP request: the result.
async fn mcp_check_in(stack: &LocalStack, meta: Value, headers: &[(&str, &str)]) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("{}/mcp/guest", stack.api_url))
        .bearer_auth(stack.token(KAY).unwrap())
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .json(&json!({
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": { "name": "check_in_guest", "arguments": {}, "_meta": meta }
        }));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    answer["result"].clone()
}

/// `POST /api/check-in-guest` by Kay with `headers` added: the status and the answer.
async fn rest_check_in(stack: &LocalStack, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/api/check-in-guest", stack.api_url))
        .bearer_auth(stack.token(KAY).unwrap())
        .json(&json!({ "guest_email": KAY }));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The captured lines of the `check_in_guest` call: its summary line and its audit events.
fn call_lines(capture: &Capture) -> (Value, Vec<Value>) {
    let lines = capture.lines();
    let summaries: Vec<&Value> = lines
        .iter()
        .filter(|l| l["message"] == "tool invocation" && l["tool"] == "check_in_guest")
        .collect();
    assert_eq!(summaries.len(), 1, "{lines:#?}");
    let audit = capture.audit_events();
    assert!(!audit.is_empty(), "a call always logs its persona decision");
    (summaries[0].clone(), audit)
}

/// The call's lines name `trace_id`: the span of every one (`traceId`), the summary line and each
/// audit event (`trace_id`); its one EMF record too (`TraceId`).
fn assert_traced(capture: &Capture, trace_id: &str) {
    let (summary, audit) = call_lines(capture);
    assert_eq!(summary["trace_id"], trace_id, "{summary}");
    assert_eq!(summary["span"]["traceId"], trace_id, "{summary}");
    for event in &audit {
        assert_eq!(event["trace_id"], trace_id, "{event}");
        assert_eq!(event["span"]["traceId"], trace_id, "{event}");
    }
    // Every line written inside the call's trace span names the trace, and only that one.
    for line in capture.lines() {
        if let Some(id) = line["span"].get("traceId") {
            assert_eq!(id, trace_id, "{line}");
        }
    }
    let records = emf_of(trace_id);
    assert_eq!(records.len(), 1, "{records:#?}");
    assert_eq!(
        (&records[0]["Tool"], &records[0]["Outcome"]),
        (&json!("check_in_guest"), &json!("success")),
        "{}",
        records[0]
    );
}

/// No line of the call names a trace: no `trace_id` field, no `traceId` span field.
fn assert_untraced(capture: &Capture) {
    let (summary, audit) = call_lines(capture);
    assert!(summary.get("trace_id").is_none(), "{summary}");
    for event in &audit {
        assert!(event.get("trace_id").is_none(), "{event}");
    }
    for line in capture.lines() {
        let traced = line["spans"]
            .as_array()
            .is_some_and(|spans| spans.iter().any(|s| s.get("traceId").is_some()));
        assert!(!traced, "{line}");
    }
}

/// Kay's check-in answer: room 105, not a replay.
fn assert_checked_in(output: &Value) {
    assert_eq!(
        (&output["room_number"], &output["already_checked_in"]),
        (&json!("105"), &json!(false)),
        "{output}"
    );
}

// The tests run on the current thread, with the stack's server spawned on it: the thread's
// subscriber sees every line the call writes, whichever task writes it.

#[tokio::test]
async fn an_mcp_call_with_a_traceparent_in_meta_names_its_trace_in_logs_audit_and_metrics() {
    let trace_id = "0af7651916cd43dd8448eb211c80319c";
    // A different trace in the HTTP headers: `_meta` wins.
    let header_trace = traceparent("11111111111111111111111111111111");
    let (stack, capture) = start().await;
    let result = {
        let _guard = tracing::subscriber::set_default(capture.subscriber("info"));
        let meta = json!({ "traceparent": traceparent(trace_id), "tracestate": "rojo=00f067aa0ba902b7" });
        mcp_check_in(&stack, meta, &[("traceparent", &header_trace)]).await
    };
    assert_eq!(result["isError"], false, "{result}");
    assert_checked_in(&result["structuredContent"]);
    assert_traced(&capture, trace_id);
    assert!(emf_of("11111111111111111111111111111111").is_empty());
}

#[tokio::test]
async fn an_mcp_call_takes_the_trace_from_the_http_headers_without_one_in_meta() {
    let trace_id = "5e1c3a0d9b7f4e2a8c6b4d2f0e1a3c5b";
    let (stack, capture) = start().await;
    let result = {
        let _guard = tracing::subscriber::set_default(capture.subscriber("info"));
        mcp_check_in(&stack, json!({}), &[("traceparent", &traceparent(trace_id))]).await
    };
    assert_checked_in(&result["structuredContent"]);
    assert_traced(&capture, trace_id);
}

#[tokio::test]
async fn an_mcp_call_with_an_invalid_traceparent_works_and_names_no_trace() {
    // Uppercase hex: not a valid traceparent, neither in `_meta` nor as a header.
    let invalid = "00-9A3B5C7D9E1F4A6B8C0D2E4F6A8B0C2D-00f067aa0ba902b7-01";
    let (stack, capture) = start().await;
    let result = {
        let _guard = tracing::subscriber::set_default(capture.subscriber("info"));
        mcp_check_in(
            &stack,
            json!({ "traceparent": invalid }),
            &[("traceparent", invalid)],
        )
        .await
    };
    assert_eq!(result["isError"], false, "{result}");
    assert_checked_in(&result["structuredContent"]);
    assert_untraced(&capture);
    for id in [
        "9A3B5C7D9E1F4A6B8C0D2E4F6A8B0C2D",
        "9a3b5c7d9e1f4a6b8c0d2e4f6a8b0c2d",
    ] {
        assert!(emf_of(id).is_empty());
    }
}

#[tokio::test]
async fn a_rest_call_with_a_traceparent_header_names_its_trace_in_logs_audit_and_metrics() {
    let trace_id = "7c2e4a6b8d0f1e3c5a7b9d1f3e5c7a9b";
    let (stack, capture) = start().await;
    let (status, body) = {
        let _guard = tracing::subscriber::set_default(capture.subscriber("info"));
        let traceparent = traceparent(trace_id);
        let headers = [("traceparent", traceparent.as_str()), ("tracestate", "rojo=1")];
        rest_check_in(&stack, &headers).await
    };
    assert_eq!(status, 200, "{body}");
    assert_checked_in(&body);
    assert_traced(&capture, trace_id);
}

#[tokio::test]
async fn a_rest_call_with_an_invalid_traceparent_works_and_names_no_trace() {
    // An all-zero trace id is invalid.
    let invalid = traceparent("00000000000000000000000000000000");
    let (stack, capture) = start().await;
    let (status, body) = {
        let _guard = tracing::subscriber::set_default(capture.subscriber("info"));
        rest_check_in(&stack, &[("traceparent", &invalid)]).await
    };
    assert_eq!(status, 200, "{body}");
    assert_checked_in(&body);
    assert_untraced(&capture);
    assert!(emf_of("00000000000000000000000000000000").is_empty());
}

/// A `tools/list` request on `endpoint` as `user` on protocol `version`, with JSON-RPC `id`: the
/// whole JSON-RPC answer. On 2026-07-28 the request carries the `_meta` and the `Mcp-Method`
/// header that version requires.
async fn tools_list(stack: &LocalStack, endpoint: &str, user: &str, version: &str, id: &Value) -> Value {
    let mut params = json!({});
    if version >= "2026-07-28" {
        params["_meta"] = json!({
            "io.modelcontextprotocol/protocolVersion": version,
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": { "name": "dewy-e2e", "version": "1" },
        });
    }
    let mut request = reqwest::Client::new()
        .post(format!("{}/mcp/{endpoint}", stack.api_url))
        .bearer_auth(stack.token(user).unwrap())
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", version)
        .json(&json!({ "jsonrpc": "2.0", "id": id, "method": "tools/list", "params": params }));
    if version >= "2026-07-28" {
        request = request.header("mcp-method", "tools/list");
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[tokio::test]
async fn tools_list_through_http_has_the_requests_id_and_the_list_built_afresh() {
    let stack = LocalStack::start(LocalOptions::ephemeral()).await.unwrap();
    let users = [
        (Endpoint::Guest, "guest", KAY, &["guest"][..]),
        (Endpoint::Staff, "staff", "staff1@hotel.com", &["staff"][..]),
        (Endpoint::Staff, "staff", "manager1@hotel.com", &["manager"][..]),
    ];
    let ids = [json!(7), json!("list-β-1"), json!(0)];
    for (endpoint, path, user, groups) in users {
        let personas = Caller::from_claims("x", Some(user), groups.iter().copied()).personas;
        for version in ["2026-07-28", "2025-11-25", "2025-06-18"] {
            let fresh = dewy_mcp::fresh_tools_list(dewy_tools::TOOLS, endpoint, &personas, Some(version));
            assert!(
                fresh["tools"].as_array().is_some_and(|tools| !tools.is_empty()),
                "{fresh}"
            );
            // Twice each: the first answer may build the cached bytes, the others are served from them.
            for id in ids.iter().chain(&ids) {
                let answer = tools_list(&stack, path, user, version, id).await;
                let what = format!("{user} on /mcp/{path}, {version}, id {id}");
                assert_eq!(answer["jsonrpc"], "2.0", "{what}: {answer}");
                assert_eq!(&answer["id"], id, "{what}");
                assert!(answer.get("error").is_none(), "{what}: {answer}");
                assert_eq!(answer["result"]["tools"], fresh["tools"], "{what}");
                assert_eq!(answer["result"], fresh, "{what}");
            }
        }
    }
}
