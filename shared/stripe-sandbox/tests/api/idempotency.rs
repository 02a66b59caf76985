//! Stripe's idempotency rules over HTTP.

use std::time::Duration;

use crate::common::{pay, start, start_with};
use dewy_stripe_sandbox::{Latency, StripeSandboxConfig};

/// The first response is replayed, marked `Idempotent-Replayed`; other parameters are refused.
#[tokio::test]
async fn replays_and_conflicts() {
    let env = start().await;
    let customer = env.customer("i%40example.com").await;
    let form = pay(&customer, "pm_card_visa");
    let first = env.post("/v1/payment_intents", &form, Some("k1")).await;
    let second = env.post("/v1/payment_intents", &form, Some("k1")).await;
    assert_eq!((first.status, second.status), (200, 200));
    assert_eq!(first.body, second.body);
    assert!(!first.headers.contains_key("idempotent-replayed"));
    assert_eq!(second.headers["idempotent-replayed"], "true");
    assert_eq!(second.headers["idempotency-key"], "k1");
    assert_eq!(env.sandbox.payment_intents().len(), 1);
    let other = env
        .post("/v1/payment_intents", &form.replace("5000", "6000"), Some("k1"))
        .await;
    assert_eq!(
        (other.status, other.body["error"]["type"].as_str()),
        (400, Some("idempotency_error"))
    );
    let endpoint = env.post("/v1/customers", "email=x%40y.z", Some("k1")).await;
    assert!(
        endpoint.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("same endpoint")
    );
}

/// A request that failed validation saves nothing: the corrected request with the same key runs.
#[tokio::test]
async fn validation_failures_are_not_saved() {
    let env = start().await;
    let small = env
        .post("/v1/payment_intents", "amount=10&currency=usd", Some("k"))
        .await;
    assert_eq!(small.status, 400);
    let fixed = env
        .post("/v1/payment_intents", "amount=5000&currency=usd", Some("k"))
        .await;
    assert_eq!(fixed.status, 200);
}

/// A second request with a key whose first request is still running gets 409 in use.
#[tokio::test]
async fn a_key_in_flight_is_in_use() {
    let env = start().await;
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(300))));
    let (first, second) = tokio::join!(env.post("/v1/customers", "email=a%40b.c", Some("busy")), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        env.post("/v1/customers", "email=a%40b.c", Some("busy")).await
    });
    assert_eq!(first.status, 200);
    assert_eq!(
        (second.status, second.error_code()),
        (409, "idempotency_key_in_use")
    );
    assert_eq!(second.headers["stripe-should-retry"], "true");
    assert_eq!(env.sandbox.customers().len(), 1);
}

/// Keys are scoped to the API key.
#[tokio::test]
async fn keys_are_scoped_to_the_api_key() {
    let config = StripeSandboxConfig {
        additional_api_keys: vec!["sk_test_other_account".into()],
        ..StripeSandboxConfig::default()
    };
    let env = start_with(config).await;
    let mine = env.post("/v1/customers", "email=a%40b.c", Some("same")).await;
    let theirs = env
        .post_as(
            "sk_test_other_account",
            "/v1/customers",
            "email=z%40b.c",
            Some("same"),
        )
        .await;
    assert_eq!((mine.status, theirs.status), (200, 200));
    assert_ne!(mine.body["id"], theirs.body["id"]);
}
