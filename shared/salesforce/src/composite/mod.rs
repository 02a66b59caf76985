//! The Composite API: up to 25 subrequests in one call, optionally all-or-none, later ones able to
//! refer to the results of earlier ones.

mod reference;
mod response;

pub use reference::{RecordKey, Reference};
pub use response::CompositeSubresponse;

use crate::error::SalesforceError;
use crate::path::{validate_fields, validate_name};
use crate::sobject::to_json;
use crate::soql::Soql;
use serde::Serialize;
use std::collections::HashSet;

/// The most subrequests Salesforce accepts in one composite request.
pub const MAX_SUBREQUESTS: usize = 25;

/// A composite request under construction.
///
/// The builder methods never fail on the spot, so they chain; the first problem (a bad id, a body that
/// does not serialize, a repeated reference id, more than [`MAX_SUBREQUESTS`]) is kept and returned by
/// [`Salesforce::composite`](crate::Salesforce::composite) before anything is sent.
#[derive(Debug, Clone)]
pub struct CompositeRequest {
    all_or_none: bool,
    subrequests: Vec<Subrequest>,
    reference_ids: HashSet<String>,
    error: Option<SalesforceError>,
}

#[derive(Debug, Clone)]
struct Subrequest {
    method: &'static str,
    /// Relative to the versioned base, already encoded (`sobjects/Booking__c/a01…`).
    path: String,
    reference_id: String,
    body: Option<serde_json::Value>,
}

impl CompositeRequest {
    /// An empty request. With `all_or_none`, any failed subrequest rolls back all of them, and
    /// [`Salesforce::composite`](crate::Salesforce::composite) reports it as
    /// [`SalesforceError::CompositeFailed`].
    pub fn new(all_or_none: bool) -> Self {
        CompositeRequest {
            all_or_none,
            subrequests: Vec::new(),
            reference_ids: HashSet::new(),
            error: None,
        }
    }

    /// `@{reference_id.id}`: the id saved by the subrequest `reference_id`, for use as a later
    /// subrequest's record id or as a body value.
    pub fn reference_id(reference_id: &str) -> Reference {
        Reference::id(reference_id)
    }

    /// `@{reference_id.path}`, e.g. `reference("rooms", "records[0].Id")`.
    pub fn reference(reference_id: &str, path: &str) -> Reference {
        Reference::new(reference_id, path)
    }

    /// Runs `soql` (its first page).
    pub fn query(self, reference_id: &str, soql: &Soql) -> Self {
        let q: String = url::form_urlencoded::byte_serialize(soql.as_str().as_bytes()).collect();
        self.push(reference_id, "GET", Ok(format!("query?q={q}")), Ok(None))
    }

    /// Reads record `id`'s `fields` (all if empty).
    pub fn get(self, reference_id: &str, sobject: &str, id: impl Into<RecordKey>, fields: &[&str]) -> Self {
        let path = record_path(sobject, &id.into()).and_then(|path| {
            if fields.is_empty() {
                Ok(path)
            } else {
                validate_fields(fields).map(|fields| format!("{path}?fields={fields}"))
            }
        });
        self.push(reference_id, "GET", path, Ok(None))
    }

    /// Creates a record; its id is then `CompositeRequest::reference_id(reference_id)`.
    pub fn create(self, reference_id: &str, sobject: &str, body: &impl Serialize) -> Self {
        let path = validate_name(sobject, "sObject").map(|s| format!("sobjects/{s}"));
        self.push(reference_id, "POST", path, to_json(body).map(Some))
    }

    /// Updates record `id` (a literal id or a [`Reference`]).
    pub fn update(
        self,
        reference_id: &str,
        sobject: &str,
        id: impl Into<RecordKey>,
        body: &impl Serialize,
    ) -> Self {
        let path = record_path(sobject, &id.into());
        self.push(reference_id, "PATCH", path, to_json(body).map(Some))
    }

    /// Creates or updates the record whose `external_id_field` is `external_id` (percent-encoded).
    pub fn upsert(
        self,
        reference_id: &str,
        sobject: &str,
        external_id_field: &str,
        external_id: impl Into<RecordKey>,
        body: &impl Serialize,
    ) -> Self {
        let path = validate_name(sobject, "sObject").and_then(|sobject| {
            let field = validate_name(external_id_field, "external id field")?;
            let value = external_id.into().external_id_segment()?;
            Ok(format!("sobjects/{sobject}/{field}/{value}"))
        });
        self.push(reference_id, "PATCH", path, to_json(body).map(Some))
    }

    /// Deletes record `id`.
    pub fn delete(self, reference_id: &str, sobject: &str, id: impl Into<RecordKey>) -> Self {
        let path = record_path(sobject, &id.into());
        self.push(reference_id, "DELETE", path, Ok(None))
    }

    /// The number of subrequests.
    pub fn len(&self) -> usize {
        self.subrequests.len()
    }

    /// Whether there are no subrequests (a composite of nothing is answered without a call).
    pub fn is_empty(&self) -> bool {
        self.subrequests.is_empty()
    }

    /// Whether a failure rolls back every subrequest.
    pub fn all_or_none(&self) -> bool {
        self.all_or_none
    }

