//! Lambda function `update_opportunity_stage` (`POST /api/update-opportunity-stage`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("update_opportunity_stage").await
}
