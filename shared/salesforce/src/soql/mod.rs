//! The SOQL builder: the only way this crate (and the tools above it) writes SOQL.
//!
//! Field and object names are `&'static str`, names fixed in the source, never user data. Everything
//! that varies per request is a [`Value`], rendered as an escaped literal, so no input can change
//! the structure of a query.
//!
//! ```
//! use dewy_salesforce::soql::{Cond, Order, Soql};
//! let q = Soql::select(&["Id", "Name", "Room__r.Status__c"])
//!     .from("Booking__c")
//!     .filter(
//!         Cond::eq("Primary_Guest__r.Unique_Email__c", "kay@example.com")
//!             .and(Cond::is_in("Status__c", ["Reserved", "Checked In"])),
//!     )
//!     .order_by("Check_In_Date__c", Order::Asc)
//!     .limit(2);
//! assert_eq!(
//!     q.as_str(),
//!     "SELECT Id, Name, Room__r.Status__c FROM Booking__c \
//!      WHERE Primary_Guest__r.Unique_Email__c = 'kay@example.com' \
//!      AND Status__c IN ('Reserved', 'Checked In') ORDER BY Check_In_Date__c ASC LIMIT 2"
//! );
//! ```

mod cond;
mod value;

pub use cond::Cond;
pub use value::{FiniteF64, NonFiniteNumber, Value, escape_like, escape_string};

use std::fmt;

/// Sort direction of an ORDER BY item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Ascending (`ASC`).
    Asc,
    /// Descending (`DESC`).
    Desc,
}

/// The SELECT list of a query being built; [`Select::from`] names the object and yields a [`Soql`].
#[derive(Debug, Clone)]
pub struct Select {
    fields: Vec<&'static str>,
}

impl Select {
    /// The object queried, e.g. `Booking__c`.
    pub fn from(self, object: &'static str) -> Soql {
        debug_assert!(is_name(object), "not a SOQL object name: {object}");
        let mut soql = Soql {
            fields: self.fields,
            object,
            filter: None,
            order_by: Vec::new(),
            limit: None,
            offset: None,
            text: String::new(),
        };
        soql.render();
        soql
    }
}

/// A complete SOQL query. Build with [`Soql::select`]; read with [`Soql::as_str`] or `Display`.
#[derive(Debug, Clone)]
pub struct Soql {
    fields: Vec<&'static str>,
    object: &'static str,
    filter: Option<Cond>,
    order_by: Vec<(&'static str, Order)>,
    limit: Option<u32>,
    offset: Option<u32>,
    // Rendered after every builder step, so that `as_str` can lend it out.
    text: String,
}

impl Soql {
    /// Starts a query selecting `fields` (paths such as `Room__r.Status__c` are allowed).
    pub fn select(fields: &[&'static str]) -> Select {
        debug_assert!(!fields.is_empty(), "a SOQL query selects at least one field");
        debug_assert!(
            fields.iter().all(|f| is_field_path(f)),
            "not SOQL field paths: {fields:?}"
        );
        Select {
            fields: fields.to_vec(),
        }
    }

    /// Adds a WHERE condition; calling it again ANDs the conditions.
    pub fn filter(mut self, cond: Cond) -> Self {
        self.filter = Some(match self.filter.take() {
            Some(existing) => existing.and(cond),
            None => cond,
        });
        self.render();
        self
    }

    /// Adds an ORDER BY item; later calls sort within earlier ones.
    pub fn order_by(mut self, field: &'static str, order: Order) -> Self {
        debug_assert!(is_field_path(field), "not a SOQL field path: {field}");
        self.order_by.push((field, order));
        self.render();
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self.render();
        self
    }

    /// `OFFSET n`.
    pub fn offset(mut self, n: u32) -> Self {
        self.offset = Some(n);
        self.render();
        self
    }

    /// The object queried (used to label calls, e.g. `query Booking__c`).
    pub fn object(&self) -> &'static str {
        self.object
    }

    /// The query text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn render(&mut self) {
        use fmt::Write;
        let mut text = format!("SELECT {} FROM {}", self.fields.join(", "), self.object);
        // Writing to a String cannot fail.
        if let Some(filter) = &self.filter {
            let _ = write!(text, " WHERE {filter}");
        }
        for (i, (field, order)) in self.order_by.iter().enumerate() {
            let direction = match order {
                Order::Asc => "ASC",
                Order::Desc => "DESC",
            };
            let _ = write!(
                text,
                "{} {field} {direction}",
                if i == 0 { " ORDER BY" } else { "," }
            );
        }
        if let Some(n) = self.limit {
            let _ = write!(text, " LIMIT {n}");
        }
        if let Some(n) = self.offset {
            let _ = write!(text, " OFFSET {n}");
        }
        self.text = text;
    }
}

impl fmt::Display for Soql {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// An API name: a letter, then letters, digits and underscores (`Booking__c`).
pub(crate) fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A field or relationship path: names joined by dots (`Room__r.Status__c`).
pub(crate) fn is_field_path(path: &str) -> bool {
    path.split('.').all(is_name)
}

#[cfg(test)]
mod tests;
