//! Lambda function `search_contact_by_email` (`POST /api/search-contact-by-email`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_contact_by_email").await
}
