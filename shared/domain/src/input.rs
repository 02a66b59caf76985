//! Input types that parse rather than validate.
//!
//! A value of one of these types is valid by construction: tools receive `Email`, not a string that
//! some code hopefully checked. Each deserialises through its parser, so a bad value in a request is
//! rejected at the edge with a message naming the rule it broke, and each describes itself in JSON
//! Schema (format or pattern) so agents see the rule before they call.

use crate::error::ToolError;
use chrono::NaiveDate;
use std::borrow::Cow;

/// Implements `Deserialize` (through `parse`), `Serialize`, `Display`, `AsRef<str>` and `JsonSchema`
/// for a string newtype.
macro_rules! parsed_string {
    ($name:ident, $schema:tt) => {
        impl $name {
            /// The value as a string.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <Cow<'de, str>>::deserialize(deserializer)?;
                $name::parse(&raw).map_err(|e| serde::de::Error::custom(e.message))
            }
        }
        impl schemars::JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!($schema)
            }
        }
    };
}

mod record_id;
pub use record_id::RecordId;

/// An email address, trimmed and lower-cased (Salesforce matches emails case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses an email address: one `@`, a non-empty local part, a domain with a dot, no spaces or
    /// control characters, at most 80 characters (Salesforce's Email field).
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim().to_lowercase();
        let invalid = |why: &str| {
            ToolError::validation(format!("'{}' is not a valid email address: {why}", raw.trim()))
        };
        if value.is_empty() {
            return Err(invalid("it is empty"));
        }
        if value.chars().count() > 80 {
            return Err(invalid("it is longer than 80 characters"));
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("it contains spaces or control characters"));
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err(invalid("it has no '@'"));
        };
        if local.is_empty() || domain.contains('@') {
            return Err(invalid("it needs exactly one '@' with a name before it"));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 || labels.iter().any(|label| label.is_empty()) {
            return Err(invalid("the domain after '@' needs a dot, like example.com"));
        }
        Ok(Email(value))
    }
}
parsed_string!(Email, { "type": "string", "format": "email", "maxLength": 80 });

/// A room number as guests see it (`Room_Number__c`, Text(5)), e.g. `101`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoomNumber(String);

impl RoomNumber {
    /// Parses 1 to 5 letters, digits or dashes.
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim();
        let valid = (1..=5).contains(&value.chars().count())
            && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !valid {
            return Err(ToolError::validation(format!(
                "'{value}' is not a valid room number: use 1 to 5 letters or digits, like 101"
            )));
        }
        Ok(RoomNumber(value.to_ascii_uppercase()))
    }
}
parsed_string!(RoomNumber, { "type": "string", "pattern": "^[A-Za-z0-9-]{1,5}$", "examples": ["101"] });

/// A room device, named by its Home Assistant entity id: `<kind>.<name>`, the kind one of
/// `light`, `climate` (the thermostat) or `cover` (the blinds), e.g. `light.room_101_main`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeviceId(String);

impl DeviceId {
    /// The kinds of device a room has, as Home Assistant names their domains.
    pub const KINDS: [&'static str; 3] = ["light", "climate", "cover"];

    /// Parses `<kind>.<name>`: a kind of [`DeviceId::KINDS`], a name of 1 to 64 lowercase letters,
    /// digits and underscores (Home Assistant's object ids). Case is folded, spaces trimmed.
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim().to_ascii_lowercase();
        let valid = value.split_once('.').is_some_and(|(kind, name)| {
            Self::KINDS.contains(&kind)
                && (1..=64).contains(&name.len())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        });
        if !valid {
            return Err(ToolError::validation(format!(
                "'{}' is not a device id: use light.<name>, climate.<name> or cover.<name>, like \
                 light.room_101_main, as the room's device list names them",
                raw.trim()
            )));
        }
        Ok(DeviceId(value))
    }

    /// The kind: `light`, `climate` or `cover`.
    pub fn kind(&self) -> &str {
        self.0.split_once('.').map_or("", |(kind, _)| kind)
    }

    /// The name after the kind, e.g. `room_101_main`.
    pub fn name(&self) -> &str {
        self.0.split_once('.').map_or("", |(_, name)| name)
    }
}
parsed_string!(DeviceId, {
    "type": "string",
    "pattern": "^(light|climate|cover)\\.[a-z0-9_]{1,64}$",
    "examples": ["light.room_101_main"]
});

/// A device of one kind, for a tool that commands only that kind: its schema names the kind, so a
/// light's id sent to the thermostat tool is refused by the schema, before anything is asked.
macro_rules! device_of_kind {
    ($name:ident, $kind:literal, $what:literal, $pattern:literal, $example:literal) => {
        #[doc = concat!("A ", $what, "'s device id, `", $kind, ".<name>`, e.g. `", $example, "`.")]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// Parses a device id (see [`DeviceId::parse`]) of this kind.
            pub fn parse(raw: &str) -> Result<Self, ToolError> {
                let id = DeviceId::parse(raw)?;
                if id.kind() != $kind {
                    return Err(ToolError::validation(format!(
                        "'{}' is not a {}: use {}.<name>, like {}",
                        raw.trim(),
                        $what,
                        $kind,
                        $example
                    )));
                }
                Ok($name(id.0))
            }

            /// The device id.
            pub fn device(&self) -> DeviceId {
                DeviceId(self.0.clone())
            }
        }
        parsed_string!($name, { "type": "string", "pattern": $pattern, "examples": [$example] });
    };
}

