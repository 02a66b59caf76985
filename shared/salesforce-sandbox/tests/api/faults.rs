//! Fault injection, latency, the request log and the admin endpoints.

use std::time::{Duration, Instant};

use dewy_salesforce_sandbox::{Fault, FaultRule, Latency};
use reqwest::Method;
use serde_json::json;

use crate::common::{V, error_code, into_reply, start};

#[tokio::test]
async fn server_error_and_rate_limit() {
    let env = start().await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .rate(1.0)
            .path("/query")
            .times(1),
    );
    let reply = env.query("SELECT Id FROM Account").await;
    assert_eq!((reply.status, error_code(&reply)), (500, "UNKNOWN_EXCEPTION"));
    assert!(
        reply.body[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("An unexpected error occurred. Please include this ErrorId")
    );
    // Spent after one use; other paths were never affected.
    assert_eq!(env.query("SELECT Id FROM Account").await.status, 200);

    env.sandbox
        .add_fault(FaultRule::new(Fault::RateLimited).method(Method::POST));
    assert_eq!(env.get(&format!("{V}/sobjects/Account")).await.status, 200);
    let limited = env
        .send(
            Method::POST,
            &format!("{V}/sobjects/Account"),
            Some(json!({"Name": "x"})),
        )
        .await;
    assert_eq!(
        (limited.status, error_code(&limited)),
        (429, "REQUEST_LIMIT_EXCEEDED")
    );
    assert_eq!(limited.headers["retry-after"], "1");
    env.sandbox.clear_faults();
    assert_eq!(
        env.send(
            Method::POST,
            &format!("{V}/sobjects/Account"),
            Some(json!({"Name": "x"}))
        )
        .await
        .status,
        201
    );
}

#[tokio::test]
async fn timeout_holds_the_request() {
    let env = start().await;
    env.sandbox.reset_stats();
    env.sandbox.add_fault(FaultRule::new(Fault::Timeout).times(1));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .get(env.url(&format!("{V}/sobjects/Account")))
        .bearer_auth(&env.token)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let log = env.sandbox.request_log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, None);

    // A held request does not keep the sandbox from shutting down.
    env.sandbox.add_fault(FaultRule::new(Fault::Timeout).times(1));
    let held = tokio::spawn(reqwest::Client::new().get(env.url("/services/data/")).send());
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    env.sandbox.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(held.await.unwrap().is_err());
}

#[tokio::test]
async fn dropped_connection_gets_no_response() {
    let env = start().await;
    env.sandbox.reset_stats();
    env.sandbox
        .add_fault(FaultRule::new(Fault::DropConnection).times(1));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let err = client
        .get(env.url(&format!("{V}/sobjects/Account")))
        .bearer_auth(&env.token)
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_timeout() && err.is_request(), "{err:?}");
    assert_eq!(env.sandbox.request_count(), 1, "the client must not have retried");
    assert_eq!(env.sandbox.request_log()[0].status, None);
    assert_eq!(env.get(&format!("{V}/sobjects/Account")).await.status, 200);
}

#[tokio::test]
async fn after_handling_faults_apply_the_write() {
    let env = start().await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/sobjects/Case")
            .method(Method::POST)
            .times(1)
            .after_handling(),
    );
    let body = json!({"Subject": "Ambiguous", "External_ID__c": "tok-ambiguous"});
    let reply = env
        .send(Method::POST, &format!("{V}/sobjects/Case"), Some(body.clone()))
        .await;
    assert_eq!(reply.status, 500);
    assert_eq!(
        env.sandbox
            .query("SELECT Id FROM Case WHERE External_ID__c = 'tok-ambiguous'")
            .unwrap()
            .len(),
        1
    );
    // The retry sees the write: the unique external id is taken.
    let retry = env
        .send(Method::POST, &format!("{V}/sobjects/Case"), Some(body))
        .await;
    assert_eq!((retry.status, error_code(&retry)), (400, "DUPLICATE_VALUE"));
}

