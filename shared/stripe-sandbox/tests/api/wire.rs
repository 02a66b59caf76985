//! Stripe's wire format: auth, list shape, errors, unknown parameters, expansion.

use crate::common::{pay, start};
use reqwest::Method;

/// No key, a wrong key and a live key are 401 with Stripe's error body.
#[tokio::test]
async fn keys_are_checked() {
    let env = start().await;
    let anonymous = env.client.get(env.url("/v1/customers")).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let body: serde_json::Value = anonymous.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("You did not provide an API key")
    );
    let wrong = env
        .post_as("sk_test_nope_1234", "/v1/customers", "email=a@b.c", None)
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.body["error"]["message"],
        "Invalid API Key provided: sk_test_****1234"
    );
    let basic = env
        .client
        .get(env.url("/v1/customers"))
        .basic_auth(env.sandbox.api_key(), None::<&str>)
        .send()
        .await
        .unwrap();
    assert_eq!(
        basic.status().as_u16(),
        200,
        "Basic auth with the key as user, as `curl -u`"
    );
    let live = env.post_as("sk_live_abc", "/v1/customers", "", None).await;
    assert_eq!(live.status, 401);
    assert!(env.sandbox.customers().is_empty());
}

/// Customers list in Stripe's list shape, filtered by exact email, newest first.
#[tokio::test]
async fn customers_list_shape() {
    let env = start().await;
    let first = env.customer("ana%40example.com").await;
    let second = env.customer("ana%40example.com").await;
    let reply = env.get("/v1/customers?email=ana%40example.com&limit=1").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["object"], "list");
    assert_eq!(reply.body["url"], "/v1/customers");
    assert_eq!(reply.body["has_more"], true);
    assert_eq!(reply.body["data"][0]["id"], second.as_str());
    assert_eq!(reply.body["data"][0]["email"], "ana@example.com");
    let all = env.get("/v1/customers?email=ana%40example.com").await;
    assert_eq!(all.body["data"][1]["id"], first.as_str());
    assert_eq!(env.get("/v1/customers?limit=0").await.status, 400);
    assert!(reply.headers["request-id"].to_str().unwrap().starts_with("req_"));
}

/// Unknown parameters, missing ones and bad values are refused with Stripe's codes and params.
#[tokio::test]
async fn parameters_are_checked_like_stripe() {
    let env = start().await;
    let unknown = env
        .post("/v1/payment_intents", "amount=5000&currency=usd&colour=red", None)
        .await;
    assert_eq!((unknown.status, unknown.error_code()), (400, "parameter_unknown"));
    assert_eq!(unknown.body["error"]["param"], "colour");
    let missing = env.post("/v1/payment_intents", "amount=5000", None).await;
    assert_eq!(
        (missing.error_code(), missing.body["error"]["param"].as_str()),
        ("parameter_missing", Some("currency"))
    );
    let small = env
        .post("/v1/payment_intents", "amount=49&currency=usd", None)
        .await;
    assert_eq!((small.status, small.error_code()), (400, "amount_too_small"));
    assert_eq!(small.body["error"]["param"], "amount");
    let text = env
        .post("/v1/payment_intents", "amount=fifty&currency=usd", None)
        .await;
    assert_eq!(text.error_code(), "parameter_invalid_integer");
    let nested = env
        .post(
            "/v1/payment_intents",
            "amount=5000&currency=usd&automatic_payment_methods[colour]=x",
            None,
        )
        .await;
    assert_eq!(nested.body["error"]["param"], "automatic_payment_methods[colour]");
    let redirect = env
        .post(
            "/v1/payment_intents",
            "amount=5000&currency=usd&return_url=https://x",
            None,
        )
        .await;
    assert_eq!(redirect.status, 400);
    assert!(env.sandbox.payment_intents().is_empty());
}

/// A decline is a 402 card_error whose body carries the PaymentIntent; retrieving with
/// `expand[]=latest_charge` renders the charge object, otherwise its id.
#[tokio::test]
async fn declines_and_expansion() {
    let env = start().await;
    let customer = env.customer("d%40example.com").await;
    let declined = env
        .post(
            "/v1/payment_intents",
            &pay(&customer, "pm_card_chargeDeclined"),
            None,
        )
        .await;
    assert_eq!((declined.status, declined.error_code()), (402, "card_declined"));
    assert_eq!(declined.body["error"]["type"], "card_error");
    assert_eq!(declined.body["error"]["decline_code"], "generic_decline");
    let pi = &declined.body["error"]["payment_intent"];
    assert_eq!(pi["status"], "requires_payment_method");
    assert_eq!(pi["last_payment_error"]["code"], "card_declined");
    let paid = env
        .post("/v1/payment_intents", &pay(&customer, "pm_card_visa"), None)
        .await;
    let id = paid.body["id"].as_str().unwrap();
    assert!(paid.body["latest_charge"].as_str().unwrap().starts_with("ch_"));
    let expanded = env
        .get(&format!("/v1/payment_intents/{id}?expand[]=latest_charge"))
        .await;
    assert_eq!(expanded.body["latest_charge"]["object"], "charge");
    assert_eq!(expanded.body["latest_charge"]["amount_refunded"], 0);
    let missing = env.get("/v1/payment_intents/pi_nope").await;
    assert_eq!((missing.status, missing.error_code()), (404, "resource_missing"));
}

/// Unknown URLs and wrong methods are Stripe's 404.
#[tokio::test]
async fn unrecognized_urls_are_404() {
    let env = start().await;
    let reply = env.get("/v1/charges").await;
    assert_eq!(reply.status, 404);
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Unrecognized request URL (GET: /v1/charges)")
    );
    let wrong_method = env
        .client
        .request(Method::DELETE, env.url("/v1/customers"))
        .bearer_auth(env.sandbox.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status().as_u16(), 404);
}
