//! Lambda function `update_case_status` (`POST /api/update-case-status`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("update_case_status").await
}
