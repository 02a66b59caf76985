//! Turning a JSON value a client wrote into the value stored for a field, or Salesforce's error.
//!
//! Like Salesforce: an empty string means null, numbers and booleans are accepted for text fields,
//! numeric strings for number fields, and every value is stored in the form the API returns it.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Number, Value, json};

use crate::error::SandboxError;
use crate::schema::{FieldDef, FieldType};

/// The stored form of `value` for `field`, before reference and uniqueness checks.
pub(crate) fn coerce(field: &FieldDef, value: &Value) -> Result<Value, SandboxError> {
    if value.is_null() || value.as_str() == Some("") {
        // A checkbox is never null: clearing it unchecks it.
        return Ok(if field.ty == FieldType::Boolean {
            json!(false)
        } else {
            Value::Null
        });
    }
    match &field.ty {
        FieldType::Text { max_len } => text(field, value, *max_len),
        FieldType::Phone => text(field, value, 40),
        FieldType::Email => {
            let s = text(field, value, 80)?;
            let raw = s.as_str().unwrap_or_default();
            if is_email(raw) {
                Ok(s)
            } else {
                Err(SandboxError::new(
                    400,
                    "INVALID_EMAIL_ADDRESS",
                    format!("{}: invalid email address: {raw}", field.label),
                )
                .with_fields([field.name]))
            }
        }
        FieldType::Picklist { values } => {
            let s = scalar_string(field, value)?;
            if values.contains(&s.as_str()) {
                Ok(Value::String(s))
            } else {
                Err(SandboxError::new(
                    400,
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    format!("{}: bad value for restricted picklist field: {s}", field.label),
                )
                .with_fields([field.name]))
            }
        }
        FieldType::Date => match value
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        {
            Some(d) => Ok(json!(d.format("%Y-%m-%d").to_string())),
            None => Err(cannot_deserialize("date", value)),
        },
        FieldType::DateTime => match value.as_str().and_then(parse_datetime) {
            Some(dt) => Ok(json!(format_datetime(dt))),
            None => Err(cannot_deserialize("datetime", value)),
        },
        FieldType::Number { scale } => number(field, value, *scale),
        FieldType::Currency => number(field, value, 2),
        FieldType::Boolean => match value {
            Value::Bool(b) => Ok(json!(b)),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(json!(true)),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(json!(false)),
            _ => Err(cannot_deserialize("boolean", value)),
        },
        // Existence and object type are checked by the store, which can see the records.
        FieldType::Reference { .. } | FieldType::Id => match value {
            Value::String(s) => Ok(json!(s)),
            _ => Err(cannot_deserialize("id", value)),
        },
        FieldType::AutoNumber { .. } | FieldType::Formula(_) => Err(read_only(field)),
    }
}

/// 400 INVALID_FIELD_FOR_INSERT_UPDATE for a field the client may not write.
pub(crate) fn read_only(field: &FieldDef) -> SandboxError {
    SandboxError::new(
        400,
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        format!(
            "Unable to create/update fields: {}. Please check the security settings of this field and verify \
             that it is read/write for your profile or permission set.",
            field.name
        ),
    )
    .with_fields([field.name])
}

fn text(field: &FieldDef, value: &Value, max_len: usize) -> Result<Value, SandboxError> {
    let s = scalar_string(field, value)?;
    if s.chars().count() > max_len {
        return Err(SandboxError::new(
            400,
            "STRING_TOO_LONG",
            format!(
                "{}: data value too large: {s} (max length={max_len})",
                field.label
            ),
        )
        .with_fields([field.name]));
    }
    Ok(Value::String(s))
}

/// A string, number or boolean as text; objects and arrays are a parser error.
fn scalar_string(field: &FieldDef, value: &Value) -> Result<String, SandboxError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(cannot_deserialize(
            if field.ty == FieldType::Email {
                "email"
            } else {
                "string"
            },
            value,
        )),
    }
}

fn number(field: &FieldDef, value: &Value, scale: u32) -> Result<Value, SandboxError> {
    let x = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let Some(x) = x.filter(|x| x.is_finite()) else {
        return Err(cannot_deserialize("double", value));
    };
    if x.abs() >= 1e18 {
        return Err(SandboxError::new(
            400,
            "NUMBER_OUTSIDE_VALID_RANGE",
            format!(
                "{}: value outside of valid range on numeric field: {x}",
                field.label
            ),
        )
        .with_fields([field.name]));
    }
    // Salesforce rounds to the field's scale on write, and its JSON writes every Number,
    // Currency and numeric formula as a double (`2.0`, `450.0`), whatever the scale.
    let factor = 10f64.powi(i32::try_from(scale).unwrap_or(2));
    Ok(Number::from_f64((x * factor).round() / factor).map_or(Value::Null, Value::Number))
}