device_of_kind!(
    LightId,
    "light",
    "light",
    "^light\\.[a-z0-9_]{1,64}$",
    "light.room_101_main"
);
device_of_kind!(
    ThermostatId,
    "climate",
    "thermostat",
    "^climate\\.[a-z0-9_]{1,64}$",
    "climate.room_101"
);
device_of_kind!(
    BlindsId,
    "cover",
    "blinds",
    "^cover\\.[a-z0-9_]{1,64}$",
    "cover.room_101_blinds"
);

/// A booking number, the AutoNumber `Name` of `Booking__c`, e.g. `BK-0042`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BookingNumber(String);

impl BookingNumber {
    /// Parses `BK-` followed by at least four digits (case-insensitive prefix).
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim().to_ascii_uppercase();
        let digits = value.strip_prefix("BK-").unwrap_or("");
        if digits.len() < 4 || digits.len() > 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(ToolError::validation(format!(
                "'{}' is not a valid booking number: expected BK- and digits, like BK-0042",
                raw.trim()
            )));
        }
        Ok(BookingNumber(value))
    }
}
parsed_string!(BookingNumber, { "type": "string", "pattern": "^[Bb][Kk]-[0-9]{4,10}$", "examples": ["BK-0042"] });

/// A client-chosen token that makes a request idempotent (and keys Cases' `External_ID__c`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyToken(String);

impl IdempotencyToken {
    /// Parses 1 to 255 letters, digits, `-`, `_`, `.` or `:` (a UUID fits).
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim();
        if !is_key_text(value) {
            return Err(ToolError::validation(
                "idempotency_token must be 1 to 255 letters, digits, '-', '_', '.' or ':' (a UUID works); \
                 reuse the same token when retrying the same request",
            ));
        }
        Ok(IdempotencyToken(value.to_owned()))
    }
}
parsed_string!(IdempotencyToken, { "type": "string", "pattern": "^[A-Za-z0-9._:-]{1,255}$" });

/// Whether `value` can key a record by external id: 1 to 255 letters, digits, `-`, `_`, `.` or `:`,
/// with at least one letter or digit (a value of dots alone would be folded away in a URL path).
fn is_key_text(value: &str) -> bool {
    (1..=255).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        && value.chars().any(|c| c.is_ascii_alphanumeric())
}

/// A record's external id chosen by the client, e.g. a booking's `External_ID__c` (a UUID).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternalId(String);

impl ExternalId {
    /// Parses 1 to 255 letters, digits, `-`, `_`, `.` or `:` (a UUID fits).
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim();
        if !is_key_text(value) {
            return Err(ToolError::validation(format!(
                "'{value}' is not a valid external id: use 1 to 255 letters, digits, '-', '_', '.' or ':' \
                 (a UUID works)"
            )));
        }
        Ok(ExternalId(value.to_owned()))
    }
}
parsed_string!(ExternalId, { "type": "string", "pattern": "^[A-Za-z0-9._:-]{1,255}$" });

/// What [`Text`] accepts, as a JSON Schema pattern: no control character (Unicode Cc) but line
/// breaks and tabs, and at least one character that is neither a control nor white space (the
/// text is trimmed, and must not be empty then).
pub const TEXT_PATTERN: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*\
                            [^\\s\\u0000-\\u001F\\u007F-\\u009F]\
                            [^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

/// Free text for a Salesforce text field: trimmed, not empty, at most `MAX` characters, and no
/// control characters other than line breaks and tabs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    /// Parses text of 1 to `MAX` characters (after trimming).
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim();
        let length = value.chars().count();
        if length == 0 || length > MAX {
            return Err(ToolError::validation(format!(
                "the text must be 1 to {MAX} characters long (it has {length})"
            )));
        }
        if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(ToolError::validation(
                "the text contains control characters; only line breaks and tabs are allowed",
            ));
        }
        Ok(Text(value.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> std::fmt::Display for Text<MAX> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<const MAX: usize> serde::Serialize for Text<MAX> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de, const MAX: usize> serde::Deserialize<'de> for Text<MAX> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Cow<'de, str>>::deserialize(deserializer)?;
        Text::parse(&raw).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl<const MAX: usize> schemars::JsonSchema for Text<MAX> {
    fn schema_name() -> Cow<'static, str> {
        format!("Text{MAX}").into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "maxLength": MAX,
            "pattern": TEXT_PATTERN,
        })
    }
}

/// A calendar date in ISO form, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoDate(NaiveDate);

