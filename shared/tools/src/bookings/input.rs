//! How the booking orchestrators read their inputs beyond what the domain types check.
//!
//! - A required field sent blank or `null` is missing, like an absent one, so every such field is
//!   listed in one `400 REQUIRED_FIELDS_MISSING` (the original's first check), not rejected one at a
//!   time as a malformed value. An optional field sent blank is simply not given.
//! - Free text goes into a Composite request, where Salesforce replaces any `@{name.path}` in a
//!   value by the result of an earlier subrequest; text containing `@{` is refused so that a guest's
//!   words can neither break the write nor pull another record's id into it.

use dewy_domain::ToolError;
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde_json::{Value, json};

/// Deserialises a field, reading `null` and a blank string as "not given". Used with
/// `#[serde(default, deserialize_with = "lenient")]`.
pub(super) fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(None),
        Value::String(text) if text.trim().is_empty() => Ok(None),
        value => T::deserialize(value).map(Some).map_err(D::Error::custom),
    }
}

/// Marks `fields` as required in an input's JSON Schema. They are read with [`lenient`] (so that
/// blank ones are reported together as missing), which leaves them optional and `null` by default
/// to the schema generator; agents must see them as required strings.
pub(super) fn mark_required(schema: &mut schemars::Schema, fields: &[&str]) {
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for field in fields {
            if let Some(property) = properties.get_mut(*field).and_then(Value::as_object_mut) {
                property.remove("default");
                // `["string", "null"]` becomes `"string"`: null is no value for a required field.
                if let Some(Value::Array(types)) = property.get("type") {
                    let types: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
                    if let [only] = types.as_slice() {
                        property.insert("type".into(), only.clone());
                    }
                }
            }
        }
    }
    schema.insert("required".into(), json!(fields));
}

/// `400 REQUIRED_FIELDS_MISSING` naming every field of `fields` that is not given (`true`).
pub(super) fn missing(fields: &[(&'static str, bool)]) -> ToolError {
    let names: Vec<&str> = fields
        .iter()
        .filter(|(_, absent)| *absent)
        .map(|(name, _)| *name)
        .collect();
    ToolError::missing_fields(&names)
}

/// Refuses text that a Composite request would read as a reference (`@{`), naming the field.
pub(super) fn plain_text(fields: &[(&'static str, Option<&str>)]) -> Result<(), ToolError> {
    match fields
        .iter()
        .find(|(_, text)| text.is_some_and(|t| t.contains("@{")))
    {
        Some((field, _)) => Err(ToolError::validation(format!(
            "{field} may not contain the characters '@{{' (they would be read as a reference to another \
             record). Rephrase it, for example with a space between '@' and '{{'."
        ))
        .with_details(json!({ "field": field }))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_domain::input::Email;

    #[derive(Debug, serde::Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "lenient")]
        email: Option<Email>,
    }

    #[test]
    fn blank_and_null_are_not_given_and_bad_values_still_fail() {
        let read = |v: Value| serde_json::from_value::<Probe>(v).map(|p| p.email);
        assert_eq!(read(json!({})).unwrap(), None);
        assert_eq!(read(json!({"email": null})).unwrap(), None);
        assert_eq!(read(json!({"email": "  "})).unwrap(), None);
        assert_eq!(
            read(json!({"email": "Kay@Example.com"}))
                .unwrap()
                .unwrap()
                .as_str(),
            "kay@example.com"
        );
        assert!(read(json!({"email": "nope"})).is_err());
        assert!(read(json!({"email": 5})).is_err());
    }

    #[test]
    fn missing_fields_are_listed_together_and_references_are_refused() {
        let error = missing(&[("a", true), ("b", false), ("c", true)]);
        assert_eq!(error.details.unwrap()["missing_fields"], json!(["a", "c"]));
        assert!(plain_text(&[("special_requests", Some("Late check-in @ 9pm {please}"))]).is_ok());
        let refused = plain_text(&[("guest_phone", None), ("special_requests", Some("x @{guest.id}"))]);
        assert_eq!(refused.unwrap_err().details.unwrap()["field"], "special_requests");
    }
}
