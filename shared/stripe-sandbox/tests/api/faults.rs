//! Fault injection, before and after handling, and the admin endpoints.

use crate::common::{pay, start};
use dewy_stripe_sandbox::{Fault, FaultRule};
use serde_json::json;

/// Before handling: a 500 and nothing done, so the retry with the same key runs the request.
/// After handling: the work is done and saved, so the retry replays it.
#[tokio::test]
async fn faults_before_and_after_handling() {
    let env = start().await;
    let customer = env.customer("f%40example.com").await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/v1/payment_intents")
            .times(1),
    );
    let form = pay(&customer, "pm_card_visa");
    let failed = env.post("/v1/payment_intents", &form, Some("before")).await;
    assert_eq!(
        (failed.status, failed.body["error"]["type"].as_str()),
        (500, Some("api_error"))
    );
    assert!(env.sandbox.payment_intents().is_empty());
    let retried = env.post("/v1/payment_intents", &form, Some("before")).await;
    assert_eq!(retried.status, 200);
    assert!(!retried.headers.contains_key("idempotent-replayed"));

    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/v1/payment_intents")
            .times(1)
            .after_handling(),
    );
    let lost = env.post("/v1/payment_intents", &form, Some("after")).await;
    assert_eq!(lost.status, 500);
    assert_eq!(env.sandbox.payment_intents().len(), 2);
    let replayed = env.post("/v1/payment_intents", &form, Some("after")).await;
    assert_eq!(replayed.headers["idempotent-replayed"], "true");
    assert_eq!(env.sandbox.payment_intents().len(), 2);
    let log = env.sandbox.request_log();
    assert_eq!(
        log.iter()
            .filter(|r| r.idempotency_key.as_deref() == Some("after"))
            .count(),
        2
    );
    assert!(log.last().is_some_and(|r| r.replayed && r.status == Some(200)));
}

/// A 429 carries Retry-After and, when the rule says so, Stripe-Should-Retry.
#[tokio::test]
async fn rate_limits_carry_their_headers() {
    let env = start().await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::RateLimited)
            .should_retry(false)
            .retry_after_secs(2)
            .times(1),
    );
    let limited = env.get("/v1/customers").await;
    assert_eq!((limited.status, limited.error_code()), (429, "rate_limit"));
    assert_eq!(limited.headers["retry-after"], "2");
    assert_eq!(limited.headers["stripe-should-retry"], "false");
    assert_eq!(env.get("/v1/customers").await.status, 200);
}

/// The knobs over HTTP: faults, stats, 3-D Secure completion, reset.
#[tokio::test]
async fn admin_endpoints() {
    let env = start().await;
    let customer = env.customer("admin%40example.com").await;
    let pending = env
        .post(
            "/v1/payment_intents",
            &pay(&customer, "pm_card_authenticationRequired"),
            None,
        )
        .await;
    assert_eq!(pending.body["status"], "requires_action");
    assert_eq!(pending.body["next_action"]["type"], "use_stripe_sdk");
    let id = pending.body["id"].as_str().unwrap();
    let admin = |path: &str| env.client.post(env.url(path));
    let done: serde_json::Value = admin(&format!("/__sandbox/payment_intents/{id}/authenticate"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(done["status"], "succeeded");
    let added = admin("/__sandbox/faults")
        .json(&json!({"fault": "server_error", "path": "/v1/customers", "times": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status().as_u16(), 200);
    assert_eq!(env.get("/v1/customers").await.status, 500);
    let stats: serde_json::Value = env
        .client
        .get(env.url("/__sandbox/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["request_count"], 3);
    assert_eq!(stats["requests"][2]["status"], 500);
    admin("/__sandbox/reset").send().await.unwrap();
    assert!(env.sandbox.customers().is_empty() && env.sandbox.payment_intents().is_empty());
    assert_eq!(env.sandbox.request_count(), 0);
}
