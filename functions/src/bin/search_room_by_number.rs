//! Lambda function `search_room_by_number` (`POST /api/search-room-by-number`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("search_room_by_number").await
}