/// Salesforce's parser error for a value of the wrong JSON type or format.
pub(crate) fn cannot_deserialize(type_name: &str, value: &Value) -> SandboxError {
    let (token, shown) = match value {
        Value::String(s) => ("VALUE_STRING", s.clone()),
        Value::Number(n) if n.is_f64() => ("VALUE_NUMBER_FLOAT", n.to_string()),
        Value::Number(n) => ("VALUE_NUMBER_INT", n.to_string()),
        Value::Bool(true) => ("VALUE_TRUE", "true".to_owned()),
        Value::Bool(false) => ("VALUE_FALSE", "false".to_owned()),
        Value::Object(_) => ("START_OBJECT", "{".to_owned()),
        Value::Array(_) => ("START_ARRAY", "[".to_owned()),
        Value::Null => ("VALUE_NULL", "null".to_owned()),
    };
    SandboxError::json_parser(format!(
        "Cannot deserialize instance of {type_name} from {token} value {shown} or request may be missing a required field"
    ))
}

/// A plausible email address: one `@`, a non-empty local part and a dotted domain, no spaces.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

/// Parses the datetime forms Salesforce accepts: RFC 3339 (`Z`, `+hh:mm`, fractions) and its own
/// `+hhmm` offset form.
pub(crate) fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(dt) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Some(dt.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

/// Salesforce's datetime output form: `2026-11-23T10:00:00.000+0000`.
pub(crate) fn format_datetime(dt: DateTime<Utc>) -> String {
    dt.format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::schema;

    fn field(object: &str, name: &str) -> FieldDef {
        schema().object(object).unwrap().field(name).unwrap().clone()
    }

    #[test]
    fn picklist_rejects_unknown_values_with_salesforce_message() {
        let e = coerce(&field("Booking__c", "Status__c"), &json!("Foo")).unwrap_err();
        assert_eq!(e.error_code, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assert_eq!(e.message, "Status: bad value for restricted picklist field: Foo");
        assert_eq!(e.fields, vec!["Status__c"]);
        assert_eq!(
            coerce(&field("Booking__c", "Status__c"), &json!("Checked In")).unwrap(),
            json!("Checked In")
        );
    }

    #[test]
    fn values_are_normalised() {
        assert_eq!(
            coerce(&field("Hotel_Room__c", "Nightly_Rate__c"), &json!("149.994")).unwrap(),
            json!(149.99)
        );
        assert_eq!(
            coerce(&field("Hotel_Room__c", "Floor__c"), &json!(2.4)).unwrap(),
            json!(2.0)
        );
        assert_eq!(
            coerce(&field("Hotel_Room__c", "Accessible__c"), &Value::Null).unwrap(),
            json!(false)
        );
        assert_eq!(
            coerce(&field("Contact", "FirstName"), &json!("")).unwrap(),
            Value::Null
        );
        assert_eq!(
            coerce(
                &field("Booking__c", "Checked_In_At__c"),
                &json!("2026-11-23T10:00:00+01:00")
            )
            .unwrap(),
            json!("2026-11-23T09:00:00.000+0000")
        );
    }

    #[test]
    fn type_errors_are_reported() {
        let e = coerce(&field("Booking__c", "Check_In_Date__c"), &json!("tomorrow")).unwrap_err();
        assert_eq!(e.error_code, "JSON_PARSER_ERROR");
        let e = coerce(&field("Hotel_Room__c", "Room_Number__c"), &json!("123456")).unwrap_err();
        assert_eq!(e.error_code, "STRING_TOO_LONG");
        let e = coerce(&field("Contact", "Email"), &json!("not an email")).unwrap_err();
        assert_eq!(e.error_code, "INVALID_EMAIL_ADDRESS");
        let e = coerce(&field("Booking__c", "Total_Nights__c"), &json!(3)).unwrap_err();
        assert_eq!(e.error_code, "INVALID_FIELD_FOR_INSERT_UPDATE");
    }
}
