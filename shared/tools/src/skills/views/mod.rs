//! How the skills show Salesforce records: one output shape per object, with the field list it is
//! read from and the lookups the skills share, so every skill answers about a booking (or a room, a
//! contact, a case) the same way.

pub mod booking;
pub mod case;
pub mod contact;
pub mod room;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A search's answer: `found`, and the record's fields when it was found (absent otherwise).
/// Not finding a record is a successful search; failing to search is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Found_{T}")]
pub struct Found<T> {
    /// Whether a record matched.
    pub found: bool,
    /// The record, when found.
    #[serde(flatten)]
    pub record: Option<T>,
}

impl<T> From<Option<T>> for Found<T> {
    fn from(record: Option<T>) -> Self {
        Found {
            found: record.is_some(),
            record,
        }
    }
}

/// A write's answer: whether it created the record, and the record as it now is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Saved_{T}")]
pub struct Saved<T> {
    /// `true` when this call created the record, `false` when it updated an existing one.
    pub created: bool,
    /// The record, read back after the write.
    #[serde(flatten)]
    pub record: T,
}
