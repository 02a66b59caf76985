//! Lambda function `create_contact` (`POST /api/create-contact`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("create_contact").await
}
