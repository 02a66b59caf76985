//! Lambda function `manage_cases_orchestrator` (`POST /api/manage-cases-orchestrator`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("manage_cases_orchestrator").await
}
