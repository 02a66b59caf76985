//! SOQL literals and the one string escaper.

use chrono::{DateTime, NaiveDate, Utc};
use std::fmt::{self, Write};

/// A value on the right-hand side of a SOQL comparison.
///
/// Every value a query compares against is one of these, and each renders as a SOQL literal: strings
/// are quoted and escaped, numbers and dates are written in the forms SOQL accepts. There is no variant
/// that renders caller text verbatim, which is what keeps user input from changing a query's structure.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string literal, quoted and escaped (`'O\'Brien'`).
    String(String),
    /// A whole number.
    Integer(i64),
    /// A decimal number; only finite numbers can be built (see `TryFrom<f64>`).
    Decimal(FiniteF64),
    /// `true` / `false`.
    Bool(bool),
    /// A date literal, `2025-11-03`.
    Date(NaiveDate),
    /// A datetime literal in UTC, `2025-11-03T14:00:00Z`. SOQL datetime literals carry whole seconds,
    /// so any fraction of a second is dropped.
    DateTime(DateTime<Utc>),
    /// `null`.
    Null,
    /// The relative date literal `TODAY`.
    Today,
    /// The relative date literal `YESTERDAY`.
    Yesterday,
    /// The relative date literal `TOMORROW`.
    Tomorrow,
    /// `LAST_N_DAYS:n`.
    LastNDays(u32),
    /// `NEXT_N_DAYS:n`.
    NextNDays(u32),
}

/// An `f64` known to be finite: SOQL has no literal for NaN or infinity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FiniteF64(f64);

impl FiniteF64 {
    /// The number, if it is finite.
    pub fn new(value: f64) -> Option<Self> {
        value.is_finite().then_some(FiniteF64(value))
    }

    /// The number itself.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// The error of converting a NaN or infinite `f64` into a SOQL [`Value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("SOQL has no literal for a NaN or infinite number")]
pub struct NonFiniteNumber;

impl TryFrom<f64> for Value {
    type Error = NonFiniteNumber;

    fn try_from(value: f64) -> Result<Self, Self::Error> {
        FiniteF64::new(value).map(Value::Decimal).ok_or(NonFiniteNumber)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::String(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::String(value)
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Self {
        Value::String(value.clone())
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<NaiveDate> for Value {
    fn from(value: NaiveDate) -> Self {
        Value::Date(value)
    }
}

impl From<DateTime<Utc>> for Value {
    fn from(value: DateTime<Utc>) -> Self {
        Value::DateTime(value)
    }
}

macro_rules! integer_values {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(value: $t) -> Self {
                Value::Integer(i64::from(value))
            }
        }
    )*};
}
integer_values!(i8, i16, i32, i64, u8, u16, u32);

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(text) => {
                f.write_char('\'')?;
                write_escaped(f, text, false)?;
                f.write_char('\'')
            }
            Value::Integer(n) => write!(f, "{n}"),
            // Rust prints finite f64s without an exponent and with the shortest round-tripping digits,
            // which is exactly a SOQL decimal literal.
            Value::Decimal(n) => write!(f, "{}", n.get()),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Date(date) => write!(f, "{}", date.format("%Y-%m-%d")),
            Value::DateTime(at) => write!(f, "{}", at.format("%Y-%m-%dT%H:%M:%SZ")),
            Value::Null => f.write_str("null"),
            Value::Today => f.write_str("TODAY"),
            Value::Yesterday => f.write_str("YESTERDAY"),
            Value::Tomorrow => f.write_str("TOMORROW"),
            Value::LastNDays(n) => write!(f, "LAST_N_DAYS:{n}"),
            Value::NextNDays(n) => write!(f, "NEXT_N_DAYS:{n}"),
        }
    }
}

