//! Lambda function `create_booking_orchestrator` (`POST /api/create-booking-orchestrator`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("create_booking_orchestrator").await
}
