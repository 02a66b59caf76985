//! The function `search_bookings_by_room_and_dates` as `cargo lambda watch` starts it (`cargo run --bin search_bookings_by_room_and_dates`): `dewy`'s
//! main, which reads its role from the function's name there. Generated: see
//! docs/adding-a-tool.md.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_functions::main().await
}
