//! The messages the sandbox has accepted, and their JSON form.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rand::Rng;
use serde_json::{Value, json};

use crate::segments;
use crate::validate::{Accepted, Sender};

/// Where a message is in its (simulated) life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageStatus {
    /// Accepted for the Messaging Service, no sender picked yet (the create answer's status).
    Accepted,
    /// Waiting to be sent (the create answer's status when sent `From` a number).
    Queued,
    /// Delivered (right after the create answer, when the sandbox is configured to deliver).
    Delivered,
}

impl MessageStatus {
    /// Twilio's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Accepted => "accepted",
            MessageStatus::Queued => "queued",
            MessageStatus::Delivered => "delivered",
        }
    }
}

/// A message as the sandbox stored it, for tests to inspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    /// `SM` and 32 hex digits.
    pub sid: String,
    /// The recipient.
    pub to: String,
    /// The sender number; `None` while the Messaging Service has not picked one.
    pub from: Option<String>,
    /// The Messaging Service it was sent through, if any.
    pub messaging_service_sid: Option<String>,
    /// The text.
    pub body: String,
    /// Its current status.
    pub status: MessageStatus,
    /// The `StatusCallback` given (the sandbox never calls it).
    pub status_callback: Option<String>,
    /// The SMS segments the body takes.
    pub num_segments: u32,
    /// When it was accepted.
    pub date_created: DateTime<Utc>,
    /// When it was delivered, if it was.
    pub date_sent: Option<DateTime<Utc>>,
}

/// The messages, in the order they were accepted.
#[derive(Debug, Default)]
pub(crate) struct Store {
    messages: Vec<SentMessage>,
    by_sid: HashMap<String, usize>,
}

impl Store {
    /// Stores an accepted request as a new message; returns a copy as created.
    pub fn create(&mut self, accepted: Accepted) -> SentMessage {
        let sid = self.new_sid();
        let (from, service, status) = match accepted.sender {
            Sender::Number(number) => (Some(number), None, MessageStatus::Queued),
            Sender::Service(sid) => (None, Some(sid), MessageStatus::Accepted),
        };
        let message = SentMessage {
            sid: sid.clone(),
            num_segments: segments::count(&accepted.body),
            to: accepted.to,
            from,
            messaging_service_sid: service,
            body: accepted.body,
            status,
            status_callback: accepted.status_callback,
            date_created: Utc::now(),
            date_sent: None,
        };
        self.by_sid.insert(sid, self.messages.len());
        self.messages.push(message.clone());
        message
    }

    /// Marks a message delivered; a Messaging Service's message gets the service's number.
    pub fn deliver(&mut self, sid: &str, service_number: &str) {
        if let Some(message) = self.by_sid.get(sid).and_then(|i| self.messages.get_mut(*i)) {
            message.status = MessageStatus::Delivered;
            message.date_sent = Some(Utc::now());
            message.from.get_or_insert_with(|| service_number.to_owned());
        }
    }

    pub fn get(&self, sid: &str) -> Option<&SentMessage> {
        self.by_sid.get(sid).and_then(|i| self.messages.get(*i))
    }

    pub fn all(&self) -> Vec<SentMessage> {
        self.messages.clone()
    }

    pub fn clear(&mut self) {
        self.messages.clear();
        self.by_sid.clear();
    }

    /// `SM` and 32 random hex digits, unique in this store.
    fn new_sid(&self) -> String {
        let mut rng = rand::rng();
        loop {
            let sid = format!("SM{:032x}", rng.random::<u128>());
            if !self.by_sid.contains_key(&sid) {
                return sid;
            }
        }
    }
}

/// A message in Twilio's JSON shape (the fields a real answer has, `price` unknown until sent).
pub(crate) fn render(message: &SentMessage, account_sid: &str) -> Value {
    let uri = format!("/2010-04-01/Accounts/{account_sid}/Messages/{}", message.sid);
    json!({
        "account_sid": account_sid,
        "api_version": "2010-04-01",
        "body": message.body,
        "date_created": message.date_created.to_rfc2822(),
        "date_sent": message.date_sent.map(|d| d.to_rfc2822()),
        "date_updated": message.date_sent.unwrap_or(message.date_created).to_rfc2822(),
        "direction": "outbound-api",
        "error_code": null,
        "error_message": null,
        "from": message.from,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": "0",
        "num_segments": message.num_segments.to_string(),
        "price": null,
        "price_unit": "USD",
        "sid": message.sid,
        "status": message.status.as_str(),
        "subresource_uris": {"media": format!("{uri}/Media.json")},
        "to": message.to,
        "uri": format!("{uri}.json"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::is_sid;

    fn accepted(sender: Sender) -> Accepted {
        Accepted {
            to: "+15558675310".into(),
            sender,
            body: "Room ready".into(),
            status_callback: None,
        }
    }

    #[test]
    fn created_messages_get_sids_and_deliveries_advance_them() {
        let mut store = Store::default();
        let queued = store.create(accepted(Sender::Number("+15005550006".into())));
        assert!(is_sid(&queued.sid, "SM"), "{}", queued.sid);
        assert_eq!(queued.status, MessageStatus::Queued);
        let service = Sender::Service("MGdec0de00000000000000000000c0ffee".into());
        let pooled = store.create(accepted(service));
        assert_eq!(
            (pooled.status, pooled.from.as_deref()),
            (MessageStatus::Accepted, None)
        );
        store.deliver(&pooled.sid, "+15005550006");
        let delivered = store.get(&pooled.sid).expect("stored");
        assert_eq!(delivered.status, MessageStatus::Delivered);
        assert_eq!(delivered.from.as_deref(), Some("+15005550006"));
        assert_ne!(queued.sid, pooled.sid);
        assert_eq!(store.all().len(), 2);
    }

    #[test]
    fn rendering_has_twilios_fields() {
        let mut store = Store::default();
        let message = store.create(accepted(Sender::Number("+15005550006".into())));
        let json = render(&message, "ACdec0de00000000000000000000c0ffee");
        assert_eq!(json["status"], "queued");
        assert_eq!(json["num_segments"], "1");
        assert!(json["date_sent"].is_null());
        assert!(
            json["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with(&format!("{}.json", message.sid)))
        );
    }
}
