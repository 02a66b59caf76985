//! Where tools put their texts: the [`Outbox`] trait, the in-process [`LocalOutbox`], and
//! [`SqsOutbox`], the queue of a deployed function.

use crate::{BoxFuture, Notifier, OutgoingSms};
use std::time::Duration;
use tokio::sync::mpsc;

/// A queue of texts to deliver. Enqueuing the same message (the same id) twice sends one text.
pub trait Outbox: Send + Sync {
    /// Queues `sms`; returns once the queue holds it, not once it is sent.
    fn enqueue<'a>(&'a self, sms: &'a OutgoingSms) -> BoxFuture<'a, Result<(), OutboxError>>;
}

/// Why a text could not be queued. Nothing will be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboxError {
    /// The in-process queue is full: texts are queued faster than Twilio takes them.
    #[error("the outbox is full")]
    Full,
    /// The in-process notifier has stopped.
    #[error("the outbox is closed")]
    Closed,
    /// The queue service refused or did not answer (the SDK's error, without the message).
    #[error("the queue refused the message: {0}")]
    Queue(String),
}

/// How many texts the in-process queue holds before refusing more.
const CAPACITY: usize = 1024;

/// When a delivery that may succeed later is tried again (after the first attempt), in process.
const RETRY_DELAYS: [Duration; 3] = [
    Duration::from_millis(200),
    Duration::from_secs(1),
    Duration::from_secs(3),
];

/// The outbox of a single process (the local stack, tests, `cargo lambda watch`): a channel drained
/// by a task of the same Tokio runtime, each message delivered with [`Notifier::deliver`] on its own
/// task and retried a few times.
///
/// Not for Lambda: a frozen execution environment would hold queued texts until its next
/// invocation, or lose them. The deployed functions use SQS.
pub struct LocalOutbox {
    queue: mpsc::Sender<OutgoingSms>,
}

impl LocalOutbox {
    /// Starts the in-process notifier on the current Tokio runtime (it panics outside one, as
    /// `tokio::spawn` does). It stops once the outbox is dropped and its queue drained.
    pub fn start(notifier: Notifier) -> Self {
        let (queue, mut queued) = mpsc::channel::<OutgoingSms>(CAPACITY);
        tokio::spawn(async move {
            while let Some(sms) = queued.recv().await {
                tokio::spawn(deliver_with_retries(notifier.clone(), sms));
            }
        });
        LocalOutbox { queue }
    }
}

impl Outbox for LocalOutbox {
    fn enqueue<'a>(&'a self, sms: &'a OutgoingSms) -> BoxFuture<'a, Result<(), OutboxError>> {
        let queued = self.queue.try_send(sms.clone()).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => OutboxError::Full,
            mpsc::error::TrySendError::Closed(_) => OutboxError::Closed,
        });
        Box::pin(async move { queued })
    }
}

async fn deliver_with_retries(notifier: Notifier, sms: OutgoingSms) {
    let mut delays = RETRY_DELAYS.iter();
    while notifier.deliver(&sms).await.should_retry() {
        let Some(delay) = delays.next() else {
            tracing::warn!(id = sms.id, "sms dropped after its last retry");
            return;
        };
        tokio::time::sleep(*delay).await;
    }
}

/// The outbox of a deployed tool function: an SQS queue.
pub struct SqsOutbox {
    client: aws_sdk_sqs::Client,
    queue_url: String,
}

impl SqsOutbox {
    /// Texts queued on `queue_url`.
    pub fn new(client: aws_sdk_sqs::Client, queue_url: impl Into<String>) -> Self {
        SqsOutbox {
            client,
            queue_url: queue_url.into(),
        }
    }
}

impl Outbox for SqsOutbox {
    fn enqueue<'a>(&'a self, sms: &'a OutgoingSms) -> BoxFuture<'a, Result<(), OutboxError>> {
        Box::pin(async move {
            let body = serde_json::to_string(sms).map_err(|e| OutboxError::Queue(e.to_string()))?;
            self.client
                .send_message()
                .queue_url(&self.queue_url)
                .message_body(body)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| OutboxError::Queue(aws_sdk_sqs::error::DisplayErrorContext(e).to_string()))
        })
    }
}
