//! Lambda function `stripe_payment_status` (`POST /api/stripe-payment-status`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("stripe_payment_status").await
}
