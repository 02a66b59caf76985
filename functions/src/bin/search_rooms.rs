//! Lambda function `search_rooms` (`POST /api/search-rooms`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_rooms").await
}
