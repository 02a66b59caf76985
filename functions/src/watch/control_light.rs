//! The function `control_light` as `cargo lambda watch` starts it (`cargo run --bin control_light`): `dewy`'s
//! main, which reads its role from the function's name there. Generated: see
//! docs/adding-a-tool.md.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_functions::main().await
}
