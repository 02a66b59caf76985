//! Records as the REST API returns them: `attributes` plus fields.

use serde_json::{Map, Value, json};

use super::{Record, Store};
use crate::error::SandboxError;
use crate::schema::ObjectDef;

/// `{"type": "Booking__c", "url": "/services/data/v62.0/sobjects/Booking__c/a01..."}`.
pub(crate) fn attributes(object: &ObjectDef, record: &Record, version: &str) -> Value {
    let id = record.get("Id").and_then(Value::as_str).unwrap_or_default();
    json!({"type": object.name, "url": format!("/services/data/v{version}/sobjects/{}/{id}", object.name)})
}

impl Store {
    /// A record for `GET /sobjects/{type}/{id}`: every field, or only `fields` (`?fields=a,b`).
    ///
    /// An unknown name in `fields` is Salesforce's 400 INVALID_FIELD.
    pub fn render(
        &self,
        object: &ObjectDef,
        record: &Record,
        fields: Option<&[String]>,
        version: &str,
    ) -> Result<Value, SandboxError> {
        let mut out = Map::new();
        out.insert("attributes".into(), attributes(object, record, version));
        match fields {
            None => out.extend(self.full_fields(object, record)),
            Some(names) => {
                for name in names {
                    let field = object.field(name).ok_or_else(|| {
                        SandboxError::invalid_field(format!(
                            "No such column '{name}' on entity '{}'. If you are attempting to use a custom field, be \
                             sure to append the '__c' after the custom field name. Please reference your WSDL or the \
                             describe call for the appropriate names.",
                            object.name
                        ))
                    })?;
                    out.insert(field.name.to_owned(), self.value(record, field));
                }
            }
        }
        Ok(Value::Object(out))
    }
}
