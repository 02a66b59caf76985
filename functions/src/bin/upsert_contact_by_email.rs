//! Lambda function `upsert_contact_by_email` (`POST /api/upsert-contact-by-email`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("upsert_contact_by_email").await
}
