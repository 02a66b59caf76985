//! Outgoing SMS off the critical path: a transactional outbox.
//!
//! A tool that texts (check-in, a maintenance request) does its writes, then *enqueues* the text
//! on an [`Outbox`] and answers; a notifier delivers it through Twilio. So the tool's latency never
//! includes Twilio's, a slow or failing Twilio cannot hold a tool past its deadline, and a send
//! that fails for a while is retried by the queue instead of being lost.
//!
//! - In AWS the outbox is an SQS queue ([`SqsOutbox`]) and the notifier is its own
//!   Lambda function (`sms_notifier`), whose failures are retried and end in a dead-letter queue.
//! - Locally and in tests it is a [`LocalOutbox`]: a channel drained by a task of the same
//!   process, running the same [`Notifier::deliver`].
//!
//! # At most one text per message
//! A queue delivers at least once, and Twilio has no idempotency key: a second send is a second
//! text. [`Notifier::deliver`] therefore claims each message's id in the idempotency store (the
//! DynamoDB table in AWS, with the conditional write the tools use) before sending: a message
//! whose delivery was settled is not sent again, and one being sent elsewhere is retried later. The
//! id is derived from the tool call's operation key, so a retried tool call or a retried enqueue is
//! still one text.

mod deliver;
mod message;
mod outbox;

pub use deliver::{Delivery, Notifier, Outcome};
pub use message::OutgoingSms;
pub use outbox::{LocalOutbox, Outbox, OutboxError, SqsOutbox};

/// A boxed, `Send` future, so that [`Outbox`] is object-safe (`Arc<dyn Outbox>`).
pub use dewy_idempotency::BoxFuture;
