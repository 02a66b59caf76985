//! Per-user rate limits (docs/rate-limits.md), at the front doors: the tool functions' Lambda
//! handler (API Gateway's events), the local REST router and the MCP endpoints.
//!
//! - two "instances" (two backends, each with a limiter of its own, as two Lambda containers) on
//!   one DynamoDB table (moto): a concurrent burst from one user gets exactly the limit through, a
//!   second user is unaffected, an unauthenticated burst counts nothing;
//! - the 429 answers of REST (`Retry-After`, `RATE_LIMITED`) and MCP (HTTP 429, JSON-RPC error);
//! - the MCP adapter's Lambda Invoke of a tool function is not counted again;
//! - a store outage lets reads pass and refuses payments.

use dewy_e2e::{World, guest, manager};
use dewy_idempotency::{DynamoStore, MemoryStore, RateStore};
use dewy_tool::{Backends, Caller, RateLimiter, RateLimits};
use lambda_http::Body;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const LIMITS: RateLimits = RateLimits {
    reads: 5,
    writes: 3,
    payments: 2,
};
const KAY: &str = "kay@example.com";
/// A read-only tool guests call (their own bill): a read.
const READ: &str = "get_stay_folio";

/// The event API Gateway sends for `tool` as `caller` (its own API id, not the adapter's), or
/// without authorizer claims when `caller` is `None`.
fn gateway_event(tool: &str, caller: Option<&Caller>, arguments: &Value) -> lambda_http::Request {
    let spec = dewy_tools::find(tool).unwrap().spec();
    let anyone = guest(KAY);
    let mut event =
        dewy_runtime::invoke::tool_event(spec, caller.unwrap_or(&anyone), arguments, &Default::default());
    event["requestContext"]["apiId"] = json!("a1b2c3d4e5");
    if caller.is_none() {
        event["requestContext"]
            .as_object_mut()
            .unwrap()
            .remove("authorizer");
    }
    lambda_http::request::from_str(&event.to_string()).unwrap()
}

/// What the tool function's handler answers: status and body.
async fn handle(backends: &Backends, request: lambda_http::Request, tool: &str) -> (u16, Value) {
    let tool = dewy_tools::find(tool).unwrap();
    let response = dewy_runtime::lambda::handle(tool, backends, request).await;
    let body = match response.body() {
        Body::Text(text) => serde_json::from_str(text).unwrap(),
        other => serde_json::from_slice(other.as_ref()).unwrap(),
    };
    (response.status().as_u16(), body)
}

/// Waits out the last seconds of a minute, so a burst is counted in one window.
async fn away_from_the_window_edge() {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    if secs % 60 >= 55 {
        tokio::time::sleep(Duration::from_secs(61 - secs % 60)).await;
    }
}

/// Two instances on `world`'s sandboxes, each with its own limiter handle on `stores`.
fn instances(world: &World, stores: [Arc<dyn RateStore>; 2]) -> Vec<Backends> {
    stores
        .into_iter()
        .map(|store| {
            world
                .instance(Arc::new(MemoryStore::new()))
                .with_rate_limiter(RateLimiter::new(store, LIMITS))
        })
        .collect()
}

/// 20 calls at once of a read by `caller` (none: unauthenticated), alternating instances: the
/// statuses.
async fn burst(instances: &[Backends], caller: Option<Caller>) -> Vec<u16> {
    let calls = (0..20).map(|i| {
        let backends = instances[i % instances.len()].clone();
        let caller = caller.clone();
        tokio::spawn(async move {
            let request = gateway_event(READ, caller.as_ref(), &json!({}));
            handle(&backends, request, READ).await.0
        })
    });
    let mut statuses = Vec::new();
    for call in calls.collect::<Vec<_>>() {
        statuses.push(call.await.unwrap());
    }
    statuses
}

/// The items of the table behind the limiters.
async fn items(table: &DynamoStore) -> usize {
    let scan = table.client.scan().table_name(&table.table).send().await.unwrap();
    scan.items.unwrap_or_default().len()
}

