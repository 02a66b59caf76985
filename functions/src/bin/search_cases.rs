//! Lambda function `search_cases` (`POST /api/search-cases`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_cases").await
}
