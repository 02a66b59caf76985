//! Timeouts and deadlines.

use crate::common::{self, BODY, guest};
use dewy_connector::{CallRecorder, Deadline, RetryPolicy};
use dewy_twilio::TwilioError;
use dewy_twilio_sandbox::{Fault, FaultRule, Latency};
use std::time::{Duration, Instant};

/// A send that hangs is ended by the invocation's deadline (300 ms), not the request timeout (5 s),
/// and is reported as possibly sent.
#[tokio::test]
async fn a_hanging_send_is_bounded_by_the_deadline() {
    let env = common::start().await;
    env.sandbox.add_fault(FaultRule::new(Fault::Timeout).times(1));
    let recorder = CallRecorder::new();
    let twilio = env
        .twilio
        .scoped(recorder.clone(), Deadline::after(Duration::from_millis(300)));
    let started = Instant::now();
    let error = twilio.send_sms(&guest(), BODY).await.expect_err("deadline");
    let elapsed = started.elapsed();
    assert_eq!(error, TwilioError::DeadlineExceeded);
    assert!(error.may_have_been_sent());
    assert!(
        elapsed >= Duration::from_millis(290) && elapsed < Duration::from_secs(1),
        "{elapsed:?}"
    );
    assert_eq!(recorder.calls().len(), 1);
    assert_eq!(env.sandbox.request_count(), 1);
}

/// A slow answer becomes Timeout once the request timeout (200 ms) passes (retries off: one call).
#[tokio::test]
async fn a_slow_answer_times_out_promptly() {
    let env = common::start_with(|c| {
        c.with_request_timeout(Duration::from_millis(200))
            .with_retry(RetryPolicy::none())
    })
    .await;
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_secs(2))));
    let started = Instant::now();
    let error = env.twilio.send_sms(&guest(), BODY).await.expect_err("timeout");
    assert_eq!(error, TwilioError::Timeout);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

/// An expired deadline fails at once: no request, nothing recorded.
#[tokio::test]
async fn an_expired_deadline_fails_without_a_request() {
    let env = common::start().await;
    let recorder = CallRecorder::new();
    let expired = Deadline::at(Instant::now() - Duration::from_millis(1));
    let twilio = env.twilio.scoped(recorder.clone(), expired);
    let error = twilio.send_sms(&guest(), BODY).await.expect_err("expired");
    assert_eq!(error, TwilioError::DeadlineExceeded);
    assert_eq!(env.sandbox.request_count(), 0);
    assert!(recorder.calls().is_empty());
}

/// Two sends started together are one sequential round trip (a tool may notify two people at once).
#[tokio::test]
async fn parallel_sends_are_one_round_trip() {
    let env = common::start().await;
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(50))));
    let (twilio, recorder) = common::scoped(&env.twilio);
    let (first, second) = (guest(), common::number("+15558675311"));
    let (a, b) = tokio::join!(twilio.send_sms(&first, BODY), twilio.send_sms(&second, BODY));
    assert!(a.is_ok() && b.is_ok());
    let summary = recorder.summary();
    assert_eq!((summary.total_calls, summary.sequential_round_trips), (2, 1));
}
