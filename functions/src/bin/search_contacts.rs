//! Lambda function `search_contacts` (`POST /api/search-contacts`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_contacts").await
}
