//! The function `home_assistant_health` as `cargo lambda watch` starts it (`cargo run --bin home_assistant_health`): `dewy`'s
//! main, which reads its role from the function's name there. Generated: see
//! docs/adding-a-tool.md.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_functions::main().await
}