impl IsoDate {
    /// Parses exactly `YYYY-MM-DD` (a real calendar date).
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim();
        let shaped = value.len() == 10 && value.as_bytes()[4] == b'-' && value.as_bytes()[7] == b'-';
        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(date) if shaped => Ok(IsoDate(date)),
            _ => Err(ToolError::validation(format!(
                "'{value}' is not a valid date: use YYYY-MM-DD, like 2026-11-23"
            ))),
        }
    }

    /// The date.
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl From<NaiveDate> for IsoDate {
    fn from(date: NaiveDate) -> Self {
        IsoDate(date)
    }
}

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl serde::Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for IsoDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Cow<'de, str>>::deserialize(deserializer)?;
        IsoDate::parse(&raw).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl schemars::JsonSchema for IsoDate {
    fn schema_name() -> Cow<'static, str> {
        "IsoDate".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_are_normalised_and_bad_ones_say_why() {
        assert_eq!(
            Email::parse("  Kay@Example.COM ").unwrap().as_str(),
            "kay@example.com"
        );
        for bad in [
            "",
            "kay",
            "kay@",
            "@example.com",
            "kay@example",
            "kay@@example.com",
            "k ay@example.com",
            "kay@example..com",
        ] {
            let error = Email::parse(bad).unwrap_err();
            assert_eq!(error.http_status(), 400, "{bad}");
            assert!(
                error.message.contains("not a valid email"),
                "{bad}: {}",
                error.message
            );
        }
    }

    #[test]
    fn dates_must_be_real_and_iso() {
        assert_eq!(IsoDate::parse("2026-11-23").unwrap().to_string(), "2026-11-23");
        for bad in [
            "2026-02-30",
            "23/11/2026",
            "2026-1-5",
            "2026-11-23T10:00:00",
            "today",
            "",
        ] {
            assert!(IsoDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn room_and_booking_numbers_have_their_shapes() {
        assert_eq!(RoomNumber::parse(" 101 ").unwrap().as_str(), "101");
        assert!(RoomNumber::parse("101101").is_err());
        assert!(RoomNumber::parse("10'1").is_err());
        assert_eq!(BookingNumber::parse("bk-0042").unwrap().as_str(), "BK-0042");
        for bad in ["BK-42", "0042", "BK-00A2", "BK-"] {
            assert!(BookingNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_accept_uuids_and_refuse_spaces_and_quotes() {
        assert!(IdempotencyToken::parse("7f1c2a9e-4b1d-4e4e-9a39-0c7f3b1f5e21").is_ok());
        assert!(IdempotencyToken::parse("a b").is_err());
        assert!(IdempotencyToken::parse("a'b").is_err());
        assert!(IdempotencyToken::parse(&"a".repeat(256)).is_err());
        assert!(
            IdempotencyToken::parse("..").is_err(),
            "a URL path would fold it away"
        );
        assert_eq!(
            ExternalId::parse(" seed-booking-kay-1 ").unwrap().as_str(),
            "seed-booking-kay-1"
        );
        assert!(ExternalId::parse("a/b").is_err());
    }

    #[test]
    fn text_is_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(Text::<5>::parse(" hello ").unwrap().as_str(), "hello");
        assert_eq!(Text::<10>::parse("two\nlines").unwrap().as_str(), "two\nlines");
        assert!(Text::<5>::parse("hello!").is_err());
        assert!(Text::<5>::parse("   ").is_err());
        assert!(Text::<5>::parse("a\u{0}b").is_err());
        assert_eq!(
            Text::<3>::parse("ééé").unwrap().as_str(),
            "ééé",
            "characters, not bytes"
        );
    }

    #[test]
    fn deserialising_runs_the_parser() {
        let error = serde_json::from_str::<Email>("\"nope\"").unwrap_err();
        assert!(error.to_string().contains("not a valid email"));
        let date: IsoDate = serde_json::from_str("\"2026-11-23\"").unwrap();
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2026-11-23\"");
    }

    proptest! {
        /// Parsing never panics, and whatever parses re-parses to itself (normal form is stable).
        #[test]
        fn parsers_are_total_and_idempotent(raw in any::<String>()) {
            if let Ok(email) = Email::parse(&raw) {
                prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email);
            }
            if let Ok(room) = RoomNumber::parse(&raw) {
                prop_assert_eq!(RoomNumber::parse(room.as_str()).unwrap(), room);
            }
            if let Ok(token) = IdempotencyToken::parse(&raw) {
                prop_assert_eq!(IdempotencyToken::parse(token.as_str()).unwrap(), token);
            }
            if let Ok(text) = Text::<40>::parse(&raw) {
                prop_assert_eq!(Text::<40>::parse(text.as_str()).unwrap(), text);
            }
            let _ = IsoDate::parse(&raw);
            let _ = BookingNumber::parse(&raw);
            let _ = RecordId::parse(&raw);
            let _ = ExternalId::parse(&raw);
        }

        /// Every text the published schema's pattern allows, the parser accepts: a client that
        /// validates against the schema is never refused for its text.
        #[test]
        fn text_the_schema_allows_parses(
            raw in proptest::string::string_regex(&TEXT_PATTERN[1..TEXT_PATTERN.len() - 1]).unwrap()
        ) {
            prop_assume!(raw.chars().count() <= 1000);
            prop_assert!(Text::<1000>::parse(&raw).is_ok(), "{:?}", raw);
        }
    }
}
