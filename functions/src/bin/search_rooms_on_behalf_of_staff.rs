//! Lambda function `search_rooms_on_behalf_of_staff` (`POST /api/search-rooms-on-behalf-of-staff`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_rooms_on_behalf_of_staff").await
}
