//! The server and admin routes end to end, over a toy API: faults in both phases, the request log,
//! latency, the idempotency columns, shutdown releasing held requests.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use dewy_sandbox_kit::{Api, Controls, Fault, FaultRule, Latency, Listener, Server, admin_routes};
use http::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

/// A toy API: plain JSON, errors as `{"error": status}`, optionally with idempotency keys.
#[derive(Debug)]
struct Toy {
    idempotency: bool,
}

impl Api for Toy {
    fn json(&self, status: u16, body: &Value) -> Response {
        let mut response = Response::new(body.to_string().into());
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
        response
    }
    fn server_error(&self, rule: &FaultRule, request: &HeaderMap) -> Response {
        let echo = request.get("x-echo").and_then(|v| v.to_str().ok());
        self.json(
            500,
            &json!({"error": 500, "echo": echo, "advice": rule.should_retry}),
        )
    }
    fn rate_limited(&self, _: &FaultRule, _: &HeaderMap) -> Response {
        self.json(429, &json!({"error": 429}))
    }
    fn logs_idempotency(&self) -> bool {
        self.idempotency
    }
}

/// A running toy sandbox whose `POST /write` counts writes and `GET /replay` says it replayed.
struct Env {
    server: Server,
    writes: Arc<AtomicU32>,
    client: reqwest::Client,
}

