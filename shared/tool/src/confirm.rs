//! A person confirms a money move (docs/confirmations.md).
//!
//! A tool that charges or refunds describes what it is about to do as a [`MoneyMove`] (the amount,
//! the card, the stay) and calls [`Context::confirm`] right before the money moves, after every
//! check and read. What happens then depends on the call's [`Confirmation`], which the MCP adapter
//! sets: REST callers confirm in their own interface, so for them nothing is asked; an MCP client
//! that can ask its person gets `428 CONFIRMATION_REQUIRED` with the move, which the adapter turns
//! into a question to the person; the retry carries the digest of what the person accepted, and
//! runs only if the move is still exactly that.

use crate::context::Context;
use dewy_domain::{ErrorCode, ToolError};
use serde::Serialize;
use serde_json::json;
use std::future::Future;

/// The header through which the MCP adapter tells a tool function how the call stands on
/// confirmation. Honoured only on the adapter's own invocations: any HTTP caller could send it.
pub const CONFIRMATION_HEADER: &str = "dewy-confirmation";

/// How a call stands on a person's confirmation of the money it moves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Confirmation {
    /// Nobody is asked here: a REST caller, whose interface confirms (as the portal does).
    #[default]
    NotAsked,
    /// The client can ask its person: a money move answers `428 CONFIRMATION_REQUIRED` first.
    Ask,
    /// The person accepted the move whose [`MoneyMove::digest`] this is.
    Accepted(String),
    /// The client cannot ask its person and the deployment allows the move anyway: it runs, with
    /// an audit event saying nobody confirmed it.
    Unconfirmed,
}

impl Confirmation {
    /// The header value that carries it to a tool function; none for [`Confirmation::NotAsked`].
    pub fn header_value(&self) -> Option<String> {
        match self {
            Confirmation::NotAsked => None,
            Confirmation::Ask => Some("ask".to_owned()),
            Confirmation::Accepted(digest) => Some(format!("accepted:{digest}")),
            Confirmation::Unconfirmed => Some("unconfirmed".to_owned()),
        }
    }

    /// The confirmation a header value carries; anything unknown asks (the safe reading).
    pub fn from_header_value(value: &str) -> Confirmation {
        match value.trim() {
            "unconfirmed" => Confirmation::Unconfirmed,
            other => match other.strip_prefix("accepted:") {
                Some(digest) if !digest.is_empty() => Confirmation::Accepted(digest.to_owned()),
                _ => Confirmation::Ask,
            },
        }
    }

    /// The confirmation `headers` carry, for a call from the MCP adapter; for any other caller
    /// [`Confirmation::NotAsked`], whatever the headers say.
    pub fn from_headers(headers: &http::HeaderMap, from_adapter: bool) -> Confirmation {
        if !from_adapter {
            return Confirmation::NotAsked;
        }
        headers
            .get(CONFIRMATION_HEADER)
            .and_then(|value| value.to_str().ok())
            .map_or(Confirmation::NotAsked, Confirmation::from_header_value)
    }
}

/// Whether money goes to the hotel or back to the guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MoneyDirection {
    /// The guest's card is charged.
    Charge,
    /// A payment is refunded to the guest's card.
    Refund,
}

/// The card as a person recognises it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    /// The card's brand, as Stripe names it (`visa`, `mastercard`, …).
    pub brand: String,
    /// The card number's last four digits.
    pub last4: String,
}

/// The stay a money move is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StayRef {
    /// The booking, e.g. BK-0042.
    pub booking_number: String,
    /// Its room, when known.
    pub room_number: Option<String>,
    /// Arrival and departure (YYYY-MM-DD), when known.
    pub check_in_date: Option<String>,
    pub check_out_date: Option<String>,
    /// The guest's name, when known.
    pub guest_name: Option<String>,
}

/// What a person confirms: a charge or a refund of an amount, on a card, for a stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoneyMove {
    /// Charge or refund.
    pub direction: MoneyDirection,
    /// The amount, in the currency's smallest unit (cents).
    pub amount: u64,
    /// The currency, e.g. `usd`.
    pub currency: String,
    /// The card, when Stripe has one on the payment.
    pub card: Option<Card>,
    /// The stay, when the payment names one.
    pub stay: Option<StayRef>,
}

impl MoneyMove {
    /// A digest of the move: what an acceptance names, so a move that changed since the person
    /// saw it (another night on the bill, another card) is asked again.
    pub fn digest(&self) -> String {
        dewy_idempotency::payload_hash(&serde_json::to_value(self).unwrap_or_default())
    }

