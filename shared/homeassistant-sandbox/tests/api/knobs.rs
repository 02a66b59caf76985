//! The kit's knobs on this sandbox: faults in Home Assistant's words, latency, the request log
//! and the admin routes.

use std::time::{Duration, Instant};

use dewy_homeassistant_sandbox::{Fault, FaultRule, Latency};
use reqwest::Method;
use serde_json::json;

use crate::common::{self, authed, call, send, send_for_text, state};

const BLINDS: &str = "cover.room_109_blinds";

/// A 500 before handling changes nothing; one after handling applies the call the client saw fail.
#[tokio::test]
async fn server_errors_strike_before_or_after_the_call() {
    let sandbox = common::start().await;
    let open = json!({"entity_id": BLINDS});
    sandbox.add_fault(FaultRule::new(Fault::ServerError).path("/api/services/").times(1));
    let request = authed(&sandbox, Method::POST, "/api/services/cover/open_cover").json(&open);
    let (status, content_type, text) = send_for_text(request).await;
    assert_eq!(status, 500);
    assert!(content_type.starts_with("text/plain") && text.starts_with("500 Internal Server Error"));
    assert_eq!(state(&sandbox, BLINDS)["state"], "closed");

    sandbox.add_fault(FaultRule::new(Fault::ServerError).after_handling().times(1));
    let request = authed(&sandbox, Method::POST, "/api/services/cover/open_cover").json(&open);
    assert_eq!(send_for_text(request).await.0, 500);
    assert_eq!(state(&sandbox, BLINDS)["state"], "open");
    assert_eq!(call(&sandbox, "cover/open_cover", open).await, (200, json!([])));
}

/// A 429 carries `Retry-After`; a dropped connection is a transport error; cleared, all is well.
#[tokio::test]
async fn rate_limits_and_dropped_connections() {
    let sandbox = common::start().await;
    sandbox.add_fault(FaultRule::new(Fault::RateLimited).retry_after_secs(3).times(1));
    let response = authed(&sandbox, Method::GET, "/api/states")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers()["retry-after"], "3");
    assert_eq!(response.text().await.expect("text"), "429: Too Many Requests");

    sandbox.add_fault(FaultRule::new(Fault::DropConnection));
    assert!(authed(&sandbox, Method::GET, "/api/").send().await.is_err());
    sandbox.clear_faults();
    assert_eq!(common::get(&sandbox, "/api/").await.0, 200);
}

/// Latency delays every API request by at least the set time.
#[tokio::test]
async fn latency_delays_requests() {
    let sandbox = common::start().await;
    sandbox.set_latency(Some(Latency::fixed(Duration::from_millis(150))));
    let started = Instant::now();
    assert_eq!(common::get(&sandbox, "/api/").await.0, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "{:?}",
        started.elapsed()
    );
}

/// The log holds API requests with their outcome; admin requests are neither logged nor counted.
#[tokio::test]
async fn the_request_log_records_api_calls() {
    let sandbox = common::start().await;
    common::get(&sandbox, "/api/states/light.room_101_main").await;
    call(
        &sandbox,
        "light/turn_on",
        json!({"entity_id": "light.room_101_main", "brightness": 999}),
    )
    .await;
    let stats = reqwest::get(format!("{}/__sandbox/stats", sandbox.base_url()))
        .await
        .expect("stats");
    assert_eq!(stats.status().as_u16(), 200);
    let log = sandbox.request_log();
    let seen: Vec<_> = log
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str(), r.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("GET", "/api/states/light.room_101_main", Some(200)),
            ("POST", "/api/services/light/turn_on", Some(400)),
        ]
    );
    assert_eq!(sandbox.request_count(), 2);
    sandbox.reset_stats();
    assert_eq!((sandbox.request_count(), sandbox.request_log().len()), (0, 0));
}

/// Faults set over HTTP strike; `/__sandbox/reset` reseeds the devices and clears the knobs.
#[tokio::test]
async fn the_knobs_work_over_http() {
    let sandbox = common::start().await;
    let client = reqwest::Client::new();
    let admin = |path: &str| format!("{}/__sandbox/{path}", sandbox.base_url());
    let rule = json!({"fault": "server_error", "path": "/api/states", "times": 1});
    assert_eq!(send(client.post(admin("faults")).json(&rule)).await.0, 200);
    assert_eq!(
        send_for_text(authed(&sandbox, Method::GET, "/api/states"))
            .await
            .0,
        500
    );
    call(&sandbox, "cover/open_cover", json!({"entity_id": BLINDS})).await;
    sandbox.add_fault(FaultRule::new(Fault::RateLimited));
    assert_eq!(
        send(client.post(admin("reset"))).await,
        (200, json!({"ok": true}))
    );
    assert_eq!(state(&sandbox, BLINDS)["state"], "closed");
    assert_eq!(sandbox.request_count(), 0);
    assert_eq!(
        common::get(&sandbox, "/api/").await.0,
        200,
        "the rate limit is gone"
    );
}
