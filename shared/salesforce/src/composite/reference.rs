//! References to earlier subrequests (`@{newBooking.id}`) and the keys that may be one.

use crate::error::SalesforceError;
use crate::path::{external_id_segment, validate_id};
use std::fmt;

/// A reference to a value produced by an earlier subrequest of the same composite request, written
/// `@{referenceId.path}`; Salesforce substitutes it before running the later subrequest.
///
/// It is a type of its own so that only references made in code are sent unescaped: a string that
/// merely looks like `@{x.id}` is treated as a plain id or value (and rejected or percent-encoded).
/// Serializes as its text, so it can be used as a field value in a body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference(String);

impl Reference {
    /// `@{reference_id.path}`, e.g. `Reference::new("booking", "records[0].Id")`.
    pub fn new(reference_id: &str, path: &str) -> Self {
        Reference(format!("@{{{reference_id}.{path}}}"))
    }

    /// `@{reference_id.id}`: the id of the record an earlier create or upsert saved.
    pub fn id(reference_id: &str) -> Self {
        Self::new(reference_id, "id")
    }

    /// The reference as written, `@{…}`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it can be placed raw in a URL path: only names, dots and `[n]` indexes inside `@{…}`.
    fn is_well_formed(&self) -> bool {
        self.0
            .strip_prefix("@{")
            .and_then(|rest| rest.strip_suffix('}'))
            .is_some_and(|inner| {
                inner.split('.').count() >= 2
                    && inner.split('.').all(|part| {
                        !part.is_empty()
                            && part
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'[' | b']'))
                    })
            })
    }

    fn segment(&self) -> Result<String, SalesforceError> {
        if self.is_well_formed() {
            Ok(self.0.clone())
        } else {
            Err(SalesforceError::InvalidRequest(format!(
                "{:?} is not a composite reference",
                self.0
            )))
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Reference {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// A record id or external id value in a composite subrequest's URL: a literal (checked and encoded)
/// or a [`Reference`] to an earlier subrequest (sent as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordKey {
    /// A literal id or value.
    Literal(String),
    /// A reference such as `@{newBooking.id}`.
    Reference(Reference),
}

impl RecordKey {
    /// As a record id segment: a literal must be a 15/18-character id.
    pub(crate) fn id_segment(&self) -> Result<String, SalesforceError> {
        match self {
            RecordKey::Literal(id) => validate_id(id).map(str::to_owned),
            RecordKey::Reference(reference) => reference.segment(),
        }
    }

    /// As an external id value segment: a literal is percent-encoded.
    pub(crate) fn external_id_segment(&self) -> Result<String, SalesforceError> {
        match self {
            RecordKey::Literal(value) => external_id_segment(value),
            RecordKey::Reference(reference) => reference.segment(),
        }
    }
}

impl From<&str> for RecordKey {
    fn from(value: &str) -> Self {
        RecordKey::Literal(value.to_owned())
    }
}

impl From<String> for RecordKey {
    fn from(value: String) -> Self {
        RecordKey::Literal(value)
    }
}

impl From<&String> for RecordKey {
    fn from(value: &String) -> Self {
        RecordKey::Literal(value.clone())
    }
}

impl From<Reference> for RecordKey {
    fn from(value: Reference) -> Self {
        RecordKey::Reference(value)
    }
}

impl From<&Reference> for RecordKey {
    fn from(value: &Reference) -> Self {
        RecordKey::Reference(value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// References go into paths raw; look-alike strings do not.
    #[test]
    fn only_typed_references_bypass_the_id_check() {
        assert_eq!(Reference::id("newBooking").to_string(), "@{newBooking.id}");
        let key = RecordKey::from(Reference::id("newBooking"));
        assert_eq!(key.id_segment().ok().as_deref(), Some("@{newBooking.id}"));
        assert!(
            RecordKey::from(Reference::new("q", "records[0].Id"))
                .id_segment()
                .is_ok()
        );
        // A string that looks like a reference is a literal, and not a valid id
        assert!(RecordKey::from("@{newBooking.id}").id_segment().is_err());
        assert_eq!(
            RecordKey::from("@{x.id}").external_id_segment().ok().as_deref(),
            Some("%40%7Bx.id%7D")
        );
        // A malformed reference cannot smuggle path characters
        assert!(RecordKey::from(Reference::new("a/b", "id")).id_segment().is_err());
        assert!(RecordKey::from(Reference::new("a", "")).id_segment().is_err());
        assert_eq!(
            serde_json::to_value(Reference::id("r")).ok(),
            Some(serde_json::json!("@{r.id}"))
        );
    }
}
