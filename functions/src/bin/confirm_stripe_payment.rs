//! Lambda function `confirm_stripe_payment` (`POST /api/confirm-stripe-payment`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("confirm_stripe_payment").await
}
