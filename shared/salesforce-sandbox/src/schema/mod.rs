//! The org schema: which objects and fields exist, their types and constraints.
//!
//! Names are matched case-insensitively (as Salesforce does) and canonicalised to the schema's
//! spelling. The definitions themselves are in [`org`].

mod org;

use std::sync::LazyLock;

use serde_json::Value;

/// A field's data type, with the constraints that go with it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldType {
    /// The record id.
    Id,
    /// Text with a maximum length in characters.
    Text { max_len: usize },
    /// An email address (max 80).
    Email,
    /// A phone number (max 40).
    Phone,
    /// A restricted picklist: only these values are accepted.
    Picklist { values: Vec<&'static str> },
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A UTC timestamp, returned as `2026-11-23T10:00:00.000+0000`.
    DateTime,
    /// A number rounded to `scale` decimals on write.
    Number { scale: u32 },
    /// Money, two decimals.
    Currency,
    /// A checkbox; never null.
    Boolean,
    /// A lookup (or master-detail) to another object.
    Reference {
        target: &'static str,
        relationship: &'static str,
        master_detail: bool,
    },
    /// Assigned on insert from a per-object counter: `prefix` + counter padded to `digits`.
    AutoNumber {
        prefix: &'static str,
        digits: usize,
        start: u64,
    },
    /// Computed on read.
    Formula(Formula),
}

/// The formulas the org has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Formula {
    /// Days from one date field to another; null if either is null.
    DaysBetween { from: &'static str, to: &'static str },
    /// Contact.Name: first name and last name.
    FullName,
}

/// One field of an object.
#[derive(Debug, Clone)]
pub(crate) struct FieldDef {
    pub name: &'static str,
    pub label: String,
    pub ty: FieldType,
    pub required: bool,
    pub unique: bool,
    pub external_id: bool,
    pub default: Option<Value>,
    /// Set by the system (Id, CreatedDate, ...): never writable by clients.
    pub system: bool,
}

impl FieldDef {
    /// Whether a client may write the field.
    pub fn writable(&self) -> bool {
        !self.system
            && !matches!(
                self.ty,
                FieldType::Id | FieldType::AutoNumber { .. } | FieldType::Formula(_)
            )
    }

    /// The relationship name and target if the field is a reference.
    pub fn reference(&self) -> Option<(&'static str, &'static str)> {
        match self.ty {
            FieldType::Reference {
                target, relationship, ..
            } => Some((target, relationship)),
            _ => None,
        }
    }
}

/// One object (sObject type).
#[derive(Debug, Clone)]
pub(crate) struct ObjectDef {
    pub name: &'static str,
    pub label: &'static str,
    pub key_prefix: &'static str,
    pub fields: Vec<FieldDef>,
}

impl ObjectDef {
    /// The field with this name, case-insensitively.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The reference field whose relationship name is `name`, case-insensitively.
    pub fn relationship(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| {
            f.reference()
                .is_some_and(|(_, rel)| rel.eq_ignore_ascii_case(name))
        })
    }
}

/// All objects of the org.
#[derive(Debug)]
pub(crate) struct Schema {
    pub objects: Vec<ObjectDef>,
}

impl Schema {
    /// The object with this API name, case-insensitively.
    pub fn object(&self, name: &str) -> Option<&ObjectDef> {
        self.objects.iter().find(|o| o.name.eq_ignore_ascii_case(name))
    }
}

/// The org schema, built once.
pub(crate) fn schema() -> &'static Schema {
    static SCHEMA: LazyLock<Schema> = LazyLock::new(org::build);
    &SCHEMA
}

/// A label from an API name: `Check_In_Date__c` → `Check In Date`.
pub(crate) fn label_of(api_name: &str) -> String {
    api_name.trim_end_matches("__c").replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_are_case_insensitive() {
        let s = schema();
        let booking = s.object("booking__C").unwrap();
        assert_eq!(booking.name, "Booking__c");
        assert_eq!(booking.field("status__c").unwrap().name, "Status__c");
        assert_eq!(booking.relationship("room__R").unwrap().name, "Room__c");
    }

    #[test]
    fn every_reference_targets_an_existing_object() {
        let s = schema();
        for o in &s.objects {
            for f in &o.fields {
                if let Some((target, _)) = f.reference() {
                    assert!(s.object(target).is_some(), "{}.{} -> {target}", o.name, f.name);
                }
            }
        }
    }

    #[test]
    fn labels_drop_suffix_and_underscores() {
        assert_eq!(label_of("Check_In_Date__c"), "Check In Date");
        assert_eq!(label_of("Status__c"), "Status");
    }
}