/// Escapes `text` for use inside a quoted SOQL string literal (without the quotes).
///
/// Salesforce's escape sequences: `\\`, `\'`, `\"`, `\n`, `\r`, `\t`, `\b`, `\f`. Every other
/// character, unicode and other control characters included, is legal raw inside quotes.
pub fn escape_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    // Writing to a String cannot fail.
    let _ = write_escaped(&mut out, text, false);
    out
}

/// Escapes `text` for use inside a quoted LIKE pattern: as [`escape_string`], and the wildcards `%` and
/// `_` become `\%` and `\_` so that the caller's text matches only itself.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let _ = write_escaped(&mut out, text, true);
    out
}

pub(crate) fn write_escaped(out: &mut impl Write, text: &str, like: bool) -> fmt::Result {
    for c in text.chars() {
        match c {
            '\\' => out.write_str("\\\\")?,
            '\'' => out.write_str("\\'")?,
            '"' => out.write_str("\\\"")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            '\u{8}' => out.write_str("\\b")?,
            '\u{c}' => out.write_str("\\f")?,
            '%' if like => out.write_str("\\%")?,
            '_' if like => out.write_str("\\_")?,
            other => out.write_char(other)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classic injection payloads stay inside their literal.
    #[test]
    fn quotes_and_backslashes_cannot_close_the_literal() {
        // GIVEN payloads that try to close the literal and add a condition
        // THEN every quote is escaped and a backslash cannot escape the escaping
        assert_eq!(Value::from("' OR Name != '").to_string(), r"'\' OR Name != \''");
        assert_eq!(Value::from(r"\' OR 1=1").to_string(), r"'\\\' OR 1=1'");
        assert_eq!(Value::from(r#"say "hi""#).to_string(), r#"'say \"hi\"'"#);
    }

    /// Control characters are written as their escape sequences; other characters stay raw.
    #[test]
    fn control_characters_use_escape_sequences() {
        assert_eq!(escape_string("a\nb\rc\td\u{8}e\u{c}f"), r"a\nb\rc\td\be\ff");
        assert_eq!(escape_string("café ☕ 100% _x_"), "café ☕ 100% _x_");
        assert_eq!(escape_string("\u{0}\u{7f}"), "\u{0}\u{7f}");
    }

    /// In LIKE patterns the wildcards are escaped too, after backslashes, so `\%` cannot be forged.
    #[test]
    fn like_escaping_neutralises_wildcards() {
        assert_eq!(escape_like("%"), r"\%");
        assert_eq!(escape_like("_"), r"\_");
        assert_eq!(escape_like(r"\%"), r"\\\%");
        assert_eq!(escape_like("it's 50%_off\n"), r"it\'s 50\%\_off\n");
    }

    /// Non-string values render as SOQL literals.
    #[test]
    fn values_render_as_soql_literals() {
        let date = NaiveDate::from_ymd_opt(2025, 11, 3).expect("valid date");
        let at = date
            .and_hms_milli_opt(14, 5, 6, 789)
            .expect("valid time")
            .and_utc();
        assert_eq!(Value::from(date).to_string(), "2025-11-03");
        assert_eq!(Value::from(at).to_string(), "2025-11-03T14:05:06Z");
        assert_eq!(Value::from(true).to_string(), "true");
        assert_eq!(Value::from(-42_i32).to_string(), "-42");
        assert_eq!(
            Value::try_from(149.99).map(|v| v.to_string()),
            Ok("149.99".to_owned())
        );
        assert_eq!(
            Value::try_from(1e21).map(|v| v.to_string()),
            Ok("1000000000000000000000".into())
        );
        assert_eq!(Value::try_from(f64::NAN), Err(NonFiniteNumber));
        assert_eq!(Value::try_from(f64::INFINITY), Err(NonFiniteNumber));
        assert_eq!(Value::Null.to_string(), "null");
        assert_eq!(Value::Today.to_string(), "TODAY");
        assert_eq!(Value::LastNDays(7).to_string(), "LAST_N_DAYS:7");
    }
}
