//! Lambda function `get_stay_folio` (`POST /api/get-stay-folio`).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::lambda::run_named("get_stay_folio").await
}
