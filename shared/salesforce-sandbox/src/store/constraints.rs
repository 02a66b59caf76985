//! The constraints checked before a write: required fields, references, uniqueness.

use serde_json::Value;

use super::{Record, Store, object_def};
use crate::error::SandboxError;
use crate::ids;
use crate::schema::ObjectDef;

impl Store {
    /// Every reference on the record points at an existing record of the right object; stored as
    /// the 18-character id.
    pub(super) fn check_references(&self, obj: &ObjectDef, record: &Record) -> Result<(), SandboxError> {
        for field in &obj.fields {
            let (Some((target, _)), Some(Value::String(raw))) = (field.reference(), record.get(field.name))
            else {
                continue;
            };
            let message = || format!("{}: id value of incorrect type: {raw}", field.label);
            let Some(id) = ids::normalize(raw) else {
                return Err(SandboxError::malformed_id(message()).with_fields([field.name]));
            };
            let target_def = object_def(target)?;
            if ids::key_prefix(&id) != target_def.key_prefix {
                return Err(
                    SandboxError::new(400, "FIELD_INTEGRITY_EXCEPTION", message()).with_fields([field.name])
                );
            }
            if self.get(target, &id).is_none() {
                return Err(SandboxError::new(
                    400,
                    "INVALID_CROSS_REFERENCE_KEY",
                    "invalid cross reference id",
                )
                .with_fields([field.name]));
            }
        }
        Ok(())
    }

    /// No other record has the same value (case-insensitively) in a unique field.
    pub(super) fn check_unique(
        &self,
        obj: &ObjectDef,
        record: &Record,
        own_id: Option<&str>,
    ) -> Result<(), SandboxError> {
        for field in obj.fields.iter().filter(|f| f.unique) {
            let Some(Value::String(value)) = record.get(field.name) else {
                continue;
            };
            let clash = self
                .find_by_field(obj, field, value)
                .into_iter()
                .find(|id| Some(id.as_str()) != own_id);
            if let Some(other) = clash {
                return Err(SandboxError::new(
                    400,
                    "DUPLICATE_VALUE",
                    format!(
                        "duplicate value found: {} duplicates value on record with id: {other}",
                        field.name
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// 400 REQUIRED_FIELD_MISSING naming the missing fields, if any.
pub(super) fn check_required(missing: &[&str]) -> Result<(), SandboxError> {
    if missing.is_empty() {
        return Ok(());
    }
    Err(SandboxError::new(
        400,
        "REQUIRED_FIELD_MISSING",
        format!("Required fields are missing: [{}]", missing.join(", ")),
    )
    .with_fields(missing.iter().copied()))
}
