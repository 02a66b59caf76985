//! Lambda function `upsert_contact` (`POST /api/upsert-contact`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("upsert_contact").await
}
