//! Lambda function `upsert_case` (`POST /api/upsert-case`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("upsert_case").await
}