    fn push(
        mut self,
        reference_id: &str,
        method: &'static str,
        path: Result<String, SalesforceError>,
        body: Result<Option<serde_json::Value>, SalesforceError>,
    ) -> Self {
        if self.error.is_some() {
            return self;
        }
        let checked = validate_reference_id(reference_id, &self.reference_ids)
            .and_then(|()| Ok((path?, body?)))
            .and_then(|entry| {
                if self.subrequests.len() < MAX_SUBREQUESTS {
                    Ok(entry)
                } else {
                    Err(SalesforceError::InvalidRequest(format!(
                        "a composite request holds at most {MAX_SUBREQUESTS} subrequests"
                    )))
                }
            });
        match checked {
            Ok((path, body)) => {
                self.reference_ids.insert(reference_id.to_owned());
                self.subrequests.push(Subrequest {
                    method,
                    path,
                    reference_id: reference_id.to_owned(),
                    body,
                });
            }
            Err(error) => self.error = Some(error),
        }
        self
    }

    /// The request body for API version `api_version`, or the first problem found while building.
    pub(crate) fn to_body(&self, api_version: &str) -> Result<Vec<u8>, SalesforceError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let subrequests: Vec<serde_json::Value> = self
            .subrequests
            .iter()
            .map(|s| {
                let mut entry = serde_json::json!({
                    "method": s.method,
                    "url": format!("/services/data/v{api_version}/{}", s.path),
                    "referenceId": s.reference_id,
                });
                if let (Some(body), Some(map)) = (&s.body, entry.as_object_mut()) {
                    map.insert("body".into(), body.clone());
                }
                entry
            })
            .collect();
        let body = serde_json::json!({ "allOrNone": self.all_or_none, "compositeRequest": subrequests });
        serde_json::to_vec(&body).map_err(|e| SalesforceError::InvalidRequest(e.to_string()))
    }
}

fn record_path(sobject: &str, id: &RecordKey) -> Result<String, SalesforceError> {
    let sobject = validate_name(sobject, "sObject")?;
    Ok(format!("sobjects/{sobject}/{}", id.id_segment()?))
}

/// Salesforce's rule: letters, digits and underscores, starting with a letter; unique in the request.
fn validate_reference_id(reference_id: &str, taken: &HashSet<String>) -> Result<(), SalesforceError> {
    if !crate::soql::is_name(reference_id) {
        return Err(SalesforceError::InvalidRequest(format!(
            "{reference_id:?} is not a valid reference id"
        )));
    }
    if taken.contains(reference_id) {
        return Err(SalesforceError::InvalidRequest(format!(
            "reference id {reference_id:?} is used twice"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The wire body has the versioned URLs, reference ids and bodies Salesforce expects.
    #[test]
    fn the_body_lists_the_subrequests_in_order() {
        // GIVEN a create, an update of the created record by reference, and a query
        let request = CompositeRequest::new(true)
            .create("newCase", "Case", &json!({"Subject": "Towels"}))
            .update(
                "touch",
                "Case",
                CompositeRequest::reference_id("newCase"),
                &json!({"Status": "Working"}),
            )
            .query("rooms", &Soql::select(&["Id"]).from("Hotel_Room__c"))
            .upsert("c", "Contact", "Unique_Email__c", "kay@example.com", &json!({}));
        // WHEN it is written
        let body: serde_json::Value =
            serde_json::from_slice(&request.to_body("62.0").expect("valid request")).expect("json");
        // THEN everything is in place
        assert_eq!(body["allOrNone"], json!(true));
        let subs = body["compositeRequest"].as_array().expect("array");
        assert_eq!(subs[0]["url"], json!("/services/data/v62.0/sobjects/Case"));
        assert_eq!(subs[0]["body"], json!({"Subject": "Towels"}));
        assert_eq!(
            subs[1]["url"],
            json!("/services/data/v62.0/sobjects/Case/@{newCase.id}")
        );
        assert_eq!(
            subs[2]["url"],
            json!("/services/data/v62.0/query?q=SELECT+Id+FROM+Hotel_Room__c")
        );
        assert!(subs[2].get("body").is_none());
        assert_eq!(
            subs[3]["url"],
            json!("/services/data/v62.0/sobjects/Contact/Unique_Email__c/kay%40example.com")
        );
    }

    /// Building problems are kept and reported before sending: the first one wins.
    #[test]
    fn building_problems_are_reported_before_sending() {
        let bad_id = CompositeRequest::new(true)
            .delete("d", "Case", "../../x")
            .delete("e", "Case", "nope");
        assert!(
            matches!(bad_id.to_body("62.0"), Err(SalesforceError::InvalidId(m)) if m.contains("../../x"))
        );
        let twice = CompositeRequest::new(false)
            .delete("d", "Case", "500000000000001")
            .delete("d", "Case", "500000000000002");
        assert!(matches!(
            twice.to_body("62.0"),
            Err(SalesforceError::InvalidRequest(_))
        ));
        let mut many = CompositeRequest::new(false);
        for i in 0..=MAX_SUBREQUESTS {
            many = many.delete(&format!("d{i}"), "Case", "500000000000001");
        }
        assert_eq!(many.len(), MAX_SUBREQUESTS);
        assert!(matches!(many.to_body("62.0"), Err(SalesforceError::InvalidRequest(m)) if m.contains("25")));
    }
}
