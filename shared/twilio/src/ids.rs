//! Twilio's resource ids (SIDs): two capital letters naming the kind of resource, then 32 hex digits.
//!
//! They are checked once, when parsed, so that a value reaching a URL path or the basic-auth user is
//! known to be harmless there, and a mistyped configuration fails at start-up, not at the first SMS.

/// A value that is not what it claims to be. It names the kind of value and the reason, never the
/// value itself: the value may be a phone number, which is personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {reason}")]
pub struct ParseError {
    /// What was being parsed, e.g. `account SID`.
    pub what: &'static str,
    /// Why it was refused.
    pub reason: &'static str,
}

/// The hex digits after the two-letter prefix.
const SID_DIGITS: usize = 32;

/// Checks `value` is one of `prefixes` followed by 32 hex digits.
fn check_sid(value: &str, prefixes: &[&str], what: &'static str) -> Result<(), ParseError> {
    let error = |reason| ParseError { what, reason };
    let Some(digits) = prefixes.iter().find_map(|p| value.strip_prefix(p)) else {
        return Err(error("wrong prefix for this kind of SID"));
    };
    if digits.len() != SID_DIGITS {
        return Err(error("a SID has 32 hex digits after its prefix"));
    }
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(error("a SID has only hex digits after its prefix"));
    }
    Ok(())
}

/// Declares a SID newtype: parsed with `parse`, shown as itself, usable as `&str`.
macro_rules! sid {
    ($(#[$doc:meta])* $name:ident, $what:literal, [$($prefix:literal),+]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Parses a SID, refusing any other shape.
            pub fn parse(value: &str) -> Result<Self, ParseError> {
                check_sid(value, &[$($prefix),+], $what)?;
                Ok(Self(value.to_owned()))
            }

            /// The SID as sent to Twilio.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = ParseError;
            fn from_str(value: &str) -> Result<Self, ParseError> {
                Self::parse(value)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Self::parse(&value).map_err(serde::de::Error::custom)
            }
        }
    };
}

sid!(
    /// An account SID (`AC…`): the account whose resources a request addresses (the URL path), and
    /// the basic-auth user when authenticating with the account's auth token.
    AccountSid, "account SID", ["AC"]
);

sid!(
    /// An API key SID (`SK…`): the basic-auth user when authenticating with an API key.
    ApiKeySid, "API key SID", ["SK"]
);

sid!(
    /// A Messaging Service SID (`MG…`): a sender pool Twilio picks the `From` number from.
    MessagingServiceSid, "Messaging Service SID", ["MG"]
);

sid!(
    /// A message SID: `SM…` for an SMS, `MM…` for an MMS.
    MessageSid, "message SID", ["SM", "MM"]
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_need_their_prefix_and_32_hex_digits() {
        let hex = "0123456789abcdef0123456789ABCDEF";
        assert!(AccountSid::parse(&format!("AC{hex}")).is_ok());
        assert!(MessageSid::parse(&format!("SM{hex}")).is_ok());
        assert!(MessageSid::parse(&format!("MM{hex}")).is_ok());
        let wrong_prefix = AccountSid::parse(&format!("SM{hex}")).expect_err("prefix");
        assert_eq!(wrong_prefix.what, "account SID");
        assert!(AccountSid::parse(&format!("AC{}", &hex[1..])).is_err());
        assert!(AccountSid::parse("ACdewy0000000000000000000000000000").is_err());
        // A path separator never gets through to a URL.
        assert!(MessageSid::parse("SM0123456789abcdef0123456789abc/..").is_err());
    }

    #[test]
    fn sids_deserialize_through_parse() {
        let ok: Result<MessagingServiceSid, _> =
            serde_json::from_str("\"MG0123456789abcdef0123456789abcdef\"");
        assert!(ok.is_ok());
        let bad: Result<MessagingServiceSid, _> = serde_json::from_str("\"MG12\"");
        assert!(bad.is_err());
    }
}
