//! The MCP adapter's two events:
//! - `events/mcp_adapter.json`: what API Gateway sends the `mcp_adapter` function for an MCP
//!   client's `tools/list` on `POST /mcp/staff` (no JWT authorizer on that route: the adapter checks
//!   the token itself, to answer with the MCP spec's 401). It carries no token, as a client's first
//!   request does; the test adds one from the local issuer.
//! - `events/mcp_adapter_dispatch.json`: what the adapter sends a tool function by Lambda Invoke
//!   (`dewy_runtime::invoke::tool_event`), here `check_in_guest` called by a guest.

use super::sample;
use dewy_auth::Verifier;
use dewy_local::{LocalOptions, LocalStack, Sandboxes};
use dewy_mcp::{Endpoint, McpConfig};
use dewy_tool::Caller;
use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpRequest;
use lambda_http::tower::ServiceExt;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;

/// The API's host in the samples (an HTTP API's default execute-api domain).
const API_HOST: &str = "abcdef1234.execute-api.us-east-1.amazonaws.com";

/// The guest the dispatch sample is for (the subject of `events/check_in_guest.json` too).
const KAY_SUB: &str = "6f1c2a9e-4b1d-4e4e-9a39-0c7f3b1f5e21";
const KAY: &str = "kay@example.com";

/// The adapter's router as deployed behind `API_HOST`: the local stack's MCP configuration, with
/// tokens checked against the local issuer standing in for Cognito.
fn adapter_router(stack: &LocalStack) -> axum::Router {
    let addr: SocketAddr = stack.api_url.trim_start_matches("http://").parse().unwrap();
    let backends = Sandboxes::backends_of(
        &stack.salesforce,
        &stack.stripe,
        &stack.twilio,
        &stack.home_assistant,
    );
    let verifier = Verifier::new(stack.issuer.verifier_config(), dewy_connector::http_client());
    let local = dewy_local::mcp_config(
        addr,
        &stack.issuer,
        backends,
        Arc::new(verifier),
        dewy_mcp::Unconfirmable::Refuse,
    );
    dewy_mcp::router(McpConfig {
        allowed_hosts: vec![API_HOST.to_owned()],
        resource_base_url: format!("https://{API_HOST}"),
        ..local
    })
}

/// The adapter's answer to `event`, converted to a request by lambda_http as the Lambda runtime
/// does: status, headers, body.
async fn answer(router: &axum::Router, event: &str) -> (u16, axum::http::HeaderMap, Value) {
    let request = lambda_http::request::from_str(event).expect("an HTTP API v2 event");
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn the_adapter_event_gets_the_oauth_challenge_then_with_a_token_the_staff_tools() {
    let text = sample("mcp_adapter");
    let event: ApiGatewayV2httpRequest =
        serde_json::from_str(&text).expect("events/mcp_adapter.json is an HTTP API v2 event");
    assert_eq!(event.version.as_deref(), Some("2.0"));
    assert_eq!(event.raw_path.as_deref(), Some("/mcp/staff"));
    assert_eq!(event.request_context.http.method, "POST");
    assert_eq!(event.headers["host"], API_HOST);
    let accept = event.headers["accept"].to_str().unwrap();
    assert!(
        accept.contains("application/json") && accept.contains("text/event-stream"),
        "a Streamable HTTP client accepts both: {accept}"
    );
    assert!(event.headers.get("authorization").is_none());
    let body = event.body.as_deref().unwrap();
    assert_eq!(event.headers["content-length"], body.len().to_string().as_str());
    let rpc: Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        (&rpc["jsonrpc"], &rpc["method"]),
        (&json!("2.0"), &json!("tools/list"))
    );

    let stack = LocalStack::start(LocalOptions::ephemeral()).await.unwrap();
    let router = adapter_router(&stack);

    // No token: 401, and the challenge names where the client learns how to get one.
    let (status, headers, body) = answer(&router, &text).await;
    assert_eq!(status, 401, "{body}");
    let challenge = headers["www-authenticate"].to_str().unwrap();
    let metadata = format!("https://{API_HOST}/.well-known/oauth-protected-resource/mcp/staff");
    assert!(
        challenge.starts_with("Bearer ") && challenge.contains(&format!("resource_metadata=\"{metadata}\"")),
        "{challenge}"
    );

    // A staff member's token from the local issuer: the staff tools.
    let token = stack.token("staff1@hotel.com").unwrap();
    let mut signed_in: Value = serde_json::from_str(&text).unwrap();
    signed_in["headers"]["authorization"] = format!("Bearer {token}").into();
    let (status, _, body) = answer(&router, &signed_in.to_string()).await;
    assert_eq!(status, 200, "{body}");
    let listed: BTreeSet<&str> = body["result"]["tools"]
        .as_array()
        .unwrap_or_else(|| panic!("no tools in {body}"))
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let staff = Caller::from_claims("staff", Some("staff1@hotel.com"), ["staff"]);
    let expected: BTreeSet<&str> = dewy_tools::TOOLS
        .iter()
        .map(|t| t.spec())
        .filter(|spec| Endpoint::Staff.serves(spec, &staff))
        .map(|spec| spec.name)
        .collect();
    assert!(expected.contains("check_in_guest"), "{expected:?}");
    assert_eq!(listed, expected);
}

#[tokio::test]
async fn the_dispatch_event_is_what_the_adapter_sends_and_the_tool_function_answers_it() {
    let text = sample("mcp_adapter_dispatch");
    let event: ApiGatewayV2httpRequest =
        serde_json::from_str(&text).expect("events/mcp_adapter_dispatch.json is an HTTP API v2 event");
    assert_eq!(event.raw_path.as_deref(), Some("/api/check-in-guest"));

    // What the adapter sends for a guest's `check_in_guest` call without arguments (the guest
    // endpoint's schema has no email: the tool scopes the call to the caller), but for the request
    // id and time, which are the moment of the call.
    let tool = dewy_tools::find("check_in_guest").unwrap();
    let kay = Caller::from_claims(KAY_SUB, Some(KAY), ["guest"]);
    let mut sent = dewy_runtime::invoke::tool_event(tool.spec(), &kay, &json!({}), &Default::default());
    let sample: Value = serde_json::from_str(&text).unwrap();
    for field in ["requestId", "time", "timeEpoch"] {
        sent["requestContext"][field] = sample["requestContext"][field].clone();
    }
    assert_eq!(sample, sent, "the sample is not what the adapter sends");

    // The tool's function answers it as the caller: Kay is checked in to her room.
    let world = dewy_e2e::World::start().await;
    let request = lambda_http::request::from_str(&text).unwrap();
    assert_eq!(dewy_runtime::lambda::caller(&request), Some(kay));
    let response = dewy_runtime::lambda::handle(tool, &world.backends, request).await;
    let answer: Value = serde_json::from_slice(response.body().as_ref()).unwrap();
    assert_eq!(response.status(), 200, "{answer}");
    assert_eq!(answer["room_number"], "105", "{answer}");
}
