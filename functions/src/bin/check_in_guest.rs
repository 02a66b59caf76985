//! Lambda function `check_in_guest` (`POST /api/check-in-guest`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("check_in_guest").await
}
