//! Lambda function `search_case_by_token` (`POST /api/search-case-by-token`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_case_by_token").await
}
