//! Lambda function `manage_booking_orchestrator` (`POST /api/manage-booking-orchestrator`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("manage_booking_orchestrator").await
}
