//! Lambda function `create_stripe_payment_intent` (`POST /api/create-stripe-payment-intent`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("create_stripe_payment_intent").await
}
