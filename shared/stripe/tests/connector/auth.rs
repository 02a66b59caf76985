//! The secret key.

use crate::common::{self, config};
use dewy_connector::BreakerConfig;
use dewy_stripe::{Stripe, StripeError};

/// A wrong key is an Authentication error: not retried, not counted against Stripe's health, and
/// the key never appears in the error.
#[tokio::test]
async fn a_wrong_key_is_an_authentication_error() {
    let env = common::start().await;
    let breaker = BreakerConfig {
        failure_threshold: 1,
        cool_down: std::time::Duration::from_secs(60),
    };
    let mut wrong = config(&env.sandbox).with_breaker(breaker);
    wrong.api_key = "sk_test_wrong_secret_value".into();
    let stripe = Stripe::new(wrong, dewy_connector::http_client());
    for _ in 0..2 {
        let error = stripe.search_customers_by_email("a@b.c").await.unwrap_err();
        assert!(
            matches!(error, StripeError::Authentication { status: 401, .. }),
            "{error:?}"
        );
        assert!(!error.is_retryable());
        assert!(!error.to_string().contains("wrong_secret_value"), "{error}");
    }
    // Two calls, two requests: no retries, and the breaker (threshold 1) stayed closed.
    assert_eq!(env.sandbox.request_count(), 2);
    // AND the right key works
    assert!(env.stripe.search_customers_by_email("a@b.c").await.is_ok());
}
