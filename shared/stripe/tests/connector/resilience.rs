//! The one retry layer and the circuit breaker, against injected faults.

use crate::common::{self, checkout, key, operations, scoped};
use dewy_connector::BreakerConfig;
use dewy_stripe::StripeError;
use dewy_stripe_sandbox::{Fault, FaultRule};
use std::time::{Duration, Instant};

const CREATE: &str = "create payment_intent";

/// A 500 before Stripe ran the request: the retry (same key) runs it, once.
#[tokio::test]
async fn a_post_is_retried_after_a_server_error_before_handling() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "before@example.com").await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/v1/payment_intents")
            .times(1),
    );
    let (stripe, recorder) = scoped(&env.stripe);
    let pi = stripe
        .create_payment_intent(&checkout(&customer, "pm_card_visa"), &key("before"))
        .await
        .unwrap();
    assert!(pi.is_succeeded());
    assert_eq!(
        operations(&recorder),
        [(CREATE.to_owned(), false), (CREATE.to_owned(), true)]
    );
    assert_eq!(env.sandbox.payment_intents().len(), 1);
    let log = env.sandbox.request_log();
    let attempts: Vec<(Option<u16>, bool)> =
        log.iter().rev().take(2).map(|r| (r.status, r.replayed)).collect();
    assert_eq!(attempts, [(Some(200), false), (Some(500), false)]);
}

/// A 500 after Stripe ran the request (the charge happened, the answer was lost): the retry with
/// the same key replays the saved answer. Exactly one PaymentIntent and one charge exist.
#[tokio::test]
async fn a_post_whose_answer_was_lost_is_replayed_not_charged_twice() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "after@example.com").await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/v1/payment_intents")
            .times(1)
            .after_handling(),
    );
    let pi = env
        .stripe
        .create_payment_intent(&checkout(&customer, "pm_card_visa"), &key("after"))
        .await
        .unwrap();
    let stored = env.sandbox.payment_intents();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, pi.id);
    assert_eq!(env.sandbox.charges().len(), 1);
    assert!(env.sandbox.request_log().last().is_some_and(|r| r.replayed));
}

/// A connection dropped after the request ran is retried too, and replayed.
#[tokio::test]
async fn a_dropped_connection_after_handling_is_replayed() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "dropped@example.com").await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::DropConnection)
            .path("/v1/payment_intents")
            .times(1)
            .after_handling(),
    );
    let pi = env
        .stripe
        .create_payment_intent(&checkout(&customer, "pm_card_visa"), &key("dropped"))
        .await
        .unwrap();
    assert!(pi.is_succeeded());
    assert_eq!(env.sandbox.payment_intents().len(), 1);
}

/// A 429 is retried after its `Retry-After` (1 s, within the retry cap).
#[tokio::test]
async fn a_rate_limited_call_waits_for_retry_after() {
    let env = common::start().await;
    env.sandbox
        .add_fault(FaultRule::new(Fault::RateLimited).path("/v1/customers").times(1));
    let (stripe, recorder) = scoped(&env.stripe);
    let started = Instant::now();
    assert_eq!(stripe.search_customers_by_email("a@b.c").await.unwrap(), None);
    assert!(
        started.elapsed() >= Duration::from_millis(990),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(recorder.calls().len(), 2);
}

/// `Stripe-Should-Retry: false` is obeyed even on a 500 (and on a 429): one attempt, reported.
#[tokio::test]
async fn stripe_should_retry_false_is_not_retried() {
    let env = common::start().await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .path("/v1/customers")
            .should_retry(false)
            .times(1),
    );
    env.sandbox.add_fault(
        FaultRule::new(Fault::RateLimited)
            .path("/v1/customers")
            .should_retry(false)
            .times(1),
    );
    let (stripe, recorder) = scoped(&env.stripe);
    let error = stripe.search_customers_by_email("a@b.c").await.unwrap_err();
    assert!(matches!(error, StripeError::Api { status: 500, .. }), "{error:?}");
    let error = stripe.search_customers_by_email("a@b.c").await.unwrap_err();
    assert!(matches!(error, StripeError::RateLimited { .. }), "{error:?}");
    assert_eq!(recorder.calls().len(), 2);
    assert_eq!(env.sandbox.request_count(), 2);
}

/// Consecutive failures open the breaker; calls then fail fast without reaching Stripe, and after
/// the cool-down a probe that succeeds closes it again.
#[tokio::test]
async fn the_breaker_opens_fails_fast_and_recovers() {
    // GIVEN a breaker that opens after 3 failures for 300 ms, and every call failing
    let breaker = BreakerConfig {
        failure_threshold: 3,
        cool_down: Duration::from_millis(300),
    };
    let env = common::start_with(|c| c.with_breaker(breaker)).await;
    env.sandbox.add_fault(FaultRule::new(Fault::ServerError));
    // WHEN a call uses up its three attempts
    let error = env.stripe.search_customers_by_email("a@b.c").await.unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert!(error.is_retryable());
    // THEN the next one fails at once with CircuitOpen, sending and recording nothing
    let sent = env.sandbox.request_count();
    let (stripe, recorder) = scoped(&env.stripe);
    let started = Instant::now();
    let refused = stripe.retrieve_payment_intent("pi_1").await.unwrap_err();
    assert_eq!(refused, StripeError::CircuitOpen);
    assert!(refused.is_retryable() && refused.status().is_none());
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(env.sandbox.request_count(), sent);
    assert!(recorder.calls().is_empty());
    // AND WHEN Stripe recovers and the cool-down passes THEN a probe gets through and closes it
    env.sandbox.clear_faults();
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(stripe.search_customers_by_email("a@b.c").await.is_ok());
    assert!(stripe.search_customers_by_email("a@b.c").await.is_ok());
}

/// Card declines (and other 4xx) are answers from a healthy Stripe: they never open the breaker.
#[tokio::test]
async fn declines_do_not_open_the_breaker() {
    let breaker = BreakerConfig {
        failure_threshold: 1,
        cool_down: Duration::from_secs(60),
    };
    let env = common::start_with(|c| c.with_breaker(breaker)).await;
    let customer = common::customer(&env.stripe, "declines@example.com").await;
    for n in 0..3 {
        let error = env
            .stripe
            .create_payment_intent(
                &checkout(&customer, "pm_card_chargeDeclined"),
                &key(&format!("d{n}")),
            )
            .await
            .unwrap_err();
        assert!(matches!(error, StripeError::Card { .. }));
    }
    assert!(
        env.stripe
            .retrieve_payment_intent("pi_missing")
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(env.stripe.search_customers_by_email("a@b.c").await.is_ok());
}
