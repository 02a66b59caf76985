//! Lambda function `search_bookings_by_room_and_dates` (`POST /api/search-bookings-by-room-and-dates`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_bookings_by_room_and_dates").await
}
