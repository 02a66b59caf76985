//! Lambda function `create_stripe_customer` (`POST /api/create-stripe-customer`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("create_stripe_customer").await
}
