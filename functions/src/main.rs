//! `dewy`: the binary every Lambda function is deployed from. The function's `Handler` picks what
//! it serves (see the crate's documentation).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_functions::main().await
}