impl Env {
    async fn start(idempotency: bool) -> Env {
        let listener = Listener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .expect("bind");
        let controls = Arc::new(Controls::new(Toy { idempotency }));
        let writes = Arc::new(AtomicU32::new(0));
        let counter = writes.clone();
        let router = Router::new()
            .route(
                "/write",
                post(move || async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    "written"
                }),
            )
            .route(
                "/replay",
                get(|| async {
                    let mut response = Response::new(axum::body::Body::from("again"));
                    let replayed = HeaderValue::from_static("true");
                    response.headers_mut().insert("idempotent-replayed", replayed);
                    response
                }),
            )
            .merge(admin_routes(&controls));
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .expect("client");
        Env {
            server: listener.serve(controls, router),
            writes,
            client,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    fn controls(&self) -> &Controls {
        self.server.controls()
    }

    async fn post(&self, path: &str) -> reqwest::Result<reqwest::Response> {
        self.client.post(self.url(path)).send().await
    }

    async fn admin(&self, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .request(method, self.url(path))
            .json(&body)
            .send()
            .await
            .expect("admin answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// Before handling, the fault replaces the write; after handling, it replaces only the answer.
/// Both are worded by the API (seeing the request's headers) and logged with their status.
#[tokio::test]
async fn faults_strike_before_or_after_the_handler() {
    let env = Env::start(false).await;
    env.controls()
        .add_fault(FaultRule::new(Fault::ServerError).times(1).should_retry(true));
    let before = env
        .client
        .post(env.url("/write"))
        .header("x-echo", "hi")
        .send()
        .await
        .expect("an answer");
    assert_eq!(before.status().as_u16(), 500);
    let body: Value = before.json().await.expect("json");
    assert_eq!(body, json!({"error": 500, "echo": "hi", "advice": true}));
    assert_eq!(env.writes.load(Ordering::SeqCst), 0);

    env.controls().add_fault(
        FaultRule::new(Fault::RateLimited)
            .after_handling()
            .retry_after_secs(7),
    );
    let after = env.post("/write").await.expect("an answer");
    assert_eq!(after.status().as_u16(), 429);
    assert_eq!(after.headers()["retry-after"], "7");
    assert_eq!(env.writes.load(Ordering::SeqCst), 1);

    env.controls().clear_faults();
    assert_eq!(env.post("/write").await.expect("ok").status().as_u16(), 200);
    let log = env.controls().request_log();
    let statuses: Vec<_> = log.iter().map(|r| (r.path.as_str(), r.status)).collect();
    assert_eq!(
        statuses,
        [
            ("/write", Some(500)),
            ("/write", Some(429)),
            ("/write", Some(200))
        ]
    );
    assert!(log.iter().all(|r| r.idempotency_key.is_none() && !r.replayed));
}

/// A dropped connection gets no answer and is logged without a status; a held request is logged at
/// once and released when the server shuts down.
#[tokio::test]
async fn dropped_and_held_requests_get_no_answer() {
    let env = Env::start(false).await;
    env.controls()
        .add_fault(FaultRule::new(Fault::DropConnection).times(1));
    let err = env.post("/write").await.expect_err("no answer");
    assert!(!err.is_timeout(), "{err:?}");
    assert_eq!(env.controls().request_log()[0].status, None);

    env.controls().add_fault(FaultRule::new(Fault::Timeout).times(1));
    let held = tokio::spawn(reqwest::Client::new().post(env.url("/write")).send());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(env.controls().request_log().len(), 2);
    let started = Instant::now();
    env.server.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(held.await.expect("joined").is_err());
}

/// Latency delays API requests and shows in the logged duration; a client giving up during it is
/// still logged, without a status.
#[tokio::test]
async fn latency_delays_requests_and_abandoned_ones_are_logged() {
    let env = Env::start(false).await;
    env.controls()
        .set_latency(Some(Latency::fixed(Duration::from_millis(120))));
    let started = Instant::now();
    assert_eq!(env.post("/write").await.expect("ok").status().as_u16(), 200);
    assert!(started.elapsed() >= Duration::from_millis(120));
    let log = env.controls().request_log();
    assert!(log[0].finished.duration_since(log[0].started) >= Duration::from_millis(120));

    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(30))
        .build()
        .expect("client");
    let err = impatient
        .post(env.url("/write"))
        .send()
        .await
        .expect_err("gives up");
    assert!(err.is_timeout(), "{err:?}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = env.controls().request_log();
    assert_eq!((env.controls().request_count(), log.len()), (2, 2));
    assert_eq!(log[1].status, None);
    assert_eq!(env.writes.load(Ordering::SeqCst), 1);
}

/// With idempotency keys, the log and the stats carry each request's key and whether it replayed;
/// without, the stats leave both out.
#[tokio::test]
async fn idempotency_columns_appear_only_where_the_api_has_keys() {
    let env = Env::start(true).await;
    let sent = env
        .client
        .post(env.url("/write"))
        .header("idempotency-key", "k1")
        .send()
        .await
        .expect("ok");
    assert_eq!(sent.status().as_u16(), 200);
    env.client.get(env.url("/replay")).send().await.expect("ok");
    let log = env.controls().request_log();
    let seen: Vec<_> = log
        .iter()
        .map(|r| (r.idempotency_key.as_deref(), r.replayed))
        .collect();
    assert_eq!(seen, [(Some("k1"), false), (None, true)]);
    let (_, stats) = env
        .admin(reqwest::Method::GET, "/__sandbox/stats", json!({}))
        .await;
    assert_eq!(stats["requests"][0]["idempotency_key"], "k1");
    assert_eq!(stats["requests"][1]["replayed"], true);

    let plain = Env::start(false).await;
    plain.post("/write").await.expect("ok");
    let (_, stats) = plain
        .admin(reqwest::Method::GET, "/__sandbox/stats", json!({}))
        .await;
    let entry = stats["requests"][0].as_object().expect("an entry");
    let mut keys: Vec<_> = entry.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["duration_ms", "method", "path", "started_ms", "status"]);
}

/// The admin routes drive the knobs, answer in the API's format, and are neither counted, delayed
/// nor faulted.
#[tokio::test]
async fn admin_routes_drive_the_knobs() {
    use reqwest::Method;
    let env = Env::start(false).await;
    let ok = json!({"ok": true});
    let (status, body) = env
        .admin(
            Method::POST,
            "/__sandbox/latency",
            json!({"min_ms": 40, "max_ms": 20}),
        )
        .await;
    assert_eq!((status, &body), (200, &ok));
    let latency = env.controls().latency().expect("set");
    assert_eq!(
        (latency.min(), latency.max()),
        (Duration::from_millis(20), Duration::from_millis(40))
    );
    env.admin(Method::POST, "/__sandbox/latency", json!({})).await;
    assert_eq!(env.controls().latency(), None);

    let rule = json!({"fault": "server_error", "path": "/write", "times": 1});
    assert_eq!(env.admin(Method::POST, "/__sandbox/faults", rule).await.0, 200);
    let (status, body) = env
        .admin(Method::POST, "/__sandbox/faults", json!({"fault": "explode"}))
        .await;
    assert_eq!((status, body["ok"].clone()), (400, json!(false)));
    assert_eq!(env.post("/write").await.expect("answer").status().as_u16(), 500);
    assert_eq!(env.post("/write").await.expect("answer").status().as_u16(), 200);
    env.controls().add_fault(FaultRule::new(Fault::ServerError));
    assert_eq!(
        env.admin(Method::DELETE, "/__sandbox/faults", json!({})).await.0,
        200
    );
    assert_eq!(env.post("/write").await.expect("answer").status().as_u16(), 200);

    let (_, stats) = env.admin(Method::GET, "/__sandbox/stats", json!({})).await;
    assert_eq!(stats["request_count"], 3);
    assert_eq!(stats["requests"][0]["status"], 500);
    assert!(stats["requests"][2]["started_ms"].as_f64().is_some());
    assert_eq!(
        env.admin(Method::POST, "/__sandbox/reset-stats", json!({}))
            .await
            .0,
        200
    );
    assert_eq!(env.controls().request_count(), 0);
}
