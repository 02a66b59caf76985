//! Lambda function `upsert_booking` (`POST /api/upsert-booking`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("upsert_booking").await
}
