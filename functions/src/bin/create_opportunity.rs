//! Lambda function `create_opportunity` (`POST /api/create-opportunity`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("create_opportunity").await
}
