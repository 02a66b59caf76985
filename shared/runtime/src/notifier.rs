//! The `sms_notifier` Lambda function ([`run`], [`handle`]) that SQS invokes with batches of the
//! texts tool functions queued (`dewy_notifier::SqsOutbox`).
//!
//! The function reports each message worth another try as a batch item failure (the event source
//! mapping's `ReportBatchItemFailures`), so SQS redelivers only those, after the visibility
//! timeout. A message that keeps failing, or cannot be read, moves to the dead-letter queue after
//! the queue's `maxReceiveCount`. Deliveries are deduplicated by [`Notifier::deliver`], so a
//! redelivered message is not texted twice.

use crate::config::{ConfigError, idempotency_store, twilio_from_env, warn_if_records_in_memory};
use dewy_notifier::{Notifier, OutgoingSms};
use lambda_http::aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};

/// Runs the `sms_notifier` function: logging, the notifier built once per container, then the
/// runtime loop over SQS batches.
pub async fn run() -> Result<(), lambda_runtime::Error> {
    crate::logging::init_lambda();
    let notifier = notifier_from_env().await?;
    let notifier = &notifier;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, std::convert::Infallible>(handle(notifier, event.payload).await)
    }))
    .await
}

/// The notifier from the environment: Twilio (`TWILIO_SECRET_ID`, required here) and the
/// idempotency table its deliveries are claimed in.
pub async fn notifier_from_env() -> Result<Notifier, ConfigError> {
    let http = dewy_connector::http_client();
    let twilio = twilio_from_env(&http)
        .await?
        .ok_or(ConfigError::Missing("TWILIO_SECRET_ID"))?;
    warn_if_records_in_memory();
    Ok(Notifier::new(twilio, idempotency_store().await))
}

/// Delivers a batch, each message concurrently; answers the ids of those to redeliver.
pub async fn handle(notifier: &Notifier, event: SqsEvent) -> SqsBatchResponse {
    let deliveries = event.records.iter().map(|record| deliver(notifier, record));
    let mut response = SqsBatchResponse::default();
    for retry in futures::future::join_all(deliveries).await.into_iter().flatten() {
        response.add_failure(retry);
    }
    response
}

/// Delivers one message; its id when it should be redelivered.
async fn deliver(notifier: &Notifier, record: &SqsMessage) -> Option<String> {
    let message_id = record.message_id.clone().unwrap_or_default();
    let sms = record.body.as_deref().map(serde_json::from_str::<OutgoingSms>);
    match sms {
        Some(Ok(sms)) => notifier.deliver(&sms).await.should_retry().then_some(message_id),
        _ => {
            // Retrying cannot fix it; failing it sends it to the dead-letter queue for a person.
            tracing::error!(
                message_id,
                "an unreadable SMS message: left for the dead-letter queue"
            );
            Some(message_id)
        }
    }
}