    /// The question put to the person, e.g. "Charge $149.00 to Visa •••• 4242 for booking BK-0042,
    /// room 105, 2026-12-01 to 2026-12-03 (Kay Nakamura)?".
    pub fn question(&self) -> String {
        let amount = money(self.amount, &self.currency);
        let verb = match self.direction {
            MoneyDirection::Charge => "Charge",
            MoneyDirection::Refund => "Refund",
        };
        let card = match &self.card {
            Some(card) => format!("{} •••• {}", capitalised(&card.brand), card.last4),
            None => "the card on the payment".to_owned(),
        };
        let stay = self.stay.as_ref().map_or(String::new(), |stay| {
            let mut text = format!(" for booking {}", stay.booking_number);
            if let Some(room) = &stay.room_number {
                text.push_str(&format!(", room {room}"));
            }
            if let (Some(arrive), Some(leave)) = (&stay.check_in_date, &stay.check_out_date) {
                text.push_str(&format!(", {arrive} to {leave}"));
            }
            if let Some(guest) = &stay.guest_name {
                text.push_str(&format!(" ({guest})"));
            }
            text
        });
        format!("{verb} {amount} to {card}{stay}?")
    }
}

/// `14900`, `usd` → `$149.00`; another currency by its code (`149.00 EUR`).
pub fn money(cents: u64, currency: &str) -> String {
    let units = format!("{}.{:02}", cents / 100, cents % 100);
    if currency.eq_ignore_ascii_case("usd") {
        format!("${units}")
    } else {
        format!("{units} {}", currency.to_ascii_uppercase())
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Context {
    /// Whether the money a tool is about to move may move now, called right before it does, after
    /// every check: yes for a REST caller; for an MCP client that can ask its person, only once
    /// they accepted exactly this move (otherwise `428 CONFIRMATION_REQUIRED` carrying it, and
    /// nothing has moved); for one that cannot, yes when the deployment allows it, recorded on the
    /// audit trail as unconfirmed. `describe` says what the move is (the amount, the card, the
    /// stay); it runs, and may read Stripe, only when a person is asked.
    pub async fn confirm<F, Fut>(&self, describe: F) -> Result<(), ToolError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<MoneyMove, ToolError>>,
    {
        let accepted = match self.confirmation() {
            Confirmation::NotAsked => return Ok(()),
            Confirmation::Unconfirmed => {
                self.audit().passed("money_move_unconfirmed", None);
                return Ok(());
            }
            Confirmation::Ask => None,
            Confirmation::Accepted(digest) => Some(digest),
        };
        let money = describe().await?;
        if accepted.is_some_and(|digest| *digest == money.digest()) {
            self.audit().passed("person_confirmed", None);
            return Ok(());
        }
        let ask = ToolError::new(
            ErrorCode::ConfirmationRequired,
            format!("A person must confirm this first: {}", money.question()),
        )
        .with_details(json!({
            "question": money.question(),
            "money_move": money,
            "digest": money.digest(),
        }));
        self.audit().check("person_confirmed", Err(ask))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn charge() -> MoneyMove {
        MoneyMove {
            direction: MoneyDirection::Charge,
            amount: 14_900,
            currency: "usd".into(),
            card: Some(Card {
                brand: "visa".into(),
                last4: "4242".into(),
            }),
            stay: Some(StayRef {
                booking_number: "BK-0042".into(),
                room_number: Some("105".into()),
                check_in_date: Some("2026-12-01".into()),
                check_out_date: Some("2026-12-03".into()),
                guest_name: Some("Kay Nakamura".into()),
            }),
        }
    }

    #[test]
    fn the_question_names_the_amount_the_card_and_the_stay() {
        assert_eq!(
            charge().question(),
            "Charge $149.00 to Visa •••• 4242 for booking BK-0042, room 105, 2026-12-01 to 2026-12-03 \
             (Kay Nakamura)?"
        );
        let refund = MoneyMove {
            direction: MoneyDirection::Refund,
            card: None,
            stay: None,
            currency: "eur".into(),
            ..charge()
        };
        assert_eq!(refund.question(), "Refund 149.00 EUR to the card on the payment?");
    }

    #[test]
    fn the_header_round_trips_and_only_the_adapter_is_heard() {
        for confirmation in [
            Confirmation::Ask,
            Confirmation::Accepted("abc".into()),
            Confirmation::Unconfirmed,
        ] {
            let value = confirmation.header_value().unwrap();
            assert_eq!(Confirmation::from_header_value(&value), confirmation);
        }
        assert_eq!(Confirmation::NotAsked.header_value(), None);
        assert_eq!(Confirmation::from_header_value("accepted:"), Confirmation::Ask);
        assert_eq!(Confirmation::from_header_value("yes please"), Confirmation::Ask);
        let mut headers = http::HeaderMap::new();
        headers.insert(CONFIRMATION_HEADER, "unconfirmed".parse().unwrap());
        assert_eq!(
            Confirmation::from_headers(&headers, false),
            Confirmation::NotAsked
        );
        assert_eq!(
            Confirmation::from_headers(&headers, true),
            Confirmation::Unconfirmed
        );
    }

    #[test]
    fn another_amount_or_card_is_another_digest() {
        let other_amount = MoneyMove {
            amount: 15_000,
            ..charge()
        };
        let other_card = MoneyMove {
            card: Some(Card {
                brand: "visa".into(),
                last4: "0002".into(),
            }),
            ..charge()
        };
        assert_eq!(charge().digest(), charge().digest());
        assert_ne!(charge().digest(), other_amount.digest());
        assert_ne!(charge().digest(), other_card.digest());
    }
}