#[tokio::test]
async fn latency_and_request_log() {
    let env = start().await;
    env.sandbox.reset_stats();
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(150))));
    let started = Instant::now();
    assert_eq!(env.get(&format!("{V}/sobjects/Account")).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    env.sandbox.set_latency(Some(Latency::range(
        Duration::from_millis(20),
        Duration::from_millis(40),
    )));
    let started = Instant::now();
    assert_eq!(env.query("SELECT Id FROM Contact").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(20));
    env.sandbox.set_latency(None);
    assert_eq!(env.get("/nowhere").await.status, 404);

    assert_eq!(env.sandbox.request_count(), 3);
    let log = env.sandbox.request_log();
    let summary: Vec<(String, String, Option<u16>)> = log
        .iter()
        .map(|r| (r.method.to_string(), r.path.clone(), r.status))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("GET".into(), format!("{V}/sobjects/Account"), Some(200)),
            ("GET".into(), format!("{V}/query"), Some(200)),
            ("GET".into(), "/nowhere".into(), Some(404)),
        ]
    );
    assert!(log[0].finished.duration_since(log[0].started) >= Duration::from_millis(150));
    env.sandbox.reset_stats();
    assert_eq!(
        (env.sandbox.request_count(), env.sandbox.request_log().len()),
        (0, 0)
    );
}

#[tokio::test]
async fn admin_endpoints_drive_the_knobs() {
    let env = start().await;
    let admin = |method: Method, path: &str, body: serde_json::Value| {
        let request = env.client.request(method, env.url(path)).json(&body);
        async move { into_reply(request.send().await.unwrap()).await }
    };
    assert_eq!(
        admin(Method::POST, "/__sandbox/reset-stats", json!({}))
            .await
            .status,
        200
    );
    assert_eq!(
        admin(
            Method::POST,
            "/__sandbox/faults",
            json!({"fault": "rate_limited", "times": 1, "path": "/sobjects"})
        )
        .await
        .status,
        200
    );
    assert_eq!(env.get(&format!("{V}/sobjects/Account")).await.status, 429);
    assert_eq!(env.get(&format!("{V}/sobjects/Account")).await.status, 200);
    assert_eq!(
        admin(
            Method::POST,
            "/__sandbox/faults",
            json!({"fault": "server_error"})
        )
        .await
        .status,
        200
    );
    assert_eq!(
        admin(Method::DELETE, "/__sandbox/faults", json!({})).await.status,
        200
    );
    assert_eq!(env.get(&format!("{V}/sobjects/Account")).await.status, 200);
    assert_eq!(
        admin(Method::POST, "/__sandbox/faults", json!({"fault": "explode"}))
            .await
            .status,
        400
    );

    assert_eq!(
        admin(Method::POST, "/__sandbox/query-batch-size", json!({"size": 3}))
            .await
            .status,
        200
    );
    assert_eq!(
        env.query("SELECT Id FROM Hotel_Room__c").await.body["records"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        admin(Method::POST, "/__sandbox/query-batch-size", json!({"size": null}))
            .await
            .status,
        200
    );

    assert_eq!(
        admin(
            Method::POST,
            "/__sandbox/latency",
            json!({"min_ms": 60, "max_ms": 80})
        )
        .await
        .status,
        200
    );
    let started = Instant::now();
    env.get(&format!("{V}/sobjects/Account")).await;
    assert!(started.elapsed() >= Duration::from_millis(60));
    assert_eq!(
        admin(
            Method::POST,
            "/__sandbox/latency",
            json!({"min_ms": null, "max_ms": null})
        )
        .await
        .status,
        200
    );

    let stats = admin(Method::GET, "/__sandbox/stats", json!({})).await;
    assert_eq!(stats.body["request_count"], json!(5));
    assert_eq!(stats.body["requests"][0]["status"], json!(429));
    assert!(stats.body["requests"][4]["duration_ms"].as_f64().unwrap() >= 60.0);

    assert_eq!(
        admin(Method::POST, "/__sandbox/expire-sessions", json!({}))
            .await
            .status,
        200
    );
    assert_eq!(env.get(&format!("{V}/sobjects/Account")).await.status, 401);
}
