//! Refunds: full, partial, and what Stripe refuses.

use crate::common::{self, key};
use dewy_stripe::{CreateRefund, RefundReason, RefundStatus, StripeError};

/// A partial refund, then the rest; then nothing is left to refund.
#[tokio::test]
async fn partial_then_full_refund() {
    let env = common::start().await;
    let pi = common::paid(&env.stripe, "refund").await;
    let partial = CreateRefund::full(&pi.id)
        .amount(2000)
        .reason(RefundReason::RequestedByCustomer)
        .metadata("reason", "Salesforce update failed");
    let first = env
        .stripe
        .create_refund(&partial, &key("refund-1"))
        .await
        .unwrap();
    assert!(first.id.starts_with("re_"));
    assert_eq!(
        (first.amount, first.status.clone()),
        (2000, RefundStatus::Succeeded)
    );
    assert_eq!(first.payment_intent.as_deref(), Some(pi.id.as_str()));
    assert_eq!(first.reason, Some(RefundReason::RequestedByCustomer));
    assert_eq!(first.metadata["reason"], "Salesforce update failed");
    let rest = env
        .stripe
        .create_refund(&CreateRefund::full(&pi.id), &key("refund-2"))
        .await
        .unwrap();
    assert_eq!(rest.amount, 3000);
    let charge = env.stripe.retrieve_payment_intent(&pi.id).await.unwrap();
    assert_eq!(
        charge.charge().map(|c| (c.amount_refunded, c.refunded)),
        Some((5000, true))
    );
    let none_left = env
        .stripe
        .create_refund(&CreateRefund::full(&pi.id), &key("refund-3"))
        .await
        .unwrap_err();
    assert_eq!(none_left.code(), Some("charge_already_refunded"));
}

/// Refunding more than was paid, or a payment that never succeeded, is refused.
#[tokio::test]
async fn refusals() {
    let env = common::start().await;
    let pi = common::paid(&env.stripe, "refusals").await;
    let too_much = env
        .stripe
        .create_refund(&CreateRefund::full(&pi.id).amount(5001), &key("too-much"))
        .await
        .unwrap_err();
    assert_eq!(
        (too_much.status(), too_much.code()),
        (Some(400), Some("amount_too_large"))
    );
    let customer = common::customer(&env.stripe, "declined@example.com").await;
    let declined = env
        .stripe
        .create_payment_intent(
            &common::checkout(&customer, "pm_card_chargeDeclined"),
            &key("declined"),
        )
        .await
        .unwrap_err();
    let declined_id = declined.payment_intent().map(|p| p.id.clone()).unwrap();
    let not_paid = env
        .stripe
        .create_refund(&CreateRefund::full(&declined_id), &key("not-paid"))
        .await
        .unwrap_err();
    assert!(
        matches!(&not_paid, StripeError::InvalidRequest { code: Some(c), .. } if c == "charge_not_refundable")
    );
    assert!(env.sandbox.refunds().is_empty());
}
