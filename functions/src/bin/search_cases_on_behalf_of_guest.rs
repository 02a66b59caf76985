//! Lambda function `search_cases_on_behalf_of_guest` (`POST /api/search-cases-on-behalf-of-guest`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_cases_on_behalf_of_guest").await
}
