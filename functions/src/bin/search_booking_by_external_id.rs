//! Lambda function `search_booking_by_external_id` (`POST /api/search-booking-by-external-id`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_booking_by_external_id").await
}
