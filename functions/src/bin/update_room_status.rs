//! Lambda function `update_room_status` (`POST /api/update-room-status`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("update_room_status").await
}
