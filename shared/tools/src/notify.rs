//! Outgoing SMS notifications: the guest's welcome text at check-in, the on-call text for a
//! maintenance request.
//!
//! A notification never fails its tool. The tool's work is done (and written) before anything is
//! texted, so a message never announces what did not happen; what became of the text is reported
//! in the output as a [`Notification`] and logged with the reason, never the number or the body.
//!
//! # Awaited, with its own short bound
//! On Lambda the execution environment is frozen as soon as the response is returned, so a send
//! "fired and forgotten" on a spawned task would be lost or, worse, resumed minutes later in
//! another invocation. The send is therefore awaited, but bounded by [`SEND_BOUND`] (and by what
//! is left of the invocation's deadline), so a slow Twilio cannot push the tool past its deadline.
//!
//! # One call, never repeated
//! Twilio has no idempotency key: a repeated send is a second text. The connector repeats a send
//! only when it provably never left (a connect failure); a send that timed out is reported as
//! `unknown` ("may have been sent") rather than sent again.

use dewy_connector::Deadline;
use dewy_tool::Context;
use dewy_twilio::{E164, TwilioError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// The longest a tool waits for Twilio to accept a text. Twilio answers a send in well under a
/// second; past this the text is reported `unknown` and the tool answers.
pub const SEND_BOUND: Duration = Duration::from_millis(2500);

/// Below this much time left before the deadline no send is started: it could not be answered in
/// time, and an unanswered send is one that may or may not have gone out.
const MIN_TIME_LEFT: Duration = Duration::from_millis(300);

/// The channel a notification went through. Only SMS for now; a field so that clients need not
/// change when another channel is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A text message through Twilio.
    Sms,
}

/// What became of a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NotificationStatus {
    /// Twilio accepted the text for delivery.
    Sent,
    /// Nothing was sent, on purpose: SMS is not configured, the recipient prefers another channel,
    /// has no number, or was already notified.
    Skipped,
    /// Twilio (or the number's format) refused the recipient: the number on file needs fixing.
    Rejected,
    /// The send failed and nothing was sent.
    Failed,
    /// Twilio did not confirm in time: the text may or may not have been sent. It is not sent
    /// again, so as never to text twice.
    Unknown,
}

/// A notification's outcome, as tools report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Notification {
    /// Always `sms`.
    pub channel: Channel,
    /// sent, skipped, rejected, failed or unknown.
    pub status: NotificationStatus,
    /// The recipient, masked (e.g. `+1•••••••0142`), when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Twilio's message SID, when Twilio accepted the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Why it was not sent, or what is uncertain about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Notification {
    fn new(status: NotificationStatus, to: Option<&E164>, reason: Option<String>) -> Self {
        Notification {
            channel: Channel::Sms,
            status,
            to: to.map(mask),
            sid: None,
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
            NotificationStatus::Sent | NotificationStatus::Skipped => tracing::info!(
                channel = "sms",
                status,
                sid = self.sid.as_deref(),
                reason = self.reason.as_deref(),
                "notification"
            ),
            _ => tracing::warn!(
                channel = "sms",
                status,
                reason = self.reason.as_deref(),
                "notification not delivered"
            ),
        }
    }
}

/// Texts `body` to the number `to` (as stored, e.g. on a Contact), within [`SEND_BOUND`] and the
/// invocation's deadline, in at most one Twilio call. Never fails: the outcome is the returned
/// [`Notification`].
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
    send(ctx, &sms.twilio, &number, body).await
}

/// Texts `body` to the configured on-call number, if there is one.
pub async fn text_on_call(ctx: &Context, body: &str) -> Notification {
    match ctx.sms() {
        None => Notification::skipped("SMS is not configured for this service."),
        Some(sms) => match &sms.on_call {
            None => Notification::skipped("No on-call number is configured."),
            Some(number) => send(ctx, &sms.twilio, number, body).await,
        },
    }
}

async fn send(ctx: &Context, twilio: &dewy_twilio::Twilio, to: &E164, body: &str) -> Notification {
    let deadline = ctx.deadline();
    if deadline.remaining() < MIN_TIME_LEFT {
        let notification = Notification::new(
            NotificationStatus::Failed,
            Some(to),
            Some("Not sent: no time was left before the request's deadline.".into()),
        );
        notification.log();
        return notification;
    }
    // The connector bounds its call (and any repeat of a send that never left) by this deadline,
    // and records the call in the invocation's recorder like any other backend call.
    let bound = Deadline::at(deadline.instant().min(Instant::now() + SEND_BOUND));
    let twilio = twilio.scoped(ctx.recorder().clone(), bound);
    let notification = match twilio.send_sms(to, body).await {
        Ok(message) => Notification {
            sid: Some(message.sid.to_string()),
            ..Notification::new(NotificationStatus::Sent, Some(to), None)
        },
        Err(error) => failure(to, &error),
    };
    notification.log();
    notification
}

/// How a failed send is reported: the reason names Twilio's code, never the number or the body.
fn failure(to: &E164, error: &TwilioError) -> Notification {
    let code = error
        .code()
        .map(|code| format!(" (Twilio error {code})"))
        .unwrap_or_default();
    let (status, reason) = if error.is_recipient_rejected() {
        (
            NotificationStatus::Rejected,
            format!(
                "Twilio refused the recipient's number{code}: it is invalid, unreachable or cannot receive SMS."
            ),
        )
    } else if error.may_have_been_sent() {
        (
            NotificationStatus::Unknown,
            "Twilio did not confirm the text in time: it may have been sent, so it is not sent again.".into(),
        )
    } else {
        let why = match error {
            TwilioError::CircuitOpen => "Twilio has been failing, so texts are paused briefly".to_owned(),
            TwilioError::RateLimited { .. } => "Twilio is rate limiting texts".to_owned(),
            TwilioError::Authentication { .. } => "Twilio refused this service's credentials".to_owned(),
            _ => format!("Twilio refused the text{code}"),
        };
        (NotificationStatus::Failed, format!("{why}; nothing was sent."))
    };
    Notification::new(status, Some(to), Some(reason))
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
    fn failures_are_classified_by_what_the_guest_or_staff_can_do() {
        let to = E164::parse("+15005550001").unwrap();
        let invalid = TwilioError::InvalidRequest {
            status: 400,
            code: Some(dewy_twilio::codes::INVALID_TO),
            message: "bad".into(),
        };
        assert_eq!(failure(&to, &invalid).status, NotificationStatus::Rejected);
        assert_eq!(
            failure(&to, &TwilioError::Timeout).status,
            NotificationStatus::Unknown
        );
        let down = failure(&to, &TwilioError::CircuitOpen);
        assert_eq!(down.status, NotificationStatus::Failed);
        assert!(down.reason.unwrap().contains("nothing was sent"));
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
