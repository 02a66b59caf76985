//! Lambda function `sms_notifier`: sends the texts tools queue on SQS, through Twilio, once each.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::notifier::run().await
}
