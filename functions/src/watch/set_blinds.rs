//! The function `set_blinds` as `cargo lambda watch` starts it (`cargo run --bin set_blinds`): `dewy`'s
//! main, which reads its role from the function's name there. Generated: see
//! docs/adding-a-tool.md.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_functions::main().await
}
