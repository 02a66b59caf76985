//! Lambda function `submit_guest_service_request` (`POST /api/submit-guest-service-request`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("submit_guest_service_request").await
}
