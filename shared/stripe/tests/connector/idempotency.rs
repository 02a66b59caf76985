//! Idempotency keys: replays, conflicts, keys in use.

use crate::common::{self, checkout, key, operations, scoped};
use dewy_stripe::{CreateRefund, StripeError};
use dewy_stripe_sandbox::Latency;
use std::time::Duration;

/// The same POST with the same key returns the same PaymentIntent; Stripe charged once.
#[tokio::test]
async fn a_repeated_post_is_replayed_not_repeated() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "replay@example.com").await;
    let intent = checkout(&customer, "pm_card_visa");
    let first = env
        .stripe
        .create_payment_intent(&intent, &key("replay"))
        .await
        .unwrap();
    let second = env
        .stripe
        .create_payment_intent(&intent, &key("replay"))
        .await
        .unwrap();
    assert_eq!(first, second);
    assert_eq!(env.sandbox.payment_intents().len(), 1);
    assert_eq!(env.sandbox.charges().len(), 1);
    let log = env.sandbox.request_log();
    let last = log.last().unwrap();
    assert_eq!(
        (last.replayed, last.idempotency_key.as_deref()),
        (true, Some("test-replay"))
    );
}

/// A decline is replayed too: a retry with the same key cannot charge another card. A new
/// attempt needs a new key.
#[tokio::test]
async fn a_decline_is_replayed_under_its_key() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "declined@example.com").await;
    let intent = checkout(&customer, "pm_card_chargeDeclined");
    let first = env
        .stripe
        .create_payment_intent(&intent, &key("declined"))
        .await
        .unwrap_err();
    let second = env
        .stripe
        .create_payment_intent(&intent, &key("declined"))
        .await
        .unwrap_err();
    assert_eq!(first, second);
    assert_eq!(env.sandbox.charges().len(), 1);
}

/// The same key with other parameters is an IdempotencyConflict, reported at once (not retried).
#[tokio::test]
async fn a_key_reused_with_other_parameters_conflicts() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "conflict@example.com").await;
    env.stripe
        .create_payment_intent(&checkout(&customer, "pm_card_visa"), &key("conflict"))
        .await
        .unwrap();
    let (stripe, recorder) = scoped(&env.stripe);
    let mut other = checkout(&customer, "pm_card_visa");
    other.amount = 6000;
    let error = stripe
        .create_payment_intent(&other, &key("conflict"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, StripeError::IdempotencyConflict { .. }),
        "{error:?}"
    );
    assert_eq!((error.status(), error.is_retryable()), (Some(400), false));
    assert_eq!(recorder.calls().len(), 1);
    assert_eq!(env.sandbox.payment_intents().len(), 1);
}

/// While the first request with a key is still running, a second one is refused with 409 (here
/// without retries); once the first has finished, the same request replays its result.
#[tokio::test]
async fn a_key_in_use_is_refused_until_the_first_request_ends() {
    let env = common::start_without_retries().await;
    let pi = common::paid(&env.stripe, "in-use").await;
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(300))));
    let refund = CreateRefund::full(&pi.id);
    let refund_key = key("in-use-refund");
    let (first, second) = tokio::join!(env.stripe.create_refund(&refund, &refund_key), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        env.stripe.create_refund(&refund, &refund_key).await
    });
    let first = first.unwrap();
    let second = second.unwrap_err();
    assert!(
        matches!(second, StripeError::IdempotencyKeyInUse { .. }),
        "{second:?}"
    );
    assert!(second.is_retryable());
    let replayed = env.stripe.create_refund(&refund, &refund_key).await.unwrap();
    assert_eq!(replayed.id, first.id);
    assert_eq!(env.sandbox.refunds().len(), 1);
}

/// Calls are recorded with their outcome, replays included.
#[tokio::test]
async fn replays_are_recorded_calls() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "recorded@example.com").await;
    let (stripe, recorder) = scoped(&env.stripe);
    let intent = checkout(&customer, "pm_card_visa");
    for _ in 0..2 {
        stripe
            .create_payment_intent(&intent, &key("recorded"))
            .await
            .unwrap();
    }
    let op = "create payment_intent".to_owned();
    assert_eq!(operations(&recorder), [(op.clone(), true), (op, true)]);
}
