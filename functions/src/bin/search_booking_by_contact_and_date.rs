//! Lambda function `search_booking_by_contact_and_date` (`POST /api/search-booking-by-contact-and-date`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_booking_by_contact_and_date").await
}
