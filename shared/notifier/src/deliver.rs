//! Delivering one queued text: claim its id, send it once, settle the claim.

use crate::OutgoingSms;
use dewy_connector::{CallRecorder, Deadline};
use dewy_idempotency::{Begin, IdempotencyError, IdempotencyStore, StoredResponse, payload_hash};
use dewy_twilio::{Twilio, TwilioError};
use serde::Serialize;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The longest one send may take. Twilio answers in well under a second; past this the text is
/// `unknown` (it may have gone out), never sent again.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a claim holds an id while its send runs: past it, a delivery that died mid-send no
/// longer blocks a redelivery of the message.
const CLAIM_TIMEOUT: Duration = Duration::from_secs(15);

/// How long a settled delivery is remembered. Longer than any redelivery of the message: SQS
/// retries within minutes, and the dead-letter queue is drained by hand.
const RECORD_TTL: Duration = Duration::from_secs(24 * 3600);

/// Sends queued texts through Twilio, at most once per message id.
#[derive(Clone)]
pub struct Notifier {
    twilio: Twilio,
    store: Arc<dyn IdempotencyStore>,
}

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Twilio accepted the text for delivery.
    Sent,
    /// The message was delivered (or settled) before, under the same id: nothing sent now.
    Duplicate,
    /// Twilio refused the recipient: the number on file needs fixing. Not retried.
    Rejected,
    /// Twilio did not confirm in time: the text may have gone out. Not retried, so as never to text
    /// twice.
    Unknown,
    /// Refused for good (e.g. the id was used for another text): nothing sent, not retried.
    Failed,
    /// Nothing was sent, for a reason that may pass (Twilio down or rate limiting, the store
    /// unavailable, the same message being sent elsewhere): deliver it again later.
    Retry,
}

/// The outcome of one delivery, with Twilio's message SID or the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// What became of the message.
    pub outcome: Outcome,
    /// Twilio's message SID, when sent.
    pub sid: Option<String>,
    /// Why it was not sent, or what is uncertain about it. Never the number or the body.
    pub reason: Option<String>,
}

impl Delivery {
    fn new(outcome: Outcome, reason: impl Into<String>) -> Self {
        Delivery {
            outcome,
            sid: None,
            reason: Some(reason.into()),
        }
    }

    /// Whether the message should be delivered again later (the queue's retry).
    pub fn should_retry(&self) -> bool {
        self.outcome == Outcome::Retry
    }

    fn log(&self, id: &str) {
        let outcome = serde_json::to_value(self.outcome).unwrap_or_default();
        let outcome = outcome.as_str().unwrap_or("?");
        match self.outcome {
            Outcome::Sent | Outcome::Duplicate => {
                tracing::info!(id, outcome, sid = self.sid.as_deref(), "sms delivery");
            }
            _ => tracing::warn!(id, outcome, reason = self.reason.as_deref(), "sms not delivered"),
        }
    }
}

impl Notifier {
    /// A notifier sending through `twilio`, claiming message ids in `store`.
    pub fn new(twilio: Twilio, store: Arc<dyn IdempotencyStore>) -> Self {
        Notifier { twilio, store }
    }

    /// Delivers `sms` unless a delivery of its id was already settled; logs the outcome.
    pub async fn deliver(&self, sms: &OutgoingSms) -> Delivery {
        let delivery = self.claim_and_send(sms).await;
        delivery.log(&sms.id);
        delivery
    }

