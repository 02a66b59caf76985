//! Shared set-up: a sandbox and a connector pointed at it.

use dewy_connector::{CallRecorder, Deadline, RetryPolicy};
use dewy_stripe::{
    CreateCustomer, CreatePaymentIntent, PaymentIntent, Stripe, StripeConfig, StripeIdempotencyKey,
};
use dewy_stripe_sandbox::{StripeSandbox, StripeSandboxConfig};
use std::time::Duration;

/// A sandbox and a connector using its key.
pub struct Env {
    pub sandbox: StripeSandbox,
    pub stripe: Stripe,
}

pub fn config(sandbox: &StripeSandbox) -> StripeConfig {
    let base_url = url::Url::parse(&sandbox.base_url()).expect("the sandbox URL parses");
    StripeConfig::new(base_url, sandbox.api_key())
}

pub async fn start() -> Env {
    start_with(|config| config).await
}

/// A sandbox and a connector whose default configuration `adjust` changes.
pub async fn start_with(adjust: impl FnOnce(StripeConfig) -> StripeConfig) -> Env {
    let sandbox = StripeSandbox::start(StripeSandboxConfig::default())
        .await
        .expect("the sandbox starts");
    let stripe = Stripe::new(adjust(config(&sandbox)), dewy_connector::http_client());
    Env { sandbox, stripe }
}

/// A connector that never retries, for tests of how one failure is reported.
pub async fn start_without_retries() -> Env {
    start_with(|config| config.with_retry(RetryPolicy::none())).await
}

/// A clone of `stripe` recording into a fresh recorder, with a generous deadline.
pub fn scoped(stripe: &Stripe) -> (Stripe, CallRecorder) {
    let recorder = CallRecorder::new();
    (
        stripe.scoped(recorder.clone(), Deadline::after(Duration::from_secs(30))),
        recorder,
    )
}

/// The operations recorded, in order, with their ok flags.
pub fn operations(recorder: &CallRecorder) -> Vec<(String, bool)> {
    recorder
        .calls()
        .into_iter()
        .map(|c| (c.operation, c.ok))
        .collect()
}

/// A key made unique per test, as a tool derives one from its caller's token.
pub fn key(name: &str) -> StripeIdempotencyKey {
    StripeIdempotencyKey::parse(format!("test-{name}")).expect("a valid key")
}

/// A customer created through the API.
pub async fn customer(stripe: &Stripe, email: &str) -> String {
    let request = CreateCustomer::new(email).metadata("guest_id", "003000000000001");
    stripe
        .create_customer(&request, &key(&format!("customer-{email}")))
        .await
        .expect("the customer is created")
        .id
}

/// A $50.00 checkout payment for `customer`, confirmed with `payment_method` in the same call.
pub fn checkout<'a>(customer: &'a str, payment_method: &'a str) -> CreatePaymentIntent<'a> {
    CreatePaymentIntent::new(5000, "usd")
        .customer(customer)
        .description("Hotel checkout payment")
        .metadata("booking_number", "BK-0001")
        .metadata("guest_id", "003000000000001")
        .confirm_with(payment_method)
}

/// A succeeded $50.00 payment.
pub async fn paid(stripe: &Stripe, name: &str) -> PaymentIntent {
    let customer = customer(stripe, &format!("{name}@example.com")).await;
    let pi = stripe
        .create_payment_intent(&checkout(&customer, "pm_card_visa"), &key(name))
        .await
        .expect("the payment succeeds");
    assert!(pi.is_succeeded());
    pi
}
