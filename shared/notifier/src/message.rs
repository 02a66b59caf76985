//! The queued message.

use dewy_twilio::E164;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One text to send, as it travels through the outbox (JSON on SQS).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingSms {
    /// Unique per text and stable across retries (the tool call's operation key and a step, e.g.
    /// `check_in_guest#3f…:sms`): delivery is deduplicated on it.
    pub id: String,
    /// The recipient.
    #[serde(serialize_with = "number_out", deserialize_with = "number_in")]
    pub to: E164,
    /// The text.
    pub body: String,
}

impl OutgoingSms {
    /// A text to `to`, identified by `id`.
    pub fn new(id: impl Into<String>, to: E164, body: impl Into<String>) -> Self {
        OutgoingSms {
            id: id.into(),
            to,
            body: body.into(),
        }
    }
}

/// The number redacted and the body left out: a message may reach a log by accident, and neither
/// a guest's number nor what they were told belongs there.
impl std::fmt::Debug for OutgoingSms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingSms")
            .field("id", &self.id)
            .field("to", &self.to)
            .field("body_chars", &self.body.chars().count())
            .finish()
    }
}

fn number_out<S: Serializer>(number: &E164, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(number.as_str())
}

fn number_in<'de, D: Deserializer<'de>>(deserializer: D) -> Result<E164, D::Error> {
    let text = String::deserialize(deserializer)?;
    E164::parse(&text).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn travels_as_plain_json_and_parses_its_number_back() {
        let sms = OutgoingSms::new("t#1:sms", E164::parse("+15550200142").unwrap(), "Hi");
        let json = serde_json::to_value(&sms).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": "t#1:sms", "to": "+15550200142", "body": "Hi"})
        );
        assert_eq!(serde_json::from_value::<OutgoingSms>(json).unwrap(), sms);
        let bad = serde_json::json!({"id": "x", "to": "555", "body": "Hi"});
        assert!(serde_json::from_value::<OutgoingSms>(bad).is_err());
    }

    #[test]
    fn debug_shows_neither_the_number_nor_the_body() {
        let sms = OutgoingSms::new("t#1:sms", E164::parse("+15550200142").unwrap(), "Welcome, Kay!");
        let shown = format!("{sms:?}");
        assert!(
            !shown.contains("15550200142") && !shown.contains("Kay"),
            "{shown}"
        );
    }
}
