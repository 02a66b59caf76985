//! The inputs the searches share: a bounded whole number (the result limit, a floor) and the
//! text of a "contains" search. Each parses at the edge, so a bad value is a 400 naming the rule
//! before Salesforce is asked.

use dewy_domain::ToolError;
use dewy_domain::input::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A whole number from `MIN` to `MAX`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Bounded<const MIN: u32, const MAX: u32>(u32);

impl<const MIN: u32, const MAX: u32> Bounded<MIN, MAX> {
    /// The number, if it is within the bounds.
    pub fn parse(value: u32) -> Result<Self, ToolError> {
        if (MIN..=MAX).contains(&value) {
            Ok(Bounded(value))
        } else {
            Err(ToolError::validation(format!(
                "{value} is out of range: use a whole number from {MIN} to {MAX}"
            )))
        }
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl<'de, const MIN: u32, const MAX: u32> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Wider than u32, so that -1 or 10^10 get the range message rather than a type error.
        let value = i64::deserialize(deserializer)?;
        u32::try_from(value)
            .map_err(|_| ToolError::validation(format!("{value} is out of range: use {MIN} to {MAX}")))
            .and_then(Self::parse)
            .map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl<const MIN: u32, const MAX: u32> JsonSchema for Bounded<MIN, MAX> {
    fn schema_name() -> Cow<'static, str> {
        format!("Integer{MIN}To{MAX}").into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "minimum": MIN, "maximum": MAX })
    }
}

/// How many results a search returns at most. Bounded so that one search is one page of one
/// Salesforce query (a page holds up to 2,000 records), whatever the caller asks for.
pub type Limit = Bounded<1, 200>;

/// A hotel floor (the seed has floors 1 and 2; the original's hint says 1 to 10, 99 leaves room).
pub type Floor = Bounded<1, 99>;

/// The limit asked for, or the search's default.
pub fn limit_or(limit: Option<Limit>, default: u32) -> u32 {
    limit.map_or(default, Limit::get)
}

/// The text of a "name or email contains" search: trimmed, 2 to 80 characters. One character
/// would match most of the hotel's contacts, which is a listing, not a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SearchText(String);

impl SearchText {
    /// Parses 2 to 80 characters (after trimming), without control characters.
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let text = Text::<80>::parse(raw)?;
        if text.as_str().chars().count() < 2 {
            return Err(ToolError::validation(
                "the search text must be at least 2 characters long",
            ));
        }
        Ok(SearchText(text.as_str().to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for SearchText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Cow<'de, str>>::deserialize(deserializer)?;
        SearchText::parse(&raw).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl JsonSchema for SearchText {
    fn schema_name() -> Cow<'static, str> {
        "SearchText".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "minLength": 2, "maxLength": 80 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_bounded_and_say_so() {
        let parse = |v: serde_json::Value| serde_json::from_value::<Limit>(v);
        assert_eq!(parse(serde_json::json!(1)).unwrap().get(), 1);
        assert_eq!(parse(serde_json::json!(200)).unwrap().get(), 200);
        for bad in [0_i64, 201, -1, 10_000_000_000] {
            let error = parse(serde_json::json!(bad)).unwrap_err().to_string();
            assert!(error.contains("1 to 200"), "{bad}: {error}");
        }
        assert!(parse(serde_json::json!("5")).is_err());
        assert_eq!(limit_or(None, 20), 20);
    }

    #[test]
    fn search_text_needs_two_characters() {
        assert_eq!(SearchText::parse("  ka ").unwrap().as_str(), "ka");
        assert!(SearchText::parse(" k ").is_err());
        assert!(SearchText::parse(&"x".repeat(81)).is_err());
        assert!(SearchText::parse("a\u{0}b").is_err());
    }
}
