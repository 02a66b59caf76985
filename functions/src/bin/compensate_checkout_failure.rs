//! Lambda function `compensate_checkout_failure` (`POST /api/compensate-checkout-failure`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("compensate_checkout_failure").await
}
