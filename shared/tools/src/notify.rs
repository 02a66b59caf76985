//! Outgoing SMS notifications: the guest's welcome text at check-in, the on-call text for a
//! maintenance request.
//!
//! A notification never fails its tool and costs it one enqueue, not a Twilio call. The tool's work
//! is done (and written) before anything is queued, so a message never announces what did not
//! happen. The text goes on the outbox (see `dewy-notifier`): the notifier sends it through Twilio
//! after the tool has answered, retries it while Twilio is down, and sends it at most once per tool
//! call, since its id is the call's operation key. The output reports the text `queued` (or why
//! not) with that id; the notifier's log says what became of it, never the number or the body.

use dewy_notifier::{Outbox, OutgoingSms};
use dewy_tool::Context;
use dewy_twilio::E164;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The longest a tool waits for the queue to take a text. SQS answers in milliseconds; past this
/// the text is reported `unknown` and the tool answers.
pub const ENQUEUE_BOUND: Duration = Duration::from_millis(1000);

/// Below this much time left before the deadline nothing is queued: the tool must still answer.
const MIN_TIME_LEFT: Duration = Duration::from_millis(200);

/// The channel a notification went through. Only SMS for now; a field so that clients need not
/// change when another channel is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A text message through Twilio.
    Sms,
}

/// What became of a notification, as far as the tool knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NotificationStatus {
    /// Queued: the notifier sends it through Twilio shortly, retrying while Twilio is down.
    Queued,
    /// Nothing was sent, on purpose: SMS is not configured, the recipient prefers another channel,
    /// has no number, or was already notified.
    Skipped,
    /// The number on file is not a phone number in international form: it needs fixing.
    Rejected,
    /// The text could not be queued; nothing will be sent.
    Failed,
    /// The queue did not confirm in time: the text may or may not be sent.
    Unknown,
}

/// A notification's outcome, as tools report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Notification {
    /// Always `sms`.
    pub channel: Channel,
    /// queued, skipped, rejected, failed or unknown.
    pub status: NotificationStatus,
    /// The recipient, masked (e.g. `+1•••••••0142`), when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The text's id in the outbox and the notifier's log, when it was queued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Why it was not queued, or what is uncertain about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Notification {
    fn new(status: NotificationStatus, to: Option<&E164>, reason: Option<String>) -> Self {
        Notification {
            channel: Channel::Sms,
            status,
            to: to.map(mask),
            id: None,
            reason,
        }
    }

    /// Nothing was sent, on purpose, for `reason`.
    pub fn skipped(reason: impl Into<String>) -> Self {
        let notification = Self::new(NotificationStatus::Skipped, None, Some(reason.into()));
        notification.log();
        notification
    }

    fn log(&self) {
        let status = format!("{:?}", self.status).to_lowercase();
        match self.status {
            NotificationStatus::Queued | NotificationStatus::Skipped => tracing::info!(
                channel = "sms",
                status,
                id = self.id.as_deref(),
                reason = self.reason.as_deref(),
                "notification"
            ),
            _ => tracing::warn!(
                channel = "sms",
                status,
                reason = self.reason.as_deref(),
                "notification not queued"
            ),
        }
    }
}

/// Queues `body` for the number `to` (as stored, e.g. on a Contact). Never fails: the outcome is
/// the returned [`Notification`].
pub async fn text(ctx: &Context, to: &str, body: &str) -> Notification {
    let Some(sms) = ctx.sms() else {
        return Notification::skipped("SMS is not configured for this service.");
    };
    let Ok(number) = E164::parse(to) else {
        let notification = Notification::new(
            NotificationStatus::Rejected,
            None,
            Some("The phone number on file is not in international form (+ and the country code).".into()),
        );
        notification.log();
        return notification;
    };
    enqueue(ctx, sms.outbox.as_ref(), number, body).await
}

/// Queues `body` for the configured on-call number, if there is one.
pub async fn text_on_call(ctx: &Context, body: &str) -> Notification {
    match ctx.sms() {
        None => Notification::skipped("SMS is not configured for this service."),
        Some(sms) => match &sms.on_call {
            None => Notification::skipped("No on-call number is configured."),
            Some(number) => enqueue(ctx, sms.outbox.as_ref(), number.clone(), body).await,
        },
    }
}

async fn enqueue(ctx: &Context, outbox: &dyn Outbox, to: E164, body: &str) -> Notification {
    let left = ctx.deadline().remaining().saturating_sub(MIN_TIME_LEFT);
    if left.is_zero() {
        let notification = Notification::new(
            NotificationStatus::Failed,
            Some(&to),
            Some("Not queued: no time was left before the request's deadline.".into()),
        );
        notification.log();
        return notification;
    }
    let message = OutgoingSms::new(message_id(ctx), to, body);
    let notification = match tokio::time::timeout(left.min(ENQUEUE_BOUND), outbox.enqueue(&message)).await {
        Ok(Ok(())) => Notification {
            id: Some(message.id.clone()),
            ..Notification::new(NotificationStatus::Queued, Some(&message.to), None)
        },
        Ok(Err(error)) => Notification::new(
            NotificationStatus::Failed,
            Some(&message.to),
            Some(format!(
                "The text could not be queued ({error}); nothing will be sent."
            )),
        ),
        Err(_) => Notification {
            id: Some(message.id.clone()),
            ..Notification::new(
                NotificationStatus::Unknown,
                Some(&message.to),
                Some("The queue did not confirm the text in time: it may or may not be sent.".into()),
            )
        },
    };
    notification.log();
    notification
}

/// The text's id: the tool call's operation key, so a retried call queues the same message and the
/// notifier sends it once. A call without one (only outside the invoke path) gets a unique id.
fn message_id(ctx: &Context) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    ctx.downstream_key("sms").unwrap_or_else(|| {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        format!("sms-{}-{n}", ctx.now().timestamp_millis())
    })
}

/// `+1•••••••0142`: the country code's first digit and the last four digits, so staff can tell
/// which number was used without the output carrying it whole.
fn mask(number: &E164) -> String {
    let digits: Vec<char> = number.as_str().chars().skip(1).collect();
    let hidden = digits.len().saturating_sub(5);
    let first: String = digits.iter().take(1).collect();
    let last: String = digits.iter().skip(1 + hidden).collect();
    format!("+{first}{}{last}", "•".repeat(hidden))
}

/// The first `max` characters of `text`, with `…` when it was cut (on a character boundary).
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", text[..end].trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_masked_but_for_the_country_and_last_four_digits() {
        let number = E164::parse("+15550200142").unwrap();
        assert_eq!(mask(&number), "+1••••••0142");
        let short = E164::parse("+4412345678").unwrap();
        assert_eq!(mask(&short), "+4•••••5678");
    }

    #[test]
    fn excerpts_cut_on_characters() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("ééééé", 3), "ééé…");
    }

    #[test]
    fn the_output_shape_is_the_documented_one() {
        let skipped = serde_json::to_value(Notification::skipped("prefers Email")).unwrap();
        assert_eq!(
            skipped,
            serde_json::json!({"channel": "sms", "status": "skipped", "reason": "prefers Email"})
        );
    }
}
