//! Lambda function `create_stripe_refund` (`POST /api/create-stripe-refund`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("create_stripe_refund").await
}
