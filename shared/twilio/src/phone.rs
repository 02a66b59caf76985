//! [`E164`]: a phone number in the international form Twilio requires.

use crate::ParseError;

/// A phone number in E.164 form: `+`, a country code, the national number; 8 to 15 digits in all.
///
/// [`E164::parse`] accepts the separators people and CRMs write numbers with (spaces, `-`, `.`, `(`,
/// `)`) and drops them; it refuses a number without `+`, because without a country code there is no
/// way to know which country it is in (guessing would text a stranger).
///
/// `Debug` shows only the last four digits, so a number that ends up in a log through `{:?}` is not
/// leaked whole; `Display` and [`E164::as_str`] give the full number for the request itself.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct E164(String);

impl E164 {
    /// The fewest digits accepted (short national numbers with a country code).
    pub const MIN_DIGITS: usize = 8;
    /// The most digits E.164 allows.
    pub const MAX_DIGITS: usize = 15;

    /// Parses a phone number, dropping spaces, `-`, `.`, `(` and `)`.
    pub fn parse(input: &str) -> Result<E164, ParseError> {
        let error = |reason| ParseError {
            what: "phone number",
            reason,
        };
        let compact: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        let Some(digits) = compact.strip_prefix('+') else {
            return Err(error("it must start with + and the country code"));
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error("only digits may follow the +"));
        }
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits.len()) {
            return Err(error("it must have 8 to 15 digits"));
        }
        if digits.starts_with('0') {
            return Err(error("no country code starts with 0"));
        }
        Ok(E164(compact))
    }

    /// The number as Twilio expects it, e.g. `+15005550006`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but its last four digits hidden, e.g. `+*******0006`, for logs.
    pub fn redacted(&self) -> String {
        let digits = self.0.len() - 1;
        let shown = &self.0[self.0.len() - 4..];
        format!("+{}{shown}", "*".repeat(digits - 4))
    }
}

impl std::fmt::Debug for E164 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "E164({})", self.redacted())
    }
}

impl std::fmt::Display for E164 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for E164 {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for E164 {
    type Err = ParseError;
    fn from_str(input: &str) -> Result<E164, ParseError> {
        E164::parse(input)
    }
}

impl TryFrom<String> for E164 {
    type Error = ParseError;
    fn try_from(input: String) -> Result<E164, ParseError> {
        E164::parse(&input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatted_numbers_are_normalised() {
        let number = E164::parse(" +1 (500) 555-0006 ").expect("valid");
        assert_eq!(number.as_str(), "+15005550006");
        assert_eq!(
            E164::parse("+44.20.7946.0958").map(|n| n.to_string()).as_deref(),
            Ok("+442079460958")
        );
        assert!(E164::parse("+12345678").is_ok());
        assert!(E164::parse("+123456789012345").is_ok());
    }

    #[test]
    fn numbers_without_a_country_code_or_of_the_wrong_length_are_refused() {
        for bad in [
            "5005550006",
            "+1555",
            "+1234567890123456",
            "+0123456789",
            "+1500555000a",
            "++15005550006",
            "",
            "+",
        ] {
            assert!(E164::parse(bad).is_err(), "{bad}");
        }
        let error = E164::parse("5005550006").expect_err("no +");
        assert!(
            !error.to_string().contains("5005550006"),
            "never echoes the number"
        );
    }

    #[test]
    fn debug_hides_all_but_the_last_four_digits() {
        let number = E164::parse("+15005550006").expect("valid");
        assert_eq!(format!("{number:?}"), "E164(+*******0006)");
        assert_eq!(number.to_string(), "+15005550006");
    }
}
