//! Typed reads of Salesforce records, addressed by the domain's field-name constants.
//!
//! Records arrive as JSON maps. Reading them through these accessors (rather than serde structs with
//! `rename` literals) keeps each field name in one place, `dewy_domain::objects`, and turns a record
//! Salesforce returned in an unexpected shape into a clear `SALESFORCE_ERROR`, never a panic.

use chrono::{DateTime, NaiveDate, Utc};
use dewy_domain::{ErrorCode, Picklist, ToolError};
use serde_json::{Map, Value};

/// One Salesforce record (or a related record inside one). The default is a record with no fields,
/// which reads as an empty lookup.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(transparent)]
pub struct Record(Map<String, Value>);

impl Record {
    /// The record id.
    pub fn id(&self) -> Result<&str, ToolError> {
        self.required_text("Id")
    }

    /// A text field; `None` when null or absent.
    pub fn text(&self, field: &str) -> Result<Option<&str>, ToolError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(malformed(field, "text")),
        }
    }

    /// A text field that must be present.
    pub fn required_text(&self, field: &str) -> Result<&str, ToolError> {
        self.text(field)?.ok_or_else(|| malformed(field, "a value"))
    }

    /// A date field (`YYYY-MM-DD`).
    pub fn date(&self, field: &str) -> Result<Option<NaiveDate>, ToolError> {
        self.text(field)?
            .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| malformed(field, "a date")))
            .transpose()
    }

    /// A date-time field (Salesforce writes `2026-11-23T10:00:00.000+0000`).
    pub fn date_time(&self, field: &str) -> Result<Option<DateTime<Utc>>, ToolError> {
        self.text(field)?
            .map(|s| {
                DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z")
                    .or_else(|_| DateTime::parse_from_rfc3339(s))
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| malformed(field, "a date-time"))
            })
            .transpose()
    }

    /// A number field (Salesforce writes numbers as `1` or `1.0`).
    pub fn number(&self, field: &str) -> Result<Option<f64>, ToolError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n.as_f64().map(Some).ok_or_else(|| malformed(field, "a number")),
            Some(_) => Err(malformed(field, "a number")),
        }
    }

    /// A whole-number field, e.g. a floor or a number of nights.
    pub fn integer(&self, field: &str) -> Result<Option<i64>, ToolError> {
        Ok(self.number(field)?.map(|n| n.round() as i64))
    }

    /// A picklist field that must hold one of the domain's values.
    pub fn picklist<P: Picklist>(&self, field: &str) -> Result<P, ToolError> {
        let raw = self.required_text(field)?;
        P::from_api_value(raw).ok_or_else(|| malformed(field, "a known picklist value"))
    }

    /// A picklist field that may be empty, but when set holds one of the domain's values.
    pub fn optional_picklist<P: Picklist>(&self, field: &str) -> Result<Option<P>, ToolError> {
        self.text(field)?
            .map(|raw| P::from_api_value(raw).ok_or_else(|| malformed(field, "a known picklist value")))
            .transpose()
    }

    /// A related record through a relationship (`Room__r`); `None` when the lookup is empty.
    pub fn related(&self, relationship: &str) -> Result<Option<Record>, ToolError> {
        match self.0.get(relationship) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(fields)) => Ok(Some(Record(fields.clone()))),
            Some(_) => Err(malformed(relationship, "a related record")),
        }
    }
}

fn malformed(field: &str, expected: &str) -> ToolError {
    tracing::error!(
        field,
        expected,
        "Salesforce returned a record in an unexpected shape"
    );
    ToolError::new(
        ErrorCode::SalesforceError,
        "Salesforce returned a record this tool cannot read.",
    )
    .with_details(serde_json::json!({ "backend": "salesforce", "field": field, "retryable": false }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_domain::objects::room::RoomStatus;
    use serde_json::json;

    #[test]
    fn reads_fields_relations_and_rejects_wrong_shapes() {
        let record: Record = serde_json::from_value(json!({
            "Id": "a01", "Floor__c": 2.0, "Check_In_Date__c": "2026-11-23",
            "Checked_In_At__c": "2026-11-23T10:00:00.000+0000",
            "Room__r": {"Status__c": "Vacant"}, "Primary_Guest__r": null, "Bad__c": 5
        }))
        .unwrap();
        assert_eq!(record.id().unwrap(), "a01");
        assert_eq!(record.integer("Floor__c").unwrap(), Some(2));
        assert_eq!(
            record.date("Check_In_Date__c").unwrap().unwrap().to_string(),
            "2026-11-23"
        );
        assert_eq!(
            record
                .date_time("Checked_In_At__c")
                .unwrap()
                .unwrap()
                .to_rfc3339(),
            "2026-11-23T10:00:00+00:00"
        );
        let room = record.related("Room__r").unwrap().unwrap();
        assert_eq!(
            room.picklist::<RoomStatus>("Status__c").unwrap(),
            RoomStatus::Vacant
        );
        assert_eq!(record.related("Primary_Guest__r").unwrap(), None);
        assert_eq!(
            record.text("Bad__c").unwrap_err().code,
            ErrorCode::SalesforceError
        );
        assert!(record.required_text("Missing__c").is_err());
    }
}
