//! Retries of safe calls, no retry of composites, and the circuit breaker, against injected faults.

use crate::common::{self, operations, rooms_query, scoped};
use dewy_connector::BreakerConfig;
use dewy_salesforce::{CompositeRequest, SalesforceError};
use dewy_salesforce_sandbox::{Fault, FaultRule};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A query that meets one 500 is retried and succeeds; both attempts are recorded calls.
#[tokio::test]
async fn a_query_is_retried_after_a_server_error() {
    // GIVEN a connector holding a token, and one 500 on the next query
    let env = common::start().await;
    let _: Vec<Value> = env.salesforce.query(&rooms_query()).await.expect("warm-up query");
    env.sandbox
        .add_fault(FaultRule::new(Fault::ServerError).path("/query").times(1));
    let (salesforce, recorder) = scoped(&env.salesforce);
    // WHEN querying
    let rooms: Vec<Value> = salesforce.query(&rooms_query()).await.expect("retried query");
    // THEN it succeeds on the second attempt, and the recorder shows both calls
    assert_eq!(rooms.len(), 1);
    let query = "query Hotel_Room__c".to_owned();
    assert_eq!(operations(&recorder), [(query.clone(), false), (query, true)]);
}

/// A 429 is retried after its `Retry-After` (the sandbox says 1 s, within the 1 s cap).
#[tokio::test]
async fn a_rate_limited_query_waits_for_retry_after() {
    let env = common::start().await;
    let _: Vec<Value> = env.salesforce.query(&rooms_query()).await.expect("warm-up query");
    env.sandbox
        .add_fault(FaultRule::new(Fault::RateLimited).path("/query").times(1));
    let (salesforce, recorder) = scoped(&env.salesforce);
    let started = Instant::now();
    let rooms: Vec<Value> = salesforce.query(&rooms_query()).await.expect("retried query");
    assert_eq!(rooms.len(), 1);
    assert!(
        started.elapsed() >= Duration::from_millis(990),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(recorder.calls().len(), 2);
}

/// A composite may hold creates, so one 500 is reported, not retried: one call, one request.
#[tokio::test]
async fn a_composite_is_not_retried() {
    let env = common::start().await;
    let _: Vec<Value> = env.salesforce.query(&rooms_query()).await.expect("warm-up query");
    env.sandbox
        .add_fault(FaultRule::new(Fault::ServerError).path("/composite").times(1));
    let (salesforce, recorder) = scoped(&env.salesforce);
    let before = env.sandbox.request_count();
    let request = CompositeRequest::new(true).create("case", "Case", &json!({"Subject": "Towels"}));
    let error = salesforce.composite(&request).await.expect_err("500");
    assert_eq!(error.status(), Some(500));
    assert_eq!(recorder.calls().len(), 1);
    assert_eq!(env.sandbox.request_count(), before + 1);
}

/// Consecutive failures open the breaker; calls then fail fast without reaching Salesforce, and
/// after the cool-down a probe that succeeds closes it again.
#[tokio::test]
async fn the_breaker_opens_fails_fast_and_recovers() {
    // GIVEN a breaker that opens after 3 failures for 300 ms, a token, and every query failing
    let breaker = BreakerConfig {
        failure_threshold: 3,
        cool_down: Duration::from_millis(300),
    };
    let env = common::start_with(|c| c.with_breaker(breaker)).await;
    let _: Vec<Value> = env.salesforce.query(&rooms_query()).await.expect("warm-up query");
    env.sandbox
        .add_fault(FaultRule::new(Fault::ServerError).rate(1.0).path("/query"));
    // WHEN a query uses up its three attempts
    let error = env
        .salesforce
        .query::<Value>(&rooms_query())
        .await
        .expect_err("500s");
    assert_eq!(error.status(), Some(500));
    // THEN the next one fails at once with CircuitOpen, sending nothing and recording nothing
    let sent = env.sandbox.request_count();
    let (salesforce, recorder) = scoped(&env.salesforce);
    let started = Instant::now();
    let refused = salesforce.query::<Value>(&rooms_query()).await.expect_err("open");
    assert_eq!(refused, SalesforceError::CircuitOpen);
    assert!(refused.is_retry_safe() && refused.status().is_none());
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(env.sandbox.request_count(), sent);
    assert!(recorder.calls().is_empty());
    // AND WHEN Salesforce recovers and the cool-down passes THEN a probe gets through and closes it
    env.sandbox.clear_faults();
    tokio::time::sleep(Duration::from_millis(350)).await;
    let rooms: Vec<Value> = salesforce.query(&rooms_query()).await.expect("probe");
    assert_eq!(rooms.len(), 1);
    let q = rooms_query();
    let (a, b) = tokio::join!(salesforce.query::<Value>(&q), salesforce.query::<Value>(&q));
    assert!(a.is_ok() && b.is_ok(), "closed again");
}

/// Answers that are not transient (a 4xx) do not count towards opening the breaker.
#[tokio::test]
async fn client_errors_do_not_open_the_breaker() {
    let breaker = BreakerConfig {
        failure_threshold: 1,
        cool_down: Duration::from_secs(60),
    };
    let env = common::start_with(|c| c.with_breaker(breaker)).await;
    for _ in 0..3 {
        let missing = env.salesforce.get::<Value>("Case", "500000000000999", &[]).await;
        assert!(missing.is_err_and(|e| e.is_not_found()));
    }
    assert!(env.salesforce.query::<Value>(&rooms_query()).await.is_ok());
}
