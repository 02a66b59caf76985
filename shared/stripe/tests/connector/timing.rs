//! Timeouts, deadlines and round trips.

use crate::common::{self, checkout, key, scoped};
use dewy_connector::{CallRecorder, Deadline, RetryPolicy};
use dewy_stripe::StripeError;
use dewy_stripe_sandbox::{Fault, FaultRule, Latency};
use std::time::{Duration, Instant};

/// A slow answer becomes Timeout once the request timeout (200 ms) passes, long before the answer
/// (2 s) (retries off: this is about one call).
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
    let result = env.stripe.search_customers_by_email("a@b.c").await;
    let elapsed = started.elapsed();
    assert!(matches!(result, Err(StripeError::Timeout)), "{result:?}");
    assert!(
        elapsed >= Duration::from_millis(190) && elapsed < Duration::from_secs(1),
        "{elapsed:?}"
    );
    assert!(result.is_err_and(|e| e.is_retryable()));
}

/// A POST that ran but whose answer never came (held connection) times out; the retry with the
/// same key replays the saved answer, so the payment exists once.
#[tokio::test]
async fn a_timed_out_post_is_replayed_by_the_retry() {
    let env = common::start_with(|c| c.with_request_timeout(Duration::from_millis(300))).await;
    let customer = common::customer(&env.stripe, "timeout@example.com").await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::Timeout)
            .path("/v1/payment_intents")
            .times(1)
            .after_handling(),
    );
    let (stripe, recorder) = scoped(&env.stripe);
    let pi = stripe
        .create_payment_intent(&checkout(&customer, "pm_card_visa"), &key("timeout"))
        .await
        .unwrap();
    assert!(pi.is_succeeded());
    assert_eq!(env.sandbox.payment_intents().len(), 1);
    let oks: Vec<bool> = recorder.calls().iter().map(|c| c.ok).collect();
    assert_eq!(oks, [false, true]);
}

/// A deadline shorter than the request timeout bounds the call (retries included), and is reported
/// as DeadlineExceeded.
#[tokio::test]
async fn a_deadline_bounds_the_call() {
    let env = common::start().await;
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_secs(2))));
    let stripe = env
        .stripe
        .scoped(CallRecorder::new(), Deadline::after(Duration::from_millis(300)));
    let started = Instant::now();
    let result = stripe.retrieve_payment_intent("pi_1").await;
    assert!(matches!(result, Err(StripeError::DeadlineExceeded)), "{result:?}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(result.is_err_and(|e| !e.is_retryable()));
}

/// An expired deadline fails at once: no request, nothing recorded.
#[tokio::test]
async fn an_expired_deadline_fails_without_a_request() {
    let env = common::start().await;
    let recorder = CallRecorder::new();
    let expired = Deadline::at(Instant::now() - Duration::from_millis(1));
    let stripe = env.stripe.scoped(recorder.clone(), expired);
    let result = stripe.search_customers_by_email("a@b.c").await;
    assert!(matches!(result, Err(StripeError::DeadlineExceeded)), "{result:?}");
    assert_eq!(env.sandbox.request_count(), 0);
    assert!(recorder.calls().is_empty());
}

/// Two calls run with `tokio::join!` are one sequential round trip; a third after them is another.
#[tokio::test]
async fn parallel_calls_are_one_round_trip() {
    let env = common::start().await;
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(50))));
    let (stripe, recorder) = scoped(&env.stripe);
    let (a, b) = tokio::join!(
        stripe.search_customers_by_email("a@b.c"),
        stripe.retrieve_payment_intent("pi_missing")
    );
    assert!(a.is_ok() && b.is_err_and(|e| e.is_not_found()));
    let summary = recorder.summary();
    assert_eq!((summary.total_calls, summary.sequential_round_trips), (2, 1));
    let _ = stripe.search_customers_by_email("a@b.c").await;
    let summary = recorder.summary();
    assert_eq!((summary.total_calls, summary.sequential_round_trips), (3, 2));
}
