//! Lambda function `process_guest_checkout` (`POST /api/process-guest-checkout`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("process_guest_checkout").await
}