    async fn claim_and_send(&self, sms: &OutgoingSms) -> Delivery {
        let record = format!("sms#{}", sms.id);
        // The claim is tied to the text itself: the same id with another text is refused.
        let hash = payload_hash(&json!({ "to": sms.to.as_str(), "body": sms.body }));
        let now = SystemTime::now();
        match self
            .store
            .begin(&record, &hash, now + CLAIM_TIMEOUT, now + RECORD_TTL)
            .await
        {
            Ok(Begin::Started) => {}
            Ok(Begin::Replay(_)) => {
                return Delivery::new(
                    Outcome::Duplicate,
                    "Already delivered under this id; not sent again.",
                );
            }
            Err(IdempotencyError::InProgress) => {
                return Delivery::new(Outcome::Retry, "Another delivery of this message is under way.");
            }
            Err(IdempotencyError::KeyReused) => {
                return Delivery::new(
                    Outcome::Failed,
                    "A different text was already sent under this id; this one is not sent.",
                );
            }
            Err(IdempotencyError::Store(error)) => {
                tracing::warn!(%error, "the delivery record could not be claimed");
                return Delivery::new(
                    Outcome::Retry,
                    "The delivery record could not be claimed; nothing was sent.",
                );
            }
        }
        let twilio = self
            .twilio
            .scoped(CallRecorder::new(), Deadline::after(SEND_TIMEOUT));
        let delivery = match twilio.send_sms(&sms.to, &sms.body).await {
            Ok(message) => Delivery {
                outcome: Outcome::Sent,
                sid: Some(message.sid.to_string()),
                reason: None,
            },
            Err(error) => classify(&error),
        };
        self.settle(&record, &delivery).await;
        delivery
    }

    /// Frees the claim of a message to retry; records any other outcome so that a redelivery is a
    /// duplicate. If recording fails the claim lapses after [`CLAIM_TIMEOUT`], and a redelivery
    /// after that would send again: the one window where a text can go out twice, logged.
    async fn settle(&self, record: &str, delivery: &Delivery) {
        let result = if delivery.should_retry() {
            self.store.abandon(record).await
        } else {
            let response = StoredResponse {
                status: 200,
                body: json!({ "outcome": delivery.outcome, "sid": delivery.sid }),
            };
            self.store
                .complete(record, &response, SystemTime::now() + RECORD_TTL)
                .await
        };
        if let Err(error) = result {
            tracing::warn!(%error, record, "the delivery record could not be settled");
        }
    }
}

/// How a failed send is settled: the reason names Twilio's code, never the number or the body.
fn classify(error: &TwilioError) -> Delivery {
    let code = error
        .code()
        .map(|code| format!(" (Twilio error {code})"))
        .unwrap_or_default();
    if error.is_recipient_rejected() {
        return Delivery::new(
            Outcome::Rejected,
            format!(
                "Twilio refused the recipient's number{code}: it is invalid, unreachable or cannot receive SMS."
            ),
        );
    }
    if error.may_have_been_sent() {
        return Delivery::new(
            Outcome::Unknown,
            "Twilio did not confirm the text in time: it may have been sent, so it is not sent again.",
        );
    }
    let passing = match error {
        TwilioError::CircuitOpen => Some("Twilio has been failing, so texts are paused briefly"),
        TwilioError::RateLimited { .. } => Some("Twilio is rate limiting texts"),
        TwilioError::Authentication { .. } => Some("Twilio refused this service's credentials"),
        TwilioError::Connect(_) => Some("Twilio could not be reached"),
        _ => None,
    };
    match passing {
        Some(why) => Delivery::new(
            Outcome::Retry,
            format!("{why}; nothing was sent, it will be retried."),
        ),
        None => Delivery::new(
            Outcome::Failed,
            format!("Twilio refused the text{code}; nothing was sent."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_classified_by_whether_a_retry_could_help_or_text_twice() {
        let invalid = TwilioError::InvalidRequest {
            status: 400,
            code: Some(dewy_twilio::codes::INVALID_TO),
            message: "bad".into(),
        };
        assert_eq!(classify(&invalid).outcome, Outcome::Rejected);
        assert_eq!(classify(&TwilioError::Timeout).outcome, Outcome::Unknown);
        let down = classify(&TwilioError::CircuitOpen);
        assert_eq!(down.outcome, Outcome::Retry);
        assert!(down.reason.unwrap().contains("nothing was sent"));
        let too_long = classify(&TwilioError::BodyTooLong { chars: 2000 });
        assert_eq!(too_long.outcome, Outcome::Failed);
    }
}
