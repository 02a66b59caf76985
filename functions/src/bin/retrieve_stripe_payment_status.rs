//! Lambda function `retrieve_stripe_payment_status` (`POST /api/retrieve-stripe-payment-status`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("retrieve_stripe_payment_status").await
}
