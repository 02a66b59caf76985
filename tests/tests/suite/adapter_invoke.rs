//! The MCP adapter's AWS path for real: an MCP `tools/call` on the adapter's router, dispatched with
//! Lambda Invoke (the AWS SDK) to the `check_in_guest` function running under `cargo lambda watch`,
//! which emulates the Invoke API, with the event API Gateway would send.

use aws_sdk_lambda::config::{BehaviorVersion, Credentials, Region};
use dewy_e2e::lambda_watch::LambdaWatch;
use dewy_e2e::{World, moto_idempotency};
use dewy_mcp::McpConfig;
use dewy_runtime::invoke::LambdaInvoke;
use dewy_tool::dispatch::BoxFuture;
use dewy_tool::{AuthFailure, Authenticate, Caller};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Signs everyone in as the guest Kay: this test is about dispatch; tokens are tested elsewhere.
struct Kay;

impl Authenticate for Kay {
    fn authenticate<'a>(&'a self, _: Option<&'a str>) -> BoxFuture<'a, Result<Caller, AuthFailure>> {
        Box::pin(async { Ok(Caller::from_claims("kay", Some("kay@example.com"), ["guest"])) })
    }
}

/// A Lambda client for the emulator at `port` (it ignores the signature, but the SDK signs anyway).
fn lambda_client(port: u16) -> aws_sdk_lambda::Client {
    let config = aws_sdk_lambda::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .build();
    aws_sdk_lambda::Client::from_conf(config)
}

async fn tools_call(client: &reqwest::Client, url: &str) -> Value {
    let response = client
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .json(&json!({
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": { "name": "check_in_guest", "arguments": {} }
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["result"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_adapter_reaches_the_tool_function_through_lambda_invoke() {
    let world = World::start().await;
    let moto = moto_idempotency("adapter").await;
    let mut env = world.function_env();
    env.extend(moto.iter().flat_map(|(_, vars)| vars.iter().cloned()));
    let Some(watch) = LambdaWatch::start(&env) else {
        return;
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // The first invoke builds the function if needed: give it time.
    let dispatch = LambdaInvoke::new(lambda_client(watch.port), "", Duration::from_secs(900));
    let router = dewy_mcp::router(McpConfig {
        tools: dewy_tools::TOOLS,
        dispatch: Arc::new(dispatch),
        authenticate: Arc::new(Kay),
        allowed_hosts: vec![addr.to_string()],
        allowed_origins: vec![],
        max_body_bytes: 64 * 1024,
        resource_base_url: format!("http://{addr}"),
        authorization_servers: vec!["http://issuer.invalid".into()],
        scopes: vec![],
        server_name: "dewy-resort".into(),
        server_version: "test".into(),
        rate_limiter: None,
        confirmations: None,
    });
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();
    let url = format!("http://{addr}/mcp/guest");

    let first = tools_call(&client, &url).await;
    assert_eq!(first["isError"], false, "{first}");
    assert_eq!(first["structuredContent"]["room_number"], "105");
    assert_eq!(first["structuredContent"]["already_checked_in"], false);

    // The function replays its stored answer; the adapter passes the mark on in `_meta`.
    let again = tools_call(&client, &url).await;
    assert_eq!(again["structuredContent"], first["structuredContent"]);
    assert_eq!(again["_meta"][dewy_mcp::REPLAY_META_KEY], true, "{again}");
    let booking = world.one(
        "SELECT Status__c FROM Booking__c WHERE Room__r.Room_Number__c = '105' AND Check_In_Date__c = TODAY",
    );
    assert_eq!(booking["Status__c"], "Checked In");
}
