//! Insert, update, upsert and delete, each validated completely before anything changes.

use serde_json::{Value, json};

use super::coerce::{coerce, read_only};
use super::constraints::check_required;
use super::{Record, Store, object_def, parse_id};
use crate::error::SandboxError;
use crate::ids;
use crate::schema::{FieldDef, FieldType, ObjectDef, schema};

/// Whether a body is for a new record or for an existing one (with its id).
#[derive(Clone, Copy)]
enum Mode<'a> {
    Insert,
    Update(&'a str),
}

impl Store {
    /// Creates a record and returns its 18-character id.
    pub fn insert(&mut self, object: &str, body: &Value) -> Result<String, SandboxError> {
        let obj = object_def(object)?;
        let mut record = Record::new();
        let given = parse_body(obj, body, Mode::Insert)?;
        for (field, value) in &given {
            record.insert(field.name.to_owned(), value.clone());
        }
        for field in &obj.fields {
            if let (Some(default), false) = (&field.default, record.contains_key(field.name)) {
                record.insert(field.name.to_owned(), default.clone());
            }
        }
        record.retain(|_, v| !v.is_null());
        let missing: Vec<&str> = obj
            .fields
            .iter()
            .filter(|f| f.required && !record.contains_key(f.name))
            .map(|f| f.name)
            .collect();
        check_required(&missing)?;
        self.check_references(obj, &record)?;
        self.check_unique(obj, &record, None)?;

        self.data.next_seq += 1;
        let seq = self.data.next_seq;
        let id = ids::make_id(obj.key_prefix, seq);
        for field in &obj.fields {
            if let FieldType::AutoNumber {
                prefix,
                digits,
                start,
            } = field.ty
            {
                let next = self
                    .data
                    .autonumbers
                    .entry((obj.name, field.name))
                    .or_insert(start);
                record.insert(
                    field.name.to_owned(),
                    json!(format!("{prefix}{:0digits$}", *next)),
                );
                *next += 1;
            }
        }
        let now = self.now_stamp();
        record.insert("Id".into(), json!(id));
        record.insert("CreatedDate".into(), json!(now));
        record.insert("LastModifiedDate".into(), json!(now));
        let table = self.data.tables.entry(obj.name).or_default();
        table.rows.insert(seq, record);
        table.by_id.insert(id.clone(), seq);
        Ok(id)
    }

    /// Updates some fields of a record.
    pub fn update(&mut self, object: &str, id: &str, body: &Value) -> Result<(), SandboxError> {
        let obj = object_def(object)?;
        let id = parse_id(obj, id)?;
        let mut record = self
            .get(obj.name, &id)
            .cloned()
            .ok_or_else(SandboxError::not_found)?;
        let given = parse_body(obj, body, Mode::Update(&id))?;
        let missing: Vec<&str> = given
            .iter()
            .filter(|(f, v)| f.required && v.is_null())
            .map(|(f, _)| f.name)
            .collect();
        check_required(&missing)?;
        check_status_guard(obj, &record, &given)?;
        let history = status_change(obj, &id, &record, &given);
        for (field, value) in given {
            if value.is_null() {
                record.remove(field.name);
            } else {
                record.insert(field.name.to_owned(), value);
            }
        }
        self.check_references(obj, &record)?;
        self.check_unique(obj, &record, Some(&id))?;
        record.insert("LastModifiedDate".into(), json!(self.now_stamp()));
        let table = self.data.tables.entry(obj.name).or_default();
        if let Some(seq) = table.by_id.get(&id).copied() {
            table.rows.insert(seq, record);
        }
        self.data.status_history.extend(history);
        Ok(())
    }

    /// Inserts or updates by external id; returns the id and whether it was created.
    ///
    /// Two or more matches are Salesforce's 300 with the matching records' URLs.
    pub fn upsert(
        &mut self,
        object: &str,
        field: &str,
        value: &str,
        body: &Value,
        version: &str,
    ) -> Result<(String, bool), SandboxError> {
        let obj = object_def(object)?;
        let ext = obj.field(field).filter(|f| f.external_id).ok_or_else(|| {
            SandboxError::new(
                404,
                "NOT_FOUND",
                format!("Provided external ID field does not exist or is not accessible: {field}"),
            )
        })?;
        let Value::Object(fields) = body else {
            return Err(super::coerce::cannot_deserialize(obj.name, body));
        };
        let mut fields = fields.clone();
        if let Some(key) = fields.keys().find(|k| k.eq_ignore_ascii_case(ext.name)).cloned() {
            let same = match fields.get(&key) {
                Some(Value::String(s)) => s.to_lowercase() == value.to_lowercase(),
                Some(Value::Number(n)) => n.to_string() == value,
                _ => false,
            };
            if !same {
                return Err(SandboxError::invalid_field(format!(
                    "The value of {} in the request body does not match the external ID in the URL: {value}",
                    ext.name
                ))
                .with_fields([ext.name]));
            }
            fields.remove(&key);
        }
        let matches = self.find_by_field(obj, ext, value);
        match matches.as_slice() {
            [] => {
                fields.insert(ext.name.to_owned(), json!(value));
                Ok((self.insert(obj.name, &Value::Object(fields))?, true))
            }
            [id] => {
                let id = id.clone();
                self.update(obj.name, &id, &Value::Object(fields))?;
                Ok((id, false))
            }
            many => Err(SandboxError::multiple_choices(
                many.iter()
                    .map(|id| format!("/services/data/v{version}/sobjects/{}/{id}", obj.name))
                    .collect(),
            )),
        }
    }

