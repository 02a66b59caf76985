//! Salesforce record ids, checked the way Salesforce builds them.
//!
//! A record id has 15 case-sensitive letters and digits. Its 18-character form appends a
//! case-safe suffix computed from those 15, so an 18-character id whose suffix does not match is
//! not an id Salesforce ever gave out: a character was mistyped, invented or changed case. Such an
//! id is refused here, with a message the caller can act on, rather than sent to Salesforce, which
//! refuses it as a malformed query or id that would surface as a server error.

use crate::error::ToolError;
use std::borrow::Cow;

/// A Salesforce record id, as another tool returned it: 15 letters and digits, or 18 whose last 3
/// are the case-safe suffix of the first 15.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordId(String);

impl RecordId {
    /// Parses the 15-character or the 18-character form of a record id. The suffix of the 18-character
    /// form may come in any case; it is kept upper case, as Salesforce writes it.
    pub fn parse(raw: &str) -> Result<Self, ToolError> {
        let value = raw.trim();
        if !matches!(value.len(), 15 | 18) || !value.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ToolError::validation(format!(
                "'{value}' is not a Salesforce record id: use the 15- or 18-character id a search returned"
            )));
        }
        // All ASCII (checked above), so byte offsets are character offsets.
        let (id15, suffix) = value.split_at(15);
        if suffix.is_empty() {
            return Ok(RecordId(value.to_owned()));
        }
        let expected = case_safe_suffix(id15);
        if !suffix.eq_ignore_ascii_case(&expected) {
            return Err(ToolError::validation(format!(
                "'{value}' is not a valid Salesforce record id: its last 3 characters are not the checksum \
                 of its first 15, so a character is wrong or changed case. Use the id exactly as a search \
                 returned it, or search for the record again; the 15-character form '{id15}' works only \
                 if those first 15 characters are right"
            )));
        }
        Ok(RecordId(format!("{id15}{expected}")))
    }
}
parsed_string!(RecordId, { "type": "string", "pattern": "^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$" });

/// The 3-character suffix of a 15-character id's 18-character form: for each 5-character chunk,
/// the 5-bit number whose bit `i` says whether character `i` is an upper-case letter, as a
/// character of `A..Z0..5`.
///
/// The Salesforce sandbox computes the suffix of the ids it makes on its own, so the end-to-end
/// tests check this against an independent implementation.
fn case_safe_suffix(id15: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    id15.as_bytes()
        .chunks(5)
        .map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_ascii_uppercase())
                .fold(0, |bits, (i, _)| bits | (1 << i));
            // A chunk has at most 5 characters, so `bits` is below 32.
            char::from(ALPHABET[bits & 31])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_suffix_is_the_one_salesforce_computes() {
        assert_eq!(case_safe_suffix("001D000000IqhSL"), "IAZ");
        assert_eq!(case_safe_suffix("00190000001pPvH"), "AAU");
        assert_eq!(case_safe_suffix("003dn0000000001"), "AAA");
        assert_eq!(case_safe_suffix("ABCDEABCDEABCDE"), "555");
    }

    #[test]
    fn record_ids_have_15_or_18_letters_and_digits() {
        assert!(RecordId::parse("003Dn0000000001").is_ok());
        assert!(RecordId::parse("003Dn0000000001IAA").is_ok());
        for bad in [
            "",
            "003",
            "003Dn0000000001AA",
            "003Dn00000000'1",
            "003Dn0000000001/..",
        ] {
            let error = RecordId::parse(bad).unwrap_err();
            assert!(error.message.contains("not a Salesforce record id"), "{bad}");
        }
    }

    #[test]
    fn an_18_character_id_needs_the_suffix_of_its_first_15() {
        assert_eq!(
            RecordId::parse(" 001D000000IqhSLIAZ ").unwrap().as_str(),
            "001D000000IqhSLIAZ"
        );
        assert_eq!(
            RecordId::parse("001D000000IqhSLiaz").unwrap().as_str(),
            "001D000000IqhSLIAZ",
            "the suffix is compared in any case and kept upper case"
        );
        for bad in [
            "KeD4sSoj2mf520Z000",
            "07171e00Yxkb40DIj5",
            "003Dn0000000001AAA",
            "001d000000iqhsliaz",
            "001D000000IqhSLIAY",
        ] {
            let error = RecordId::parse(bad).unwrap_err();
            assert_eq!(error.http_status(), 400, "{bad}");
            assert!(
                error.message.contains("not a valid Salesforce record id")
                    && error.message.contains("checksum")
                    && error.message.contains(&format!("'{}'", &bad[..15])),
                "{bad}: {}",
                error.message
            );
        }
    }

    proptest! {
        /// Every 15-character id has exactly one 18-character form, and it re-parses to itself.
        #[test]
        fn each_id_has_one_long_form(id15 in "[A-Za-z0-9]{15}", other in "[A-Z0-5]{3}") {
            let long = format!("{id15}{}", case_safe_suffix(&id15));
            let parsed = RecordId::parse(&long).unwrap();
            prop_assert_eq!(parsed.as_str(), long.as_str());
            let tampered = format!("{id15}{other}");
            prop_assert_eq!(RecordId::parse(&tampered).is_ok(), tampered == long);
        }
    }
}
