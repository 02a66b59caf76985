//! Timeouts and deadlines.

use crate::common;
use dewy_connector::{CallRecorder, Deadline, RetryPolicy};
use dewy_homeassistant::{HomeAssistantError, ServiceCall};
use dewy_homeassistant_sandbox::{Fault, FaultRule, Latency};
use std::time::{Duration, Instant};

/// A call that hangs is ended by the invocation's deadline (300 ms), not the request timeout (5 s).
#[tokio::test]
async fn a_hanging_call_is_bounded_by_the_deadline() {
    let env = common::start().await;
    env.sandbox.add_fault(FaultRule::new(Fault::Timeout).times(1));
    let recorder = CallRecorder::new();
    let client = env
        .client
        .scoped(recorder.clone(), Deadline::after(Duration::from_millis(300)));
    let call = ServiceCall::OpenCover {
        entity_id: common::id("cover.room_105_blinds"),
    };
    let started = Instant::now();
    let error = client.call(&call).await.expect_err("deadline");
    let elapsed = started.elapsed();
    assert_eq!(error, HomeAssistantError::DeadlineExceeded);
    assert!(
        elapsed >= Duration::from_millis(290) && elapsed < Duration::from_secs(1),
        "{elapsed:?}"
    );
    assert_eq!(recorder.calls().len(), 1);
    assert_eq!(env.sandbox.request_count(), 1);
}

/// Injected latency beyond the request timeout (200 ms) is Unavailable, retried while the
/// deadline allows, then returned.
#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let env = common::start_with(|c| c.with_request_timeout(Duration::from_millis(200))).await;
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_secs(2))));
    let (client, recorder) = common::scoped(&env.client);
    let started = Instant::now();
    let error = client.api_status().await.expect_err("timeout");
    assert!(
        matches!(&error, HomeAssistantError::Unavailable { status: None, message } if message.contains("200 ms")),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(recorder.calls().len(), 3);
}

/// With latency longer than the deadline leaves, the deadline ends the call: DeadlineExceeded.
#[tokio::test]
async fn latency_past_the_deadline_is_deadline_exceeded() {
    let env = common::start().await;
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_secs(2))));
    let client = env
        .client
        .scoped(CallRecorder::new(), Deadline::after(Duration::from_millis(200)));
    let started = Instant::now();
    assert_eq!(client.states().await, Err(HomeAssistantError::DeadlineExceeded));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

/// An expired deadline fails at once: no request, nothing recorded.
#[tokio::test]
async fn an_expired_deadline_fails_without_a_request() {
    let env = common::start_with(|c| c.with_retry(RetryPolicy::default())).await;
    let recorder = CallRecorder::new();
    let expired = Deadline::at(Instant::now() - Duration::from_millis(1));
    let client = env.client.scoped(recorder.clone(), expired);
    let error = client.api_status().await.expect_err("expired");
    assert_eq!(error, HomeAssistantError::DeadlineExceeded);
    assert_eq!(env.sandbox.request_count(), 0);
    assert!(recorder.calls().is_empty());
}

/// Reads of a room's devices started together are one sequential round trip.
#[tokio::test]
async fn parallel_reads_are_one_round_trip() {
    let env = common::start().await;
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(50))));
    let (client, recorder) = common::scoped(&env.client);
    let (light, blinds) = (
        common::id("light.room_101_main"),
        common::id("cover.room_101_blinds"),
    );
    let (a, b) = tokio::join!(client.state(&light), client.state(&blinds));
    assert!(a.is_ok() && b.is_ok());
    let summary = recorder.summary();
    assert_eq!((summary.total_calls, summary.sequential_round_trips), (2, 1));
}
