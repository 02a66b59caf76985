//! The records of the org, in memory, with Salesforce's write validation.
//!
//! The store is plain data behind one `std::sync::Mutex` (held by the server, never across an
//! await). [`Data`] is `Clone` so a composite request with `allOrNone` can snapshot and restore it,
//! autonumber counters included.

mod coerce;
mod constraints;
mod render;
mod write;

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{NaiveDate, Utc};
use serde_json::{Map, Number, Value};

pub(crate) use coerce::{format_datetime, parse_datetime};
pub(crate) use render::attributes;

use crate::error::SandboxError;
use crate::ids;
use crate::schema::{FieldDef, FieldType, Formula, ObjectDef, schema};

/// One record's stored fields, by canonical field name. Formulas are not stored.
pub(crate) type Record = Map<String, Value>;

/// The records of one object, in insertion order, with an index by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    rows: BTreeMap<u64, Record>,
    by_id: HashMap<String, u64>,
}

impl Table {
    /// All records in insertion order.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.rows.values()
    }

    fn get(&self, id: &str) -> Option<&Record> {
        self.by_id.get(id).and_then(|seq| self.rows.get(seq))
    }
}

/// Everything a rollback restores: the records and the counters.
#[derive(Debug, Clone, Default)]
pub(crate) struct Data {
    tables: HashMap<&'static str, Table>,
    next_seq: u64,
    autonumbers: HashMap<(&'static str, &'static str), u64>,
    /// Every change of a guarded status, in order: the org's field history of those fields
    /// (Salesforce's Field History Tracking). Part of the data, so a rolled-back Composite request
    /// leaves none.
    pub status_history: Vec<StatusChange>,
}

/// One change of a guarded status field (see `dewy_domain::guard`), as field history keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub object: &'static str,
    pub record_id: String,
    pub field: &'static str,
    pub old_value: String,
    pub new_value: String,
    /// The status guard the write sent, if it sent one: what the writer had read.
    pub guard: Option<String>,
}

/// A query's remaining records, for `nextRecordsUrl`.
#[derive(Debug, Clone)]
pub(crate) struct Cursor {
    pub records: Vec<Value>,
    pub batch_size: usize,
}

/// How many query cursors are kept; older ones expire, as Salesforce's do.
const MAX_CURSORS: usize = 64;

/// The org's records plus the query cursors.
#[derive(Debug)]
pub(crate) struct Store {
    today: NaiveDate,
    pub data: Data,
    cursors: HashMap<String, Cursor>,
    cursor_order: VecDeque<String>,
    next_cursor: u64,
}

impl Store {
    /// An empty org whose "today" is `today`.
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            data: Data::default(),
            cursors: HashMap::new(),
            cursor_order: VecDeque::new(),
            next_cursor: 1,
        }
    }

    /// The sandbox's "today", which relative dates resolve against.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Now, on the sandbox's "today": the wall-clock time of day, so timestamps order correctly.
    pub fn now_stamp(&self) -> String {
        format_datetime(self.today.and_time(Utc::now().time()).and_utc())
    }

    /// The records of an object.
    pub fn table(&self, object: &str) -> Option<&Table> {
        self.data.tables.get(object)
    }

    /// A record by canonical object name and any form of its id.
    pub fn get(&self, object: &str, id: &str) -> Option<&Record> {
        let id = ids::normalize(id)?;
        self.table(object)?.get(&id)
    }

    /// A field's value on a record: stored, or computed for formulas; null when unset.
    pub fn value(&self, record: &Record, field: &FieldDef) -> Value {
        match field.ty {
            FieldType::Formula(Formula::DaysBetween { from, to }) => {
                let date = |name: &str| {
                    record
                        .get(name)
                        .and_then(Value::as_str)
                        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                };
                match (date(from), date(to)) {
                    (Some(a), Some(b)) => {
                        Number::from_f64((b - a).num_days() as f64).map_or(Value::Null, Value::Number)
                    }
                    _ => Value::Null,
                }
            }
            FieldType::Formula(Formula::FullName) => {
                let part = |name: &str| {
                    record
                        .get(name)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                let full = format!("{} {}", part("FirstName"), part("LastName"))
                    .trim()
                    .to_owned();
                if full.is_empty() {
                    Value::Null
                } else {
                    Value::String(full)
                }
            }
            _ => record.get(field.name).cloned().unwrap_or(Value::Null),
        }
    }

    /// Every field of a record (null where unset), formulas computed; no `attributes`.
    pub fn full_fields(&self, object: &ObjectDef, record: &Record) -> Map<String, Value> {
        object
            .fields
            .iter()
            .map(|f| (f.name.to_owned(), self.value(record, f)))
            .collect()
    }

    /// Ids of the records whose `field` equals `value` case-insensitively (external-id match).
    pub fn find_by_field(&self, object: &ObjectDef, field: &FieldDef, value: &str) -> Vec<String> {
        let Some(table) = self.table(object.name) else {
            return Vec::new();
        };
        table
            .records()
            .filter(|r| match r.get(field.name) {
                Some(Value::String(s)) => s.to_lowercase() == value.to_lowercase(),
                Some(Value::Number(n)) => n.to_string() == value,
                _ => false,
            })
            .filter_map(|r| r.get("Id").and_then(Value::as_str).map(str::to_owned))
            .collect()
    }

    /// Keeps a query's records for paging and returns the cursor id.
    pub fn add_cursor(&mut self, cursor: Cursor) -> String {
        let n = self.next_cursor;
        self.next_cursor += 1;
        // Query locators have key prefix 01g; the id form keeps them opaque.
        let id = ids::make_id("01g", n);
        self.cursors.insert(id.clone(), cursor);
        self.cursor_order.push_back(id.clone());
        while self.cursor_order.len() > MAX_CURSORS {
            if let Some(old) = self.cursor_order.pop_front() {
                self.cursors.remove(&old);
            }
        }
        id
    }

    /// A kept query's records.
    pub fn cursor(&self, id: &str) -> Option<&Cursor> {
        self.cursors.get(id)
    }
}

/// The object with this name, or 404 NOT_FOUND as Salesforce answers for an unknown sObject URL.
pub(crate) fn object_def(name: &str) -> Result<&'static ObjectDef, SandboxError> {
    schema().object(name).ok_or_else(SandboxError::not_found)
}

/// A record id from a URL or reference for `object`: canonical 18 characters, right key prefix.
pub(crate) fn parse_id(object: &ObjectDef, raw: &str) -> Result<String, SandboxError> {
    match ids::normalize(raw) {
        Some(id) if ids::key_prefix(&id) == object.key_prefix => Ok(id),
        _ => Err(SandboxError::malformed_id(format!(
            "{} ID: id value of incorrect type: {raw}",
            object.label
        ))),
    }
}

#[cfg(test)]
mod tests;
