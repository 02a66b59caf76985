//! Timeouts, dropped connections, deadlines and round trips.

use crate::common::{self, rooms_query, scoped};
use dewy_connector::{CallRecorder, Deadline, RetryPolicy};
use dewy_salesforce::SalesforceError;
use dewy_salesforce_sandbox::{Fault, FaultRule, Latency};
use serde_json::Value;
use std::time::{Duration, Instant};

/// A slow answer becomes Timeout once the request timeout (200 ms) passes, long before the answer (2 s)
/// (retries off: this is about one call).
#[tokio::test]
async fn a_slow_answer_times_out_promptly() {
    // GIVEN a connector with a 200 ms request timeout, holding a token, and a 2 s latency
    let env = common::start_with(|c| {
        c.with_request_timeout(Duration::from_millis(200))
            .with_retry(RetryPolicy::none())
    })
    .await;
    let _: Vec<Value> = env.salesforce.query(&rooms_query()).await.expect("warm-up query");
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_secs(2))));
    // WHEN it queries
    let started = Instant::now();
    let result = env.salesforce.query::<Value>(&rooms_query()).await;
    // THEN it fails with Timeout, promptly
    let elapsed = started.elapsed();
    assert!(matches!(result, Err(SalesforceError::Timeout)), "{result:?}");
    assert!(
        elapsed >= Duration::from_millis(190) && elapsed < Duration::from_secs(1),
        "{elapsed:?}"
    );
    assert!(result.is_err_and(|e| e.is_retry_safe()));
}

/// A connection closed without an answer is a Connection error (retries off: this is about one call).
#[tokio::test]
async fn a_dropped_connection_is_a_connection_error() {
    let env = common::start_without_retries().await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::DropConnection)
            .rate(1.0)
            .path("/query")
            .times(1),
    );
    let result = env.salesforce.query::<Value>(&rooms_query()).await;
    assert!(
        matches!(&result, Err(SalesforceError::Connection(_))),
        "{result:?}"
    );
    assert!(result.is_err_and(|e| e.is_retry_safe()));
    // AND the connector recovers on the next call
    assert!(env.salesforce.query::<Value>(&rooms_query()).await.is_ok());
}

/// An expired deadline fails at once: no request (not even for a token), nothing recorded.
#[tokio::test]
async fn an_expired_deadline_fails_without_a_request() {
    let env = common::start().await;
    let recorder = CallRecorder::new();
    let expired = Deadline::at(Instant::now() - Duration::from_millis(1));
    let salesforce = env.salesforce.scoped(recorder.clone(), expired);
    let result = salesforce.query::<Value>(&rooms_query()).await;
    assert!(
        matches!(result, Err(SalesforceError::DeadlineExceeded)),
        "{result:?}"
    );
    assert_eq!(env.sandbox.request_count(), 0);
    assert!(recorder.calls().is_empty());
}

/// A deadline shorter than the request timeout bounds the call, and is reported as DeadlineExceeded.
#[tokio::test]
async fn a_deadline_bounds_each_call() {
    // GIVEN a token, a 2 s latency, and a deadline 300 ms away (request timeout 10 s)
    let env = common::start().await;
    let _: Vec<Value> = env.salesforce.query(&rooms_query()).await.expect("warm-up query");
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_secs(2))));
    let salesforce = env
        .salesforce
        .scoped(CallRecorder::new(), Deadline::after(Duration::from_millis(300)));
    // WHEN it queries
    let started = Instant::now();
    let result = salesforce.query::<Value>(&rooms_query()).await;
    // THEN the deadline ends it
    assert!(
        matches!(result, Err(SalesforceError::DeadlineExceeded)),
        "{result:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

/// Two queries run with `tokio::join!` are one sequential round trip; a third after them is another.
#[tokio::test]
async fn parallel_queries_are_one_round_trip() {
    // GIVEN a connector holding a token, and 50 ms of latency so the calls overlap measurably
    let env = common::start().await;
    let _: Vec<Value> = env.salesforce.query(&rooms_query()).await.expect("warm-up query");
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(50))));
    let (salesforce, recorder) = scoped(&env.salesforce);
    // WHEN two queries run together
    let q = rooms_query();
    let (a, b) = tokio::join!(salesforce.query::<Value>(&q), salesforce.query::<Value>(&q));
    assert!(a.is_ok() && b.is_ok());
    // THEN they are two calls in one round trip
    let summary = recorder.summary();
    assert_eq!((summary.total_calls, summary.sequential_round_trips), (2, 1));
    // AND WHEN a third follows THEN it adds a round trip
    let _: Vec<Value> = salesforce.query(&q).await.expect("third query");
    let summary = recorder.summary();
    assert_eq!((summary.total_calls, summary.sequential_round_trips), (3, 2));
    assert!(recorder.calls().iter().all(|c| c.ok && c.finished >= c.started));
}