    /// Deletes a record. Master-detail children are deleted with it; lookups to it are cleared.
    pub fn delete(&mut self, object: &str, id: &str) -> Result<(), SandboxError> {
        let obj = object_def(object)?;
        let id = parse_id(obj, id)?;
        if self.get(obj.name, &id).is_none() {
            return Err(SandboxError::not_found());
        }
        let mut pending = vec![(obj.name, id)];
        while let Some((object, id)) = pending.pop() {
            if let Some(table) = self.data.tables.get_mut(object)
                && let Some(seq) = table.by_id.remove(&id)
            {
                table.rows.remove(&seq);
            }
            for child in &schema().objects {
                for field in &child.fields {
                    let FieldType::Reference {
                        target,
                        master_detail,
                        ..
                    } = field.ty
                    else {
                        continue;
                    };
                    if target != object {
                        continue;
                    }
                    let Some(table) = self.data.tables.get_mut(child.name) else {
                        continue;
                    };
                    for record in table.rows.values_mut() {
                        if record.get(field.name).and_then(Value::as_str) != Some(id.as_str()) {
                            continue;
                        }
                        if master_detail {
                            if let Some(child_id) = record.get("Id").and_then(Value::as_str) {
                                pending.push((child.name, child_id.to_owned()));
                            }
                        } else {
                            record.remove(field.name);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// The body's fields, canonicalised and coerced, with references normalised to 18 characters.
fn parse_body(
    obj: &'static ObjectDef,
    body: &Value,
    mode: Mode<'_>,
) -> Result<Vec<(&'static FieldDef, Value)>, SandboxError> {
    let Value::Object(map) = body else {
        return Err(super::coerce::cannot_deserialize(obj.name, body));
    };
    let mut out: Vec<(&'static FieldDef, Value)> = Vec::with_capacity(map.len());
    for (key, value) in map {
        if key == "attributes" {
            continue;
        }
        let field = obj.field(key).ok_or_else(|| {
            SandboxError::invalid_field(format!("No such column '{key}' on sobject of type {}", obj.name))
        })?;
        if field.ty == FieldType::Id {
            let same = matches!(mode, Mode::Update(id) if value.as_str().and_then(ids::normalize).as_deref() == Some(id));
            if same {
                continue;
            }
            let message = match mode {
                Mode::Insert => "cannot specify Id in an insert call".to_owned(),
                Mode::Update(_) => {
                    "Id in the request body does not match the record being updated".to_owned()
                }
            };
            return Err(
                SandboxError::new(400, "INVALID_FIELD_FOR_INSERT_UPDATE", message).with_fields(["Id"])
            );
        }
        if !field.writable() {
            return Err(read_only(field));
        }
        let mut value = coerce(field, value)?;
        if let (Some(_), Value::String(raw)) = (field.reference(), &value)
            && let Some(id) = ids::normalize(raw)
        {
            value = Value::String(id);
        }
        // A key given twice in different case: the last one wins, as the JSON parser would have it.
        out.retain(|(f, _)| f.name != field.name);
        out.push((field, value));
    }
    Ok(out)
}

/// The field-history entry of an update of `before` with `given`, if it changes a guarded status.
fn status_change(
    obj: &ObjectDef,
    id: &str,
    before: &Record,
    given: &[(&FieldDef, Value)],
) -> Option<super::StatusChange> {
    use dewy_domain::guard;
    let status_field = guard::status_field(obj.name)?;
    let text = |value: Option<&Value>| value.and_then(Value::as_str).unwrap_or_default().to_owned();
    let (_, new) = given.iter().find(|(f, _)| f.name == status_field)?;
    let (old_value, new_value) = (text(before.get(status_field)), text(Some(new)));
    (old_value != new_value).then(|| super::StatusChange {
        object: obj.name,
        record_id: id.to_owned(),
        field: status_field,
        old_value,
        new_value,
        guard: given
            .iter()
            .find(|(f, _)| f.name == guard::FIELD)
            .and_then(|(_, v)| v.as_str().map(str::to_owned)),
    })
}

/// The org's status-guard validation rule (see `dewy_domain::guard`): a write that changes the
/// guard field must have read the status the record has before the write. As in Salesforce, the
/// rule sees the record as it was before the write (`PRIORVALUE`), and a write that leaves the
/// guard as it is is not checked.
fn check_status_guard(
    obj: &ObjectDef,
    before: &Record,
    given: &[(&FieldDef, Value)],
) -> Result<(), SandboxError> {
    use dewy_domain::guard;
    let Some(status_field) = guard::status_field(obj.name) else {
        return Ok(());
    };
    let Some((_, Value::String(new))) = given.iter().find(|(f, _)| f.name == guard::FIELD) else {
        return Ok(());
    };
    let changed = before.get(guard::FIELD).and_then(Value::as_str) != Some(new.as_str());
    let found = before
        .get(status_field)
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(expected) = guard::expected(new).filter(|_| changed) else {
        return Ok(());
    };
    let stale = |what: String| {
        Err(SandboxError::new(
            400,
            "FIELD_CUSTOM_VALIDATION_EXCEPTION",
            format!("{}: {what}; read it again.", guard::STALE),
        ))
    };
    if expected.status != found {
        return stale(format!(
            "this record's {status_field} is '{found}', not '{}' as read",
            expected.status
        ));
    }
    // A booking's guard may name its room: `CASESAFEID(PRIORVALUE(Hotel_Room__c))` in the rule.
    let room_field = dewy_domain::objects::booking::ROOM;
    if let Some(room_read) = expected
        .room_id
        .filter(|_| obj.name == dewy_domain::objects::booking::OBJECT)
    {
        let room_now = before.get(room_field).and_then(Value::as_str).unwrap_or_default();
        if room_now != room_read {
            return stale(format!(
                "this booking's {room_field} is '{room_now}', not '{room_read}' as read"
            ));
        }
    }
    Ok(())
}