async fn one_window_across_instances(instances: Vec<Backends>, table: &DynamoStore) {
    away_from_the_window_edge().await;
    let unauthenticated = burst(&instances, None).await;
    assert!(unauthenticated.iter().all(|s| *s == 401), "{unauthenticated:?}");
    assert_eq!(items(table).await, 0, "an unauthenticated burst counts nothing");

    let statuses = burst(&instances, Some(guest(KAY))).await;
    let through = statuses.iter().filter(|s| **s != 429).count();
    assert_eq!(
        through, LIMITS.reads as usize,
        "exactly the limit gets through: {statuses:?}"
    );
    assert_eq!(items(table).await, 1, "one window, one item");

    for backends in &instances {
        let request = gateway_event(READ, Some(&guest("carl.smith@example.com")), &json!({}));
        let (status, body) = handle(backends, request, READ).await;
        assert_ne!(status, 429, "another user is unaffected: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_gets_exactly_the_limit_through_across_instances_on_dynamodb() {
    let Some(table) = dewy_idempotency::moto::store("rate-limits").await else {
        return;
    };
    let world = World::start().await;
    let second = DynamoStore::new(table.client.clone(), table.table.clone());
    let stores: [Arc<dyn RateStore>; 2] = [Arc::new(table.clone()), Arc::new(second)];
    one_window_across_instances(instances(&world, stores), &table).await;
    dewy_idempotency::moto::drop_table(&table).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_gets_exactly_the_limit_through_on_the_memory_store() {
    let world = World::start().await;
    let store: Arc<dyn RateStore> = Arc::new(MemoryStore::new());
    let instances = instances(&world, [Arc::clone(&store), store]);
    away_from_the_window_edge().await;
    let statuses = burst(&instances, Some(guest(KAY))).await;
    let through = statuses.iter().filter(|s| **s != 429).count();
    assert_eq!(through, LIMITS.reads as usize, "{statuses:?}");
}

/// The adapter's Lambda Invoke of a tool function carries the adapter's API id: the adapter
/// counted the call, the function does not count it again.
#[tokio::test]
async fn the_adapters_invoke_is_not_counted_again() {
    let world = World::start().await;
    let backends = instances(
        &world,
        [Arc::new(MemoryStore::new()), Arc::new(MemoryStore::new())],
    )
    .remove(0);
    let spec = dewy_tools::find(READ).unwrap().spec();
    for _ in 0..(LIMITS.reads + 3) {
        let event = dewy_runtime::invoke::tool_event(spec, &guest(KAY), &json!({}), &Default::default());
        let request = lambda_http::request::from_str(&event.to_string()).unwrap();
        assert!(dewy_runtime::lambda::from_adapter(&request));
        let (status, body) = handle(&backends, request, READ).await;
        assert_ne!(status, 429, "{body}");
    }
}

/// A limiter whose table cannot be reached: reads pass, payments are refused before Stripe.
#[tokio::test]
async fn a_store_outage_lets_reads_pass_and_refuses_payments() {
    let world = World::start().await;
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "t", "t", None, None, "static",
        ))
        .build();
    let down = DynamoStore::new(aws_sdk_dynamodb::Client::from_conf(config), "nowhere");
    let backends = world
        .backends
        .clone()
        .with_rate_limiter(RateLimiter::new(Arc::new(down), LIMITS));

    let (status, body) = handle(
        &backends,
        gateway_event(READ, Some(&guest(KAY)), &json!({})),
        READ,
    )
    .await;
    assert!(status != 429 && status != 503, "a read passes: {status} {body}");

    let intents = world.stripe.payment_intents().len();
    let intent = json!({"amount": 1000, "currency": "usd", "idempotency_token": "rate-outage-1"});
    let payment = "create_stripe_payment_intent";
    let (status, body) = handle(
        &backends,
        gateway_event(payment, Some(&manager()), &intent),
        payment,
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error_code"], "SERVICE_UNAVAILABLE");
    assert_eq!(body["details"]["retryable"], true);
    assert_eq!(
        world.stripe.payment_intents().len(),
        intents,
        "nothing reached Stripe"
    );
}

/// A 429 answer's `Retry-After` (whole seconds within the minute) and its body.
async fn refused(response: reqwest::Response) -> (u64, Value) {
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    (retry_after, response.json().await.unwrap())
}

/// REST's 429: `Retry-After` in whole seconds and the `RATE_LIMITED` body; MCP's: HTTP 429,
/// `Retry-After`, a JSON-RPC error with `retryAfterMs`. Both front doors of the local stack.
#[tokio::test]
async fn rest_and_mcp_answer_429_with_when_to_retry() {
    let mut world = World::start().await;
    world.backends = world
        .backends
        .clone()
        .with_rate_limiter(RateLimiter::new(Arc::new(MemoryStore::new()), LIMITS));
    let api = world.serve_api().await;
    let client = reqwest::Client::new();
    away_from_the_window_edge().await;

    let token = api.token(KAY);
    let mut last = None;
    for _ in 0..=LIMITS.reads {
        let response = client
            .post(format!("{}/api/get-stay-folio", api.url))
            .bearer_auth(&token)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        last = Some(response);
    }
    let (retry_after, body) = refused(last.unwrap()).await;
    assert_eq!(body["success"], false);
    assert_eq!(body["error_code"], "RATE_LIMITED");
    assert!(body["error_message"].as_str().unwrap().contains("reads"));
    let details = &body["details"];
    assert_eq!(
        (details["limit"].clone(), details["class"].clone()),
        (json!(5), json!("reads"))
    );
    assert_eq!(details["retryable"], true);
    let ms = details["retry_after_ms"].as_u64().unwrap();
    assert_eq!(ms.div_ceil(1000).max(1), retry_after);

    // MCP: another guest, whose reads are counted at the MCP endpoint.
    let token = api.token("carl.smith@example.com");
    let mut last = None;
    for id in 0..=LIMITS.reads {
        let response = client
            .post(format!("{}/mcp/guest", api.url))
            .bearer_auth(&token)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .json(&json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
                          "params": {"name": READ, "arguments": {}}}))
            .send()
            .await
            .unwrap();
        if id < LIMITS.reads {
            assert_eq!(response.status(), 200, "{:?}", response.text().await);
            continue;
        }
        last = Some(response);
    }
    let (_, body) = refused(last.unwrap()).await;
    assert_eq!(body["id"], LIMITS.reads);
    let error = &body["error"];
    assert_eq!(error["code"], dewy_mcp::RATE_LIMITED_CODE);
    assert!(!(-32768..=-32000).contains(&i64::from(dewy_mcp::RATE_LIMITED_CODE)));
    assert!(error["data"]["retryAfterMs"].as_u64().unwrap() > 0, "{body}");
    assert_eq!(error["data"]["class"], "reads");
}
