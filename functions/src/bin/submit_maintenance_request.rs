//! Lambda function `submit_maintenance_request` (`POST /api/submit-maintenance-request`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("submit_maintenance_request").await
}
