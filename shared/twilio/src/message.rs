//! A message as Twilio reports it, and the checks a body passes before it is sent.

use crate::{MessageSid, TwilioError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};

/// The longest body Twilio accepts, in characters (it splits it into segments of 153 or 67).
pub const MAX_BODY_CHARS: usize = 1600;

/// A message resource, keeping only the fields the hub uses; Twilio's other fields are ignored.
///
/// The body is deliberately not kept: it may hold personal data, and whoever sent it has it already.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Message {
    /// `SM…` (or `MM…`): the handle to fetch it again and to find it in Twilio's console.
    pub sid: MessageSid,
    /// Where it is in its life, as of this answer.
    pub status: MessageStatus,
    /// The recipient, as Twilio normalised it.
    #[serde(default)]
    pub to: String,
    /// The sender number; `None` while a Messaging Service has not yet picked one.
    #[serde(default)]
    pub from: Option<String>,
    /// The Messaging Service it was sent through, if any.
    #[serde(default)]
    pub messaging_service_sid: Option<String>,
    /// Why delivery failed (e.g. 30003 unreachable, 30007 filtered), once it has.
    #[serde(default)]
    pub error_code: Option<u32>,
    /// Twilio's description of `error_code`.
    #[serde(default)]
    pub error_message: Option<String>,
    /// How many SMS segments the body takes (what Twilio bills).
    #[serde(default, deserialize_with = "lenient_count")]
    pub num_segments: Option<u32>,
    /// When Twilio created it.
    #[serde(default, deserialize_with = "rfc2822")]
    pub date_created: Option<DateTime<Utc>>,
}

/// A message's status. Unknown statuses (Twilio adds some now and then) are kept as
/// [`MessageStatus::Other`] rather than failing the decoding of an otherwise good answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MessageStatus {
    /// Accepted for a Messaging Service, which has not yet picked a sender.
    Accepted,
    /// Scheduled for later.
    Scheduled,
    /// Waiting to be sent.
    Queued,
    /// Being handed to the carrier.
    Sending,
    /// Handed to the carrier.
    Sent,
    /// The carrier confirmed delivery.
    Delivered,
    /// The carrier could not deliver it.
    Undelivered,
    /// Twilio could not send it.
    Failed,
    /// Cancelled before it was sent.
    Canceled,
    /// Any other status, as Twilio spelled it.
    Other(String),
}

impl MessageStatus {
    /// Twilio's spelling.
    pub fn as_str(&self) -> &str {
        match self {
            MessageStatus::Accepted => "accepted",
            MessageStatus::Scheduled => "scheduled",
            MessageStatus::Queued => "queued",
            MessageStatus::Sending => "sending",
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Undelivered => "undelivered",
            MessageStatus::Failed => "failed",
            MessageStatus::Canceled => "canceled",
            MessageStatus::Other(other) => other,
        }
    }

    /// Whether the message will not be delivered.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            MessageStatus::Undelivered | MessageStatus::Failed | MessageStatus::Canceled
        )
    }
}

impl From<&str> for MessageStatus {
    fn from(value: &str) -> Self {
        match value {
            "accepted" => MessageStatus::Accepted,
            "scheduled" => MessageStatus::Scheduled,
            "queued" => MessageStatus::Queued,
            "sending" => MessageStatus::Sending,
            "sent" => MessageStatus::Sent,
            "delivered" => MessageStatus::Delivered,
            "undelivered" => MessageStatus::Undelivered,
            "failed" => MessageStatus::Failed,
            "canceled" => MessageStatus::Canceled,
            other => MessageStatus::Other(other.to_owned()),
        }
    }
}

impl std::fmt::Display for MessageStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MessageStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(MessageStatus::from(String::deserialize(deserializer)?.as_str()))
    }
}

/// Refuses a body Twilio would refuse (empty, or longer than [`MAX_BODY_CHARS`]), so that no
/// request is spent on it.
pub(crate) fn check_body(body: &str) -> Result<(), TwilioError> {
    if body.trim().is_empty() {
        return Err(TwilioError::EmptyBody);
    }
    let chars = body.chars().count();
    if chars > MAX_BODY_CHARS {
        return Err(TwilioError::BodyTooLong { chars });
    }
    Ok(())
}

/// Twilio sends counts as strings (`"1"`); accept a string, a number or null.
fn lenient_count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(match value {
        Some(serde_json::Value::String(text)) => text.trim().parse().ok(),
        Some(serde_json::Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    })
}

/// Twilio's dates are RFC 2822 (`Thu, 30 Jul 2015 20:12:31 +0000`). A date in another shape is
/// dropped rather than failing the answer: no decision hangs on it.
fn rfc2822<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let value = Option::<String>::deserialize(deserializer)?;
    Ok(value
        .and_then(|text| DateTime::parse_from_rfc2822(&text).ok())
        .map(|date| date.with_timezone(&Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real answer, extra fields and all, decodes to the fields kept.
    #[test]
    fn twilio_answers_decode_and_extras_are_ignored() {
        let body = r#"{
            "account_sid": "AC0123456789abcdef0123456789abcdef", "api_version": "2010-04-01",
            "body": "Your room is ready", "date_created": "Thu, 30 Jul 2015 20:12:31 +0000",
            "date_sent": null, "direction": "outbound-api", "error_code": null, "error_message": null,
            "from": "+15005550006", "messaging_service_sid": null, "num_media": "0", "num_segments": "1",
            "price": null, "price_unit": "USD", "sid": "SM0123456789abcdef0123456789abcdef",
            "status": "queued", "subresource_uris": {"media": "/x"}, "to": "+15558675310", "uri": "/y"
        }"#;
        let message: Message = serde_json::from_str(body).expect("decodes");
        assert_eq!(message.status, MessageStatus::Queued);
        assert_eq!(message.num_segments, Some(1));
        assert_eq!(message.from.as_deref(), Some("+15005550006"));
        assert_eq!(
            message.date_created.map(|d| d.to_rfc3339()).as_deref(),
            Some("2015-07-30T20:12:31+00:00")
        );
        assert!(!format!("{message:?}").contains("room is ready"));
    }

    #[test]
    fn unknown_statuses_are_kept() {
        let status: MessageStatus = serde_json::from_str("\"partially_delivered\"").expect("decodes");
        assert_eq!(status, MessageStatus::Other("partially_delivered".into()));
        assert_eq!(status.to_string(), "partially_delivered");
        assert!(MessageStatus::from("undelivered").is_failure());
    }

    #[test]
    fn bodies_are_checked_before_sending() {
        assert_eq!(check_body("  "), Err(TwilioError::EmptyBody));
        assert!(check_body(&"é".repeat(MAX_BODY_CHARS)).is_ok());
        assert_eq!(
            check_body(&"a".repeat(MAX_BODY_CHARS + 1)),
            Err(TwilioError::BodyTooLong { chars: 1601 })
        );
    }
}
