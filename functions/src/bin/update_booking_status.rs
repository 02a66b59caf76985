//! Lambda function `update_booking_status` (`POST /api/update-booking-status`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("update_booking_status").await
}
