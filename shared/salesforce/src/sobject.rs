//! Single-record operations: get, create, update, delete, upsert by external id.

use crate::Salesforce;
use crate::client::{DecodeResponse, Request, Target};
use crate::error::SalesforceError;
use crate::path::{external_id_segment, validate_fields, validate_id, validate_name};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The outcome of an upsert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpsertResult {
    /// The id of the record created or updated.
    pub id: String,
    /// Whether a record was created (`false`: an existing one was updated).
    pub created: bool,
}

/// The body Salesforce answers a create or an upsert with.
#[derive(Deserialize)]
struct SaveResult {
    id: String,
    #[serde(default)]
    created: bool,
}

/// Serializes a request body; a body that cannot be JSON is the caller's mistake, reported as such.
pub(crate) fn to_json(body: &impl Serialize) -> Result<serde_json::Value, SalesforceError> {
    serde_json::to_value(body)
        .map_err(|e| SalesforceError::InvalidRequest(format!("body does not serialize: {e}")))
}

fn to_bytes(body: &impl Serialize) -> Result<Vec<u8>, SalesforceError> {
    serde_json::to_vec(body)
        .map_err(|e| SalesforceError::InvalidRequest(format!("body does not serialize: {e}")))
}

impl Salesforce {
    /// Reads one record's `fields` (all fields if empty) and decodes it as `T`.
    pub async fn get<T: DeserializeOwned>(
        &self,
        sobject: &str,
        id: &str,
        fields: &[&str],
    ) -> Result<T, SalesforceError> {
        let sobject = validate_name(sobject, "sObject")?;
        let id = validate_id(id)?;
        let mut query = Vec::new();
        if !fields.is_empty() {
            query.push(("fields", validate_fields(fields)?));
        }
        let request = Request {
            operation: format!("get {sobject}"),
            method: Method::GET,
            target: Target::Api(format!("sobjects/{sobject}/{id}")),
            query,
            body: None,
        };
        self.execute(&request).await?.success()?.json(sobject)
    }

    /// Creates a record and returns its id.
    pub async fn create(&self, sobject: &str, body: &impl Serialize) -> Result<String, SalesforceError> {
        let sobject = validate_name(sobject, "sObject")?;
        let request = Request {
            operation: format!("create {sobject}"),
            method: Method::POST,
            target: Target::Api(format!("sobjects/{sobject}")),
            query: Vec::new(),
            body: Some(to_bytes(body)?),
        };
        let saved: SaveResult = self.execute(&request).await?.success()?.json("create response")?;
        Ok(saved.id)
    }

    /// Updates the fields in `body` of record `id`.
    pub async fn update(
        &self,
        sobject: &str,
        id: &str,
        body: &impl Serialize,
    ) -> Result<(), SalesforceError> {
        let sobject = validate_name(sobject, "sObject")?;
        let id = validate_id(id)?;
        let request = Request {
            operation: format!("update {sobject}"),
            method: Method::PATCH,
            target: Target::Api(format!("sobjects/{sobject}/{id}")),
            query: Vec::new(),
            body: Some(to_bytes(body)?),
        };
        self.execute(&request).await?.success().map(drop)
    }

    /// Deletes record `id`.
    pub async fn delete(&self, sobject: &str, id: &str) -> Result<(), SalesforceError> {
        let sobject = validate_name(sobject, "sObject")?;
        let id = validate_id(id)?;
        let request = Request {
            operation: format!("delete {sobject}"),
            method: Method::DELETE,
            target: Target::Api(format!("sobjects/{sobject}/{id}")),
            query: Vec::new(),
            body: None,
        };
        self.execute(&request).await?.success().map(drop)
    }

    /// Creates or updates the record whose `external_id_field` equals `external_id`. The value is
    /// percent-encoded as one path segment, so any text (an email, say) is safe. Several matching
    /// records answer 300, reported as an [`SalesforceError::Api`] with code `MULTIPLE_CHOICES`.
    pub async fn upsert(
        &self,
        sobject: &str,
        external_id_field: &str,
        external_id: &str,
        body: &impl Serialize,
    ) -> Result<UpsertResult, SalesforceError> {
        let sobject = validate_name(sobject, "sObject")?;
        let field = validate_name(external_id_field, "external id field")?;
        let value = external_id_segment(external_id)?;
        let request = Request {
            operation: format!("upsert {sobject}"),
            method: Method::PATCH,
            target: Target::Api(format!("sobjects/{sobject}/{field}/{value}")),
            query: Vec::new(),
            body: Some(to_bytes(body)?),
        };
        let reply = self.execute(&request).await?.success()?;
        if reply.body.is_empty() {
            // API versions before 46.0 answer an update with 204 and no body, hence no id.
            return Err(SalesforceError::Decode(format!(
                "upsert answered {} without a body; use API version 46.0 or later",
                reply.status
            )));
        }
        let saved: SaveResult = reply.json("upsert response")?;
        // The status is the authority on created/updated; the body's flag only backs it up.
        Ok(UpsertResult {
            id: saved.id,
            created: reply.status == 201 || saved.created,
        })
    }
}
