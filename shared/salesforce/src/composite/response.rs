//! Sending a composite request and reading its answer.

use super::CompositeRequest;
use crate::Salesforce;
use crate::client::{DecodeResponse, Request, Target};
use crate::error::{ApiError, CompositeFailure, PROCESSING_HALTED, SalesforceError, decode_errors};
use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The answer to one subrequest.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CompositeSubresponse {
    /// The subrequest's `referenceId`.
    #[serde(rename = "referenceId")]
    pub reference_id: String,
    /// Its HTTP status.
    #[serde(rename = "httpStatusCode")]
    pub http_status_code: u16,
    /// Its body (`null` for a 204).
    #[serde(default)]
    pub body: serde_json::Value,
}

impl CompositeSubresponse {
    /// Whether the subrequest succeeded (2xx).
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.http_status_code)
    }

    /// The `id` of the body: the record a create or upsert saved.
    pub fn id(&self) -> Option<&str> {
        self.body.get("id").and_then(serde_json::Value::as_str)
    }

    /// The errors of a failed subrequest (empty for a success).
    pub fn errors(&self) -> Vec<ApiError> {
        if self.is_success() {
            return Vec::new();
        }
        decode_errors(self.body.to_string().as_bytes())
    }

    /// The body decoded as `T` (a record for a get, a [`QueryPage`](crate::QueryPage) for a query).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, SalesforceError> {
        T::deserialize(&self.body)
            .map_err(|e| SalesforceError::Decode(format!("subrequest '{}': {e}", self.reference_id)))
    }

    fn failure(&self) -> CompositeFailure {
        CompositeFailure {
            reference_id: self.reference_id.clone(),
            status: self.http_status_code,
            errors: self.errors(),
        }
    }
}

#[derive(Deserialize)]
struct CompositeResponse {
    #[serde(rename = "compositeResponse")]
    composite_response: Vec<CompositeSubresponse>,
}

impl Salesforce {
    /// Sends `request` as one call and returns one answer per subrequest, in order.
    ///
    /// With `all_or_none`, a failed subrequest means everything was rolled back: that is returned as
    /// [`SalesforceError::CompositeFailed`], naming the subrequests that caused it. Without, every
    /// answer is returned as is and the caller inspects each one. An empty request returns no answers
    /// and makes no call.
    pub async fn composite(
        &self,
        request: &CompositeRequest,
    ) -> Result<Vec<CompositeSubresponse>, SalesforceError> {
        let body = request.to_body(&self.inner.config.api_version)?;
        if request.is_empty() {
            return Ok(Vec::new());
        }
        let call = Request {
            operation: "composite".into(),
            method: Method::POST,
            target: Target::Api("composite".into()),
            query: Vec::new(),
            body: Some(body),
        };
        let response: CompositeResponse = self.execute(&call).await?.success()?.json("composite response")?;
        let answers = response.composite_response;
        if request.all_or_none() && answers.iter().any(|a| !a.is_success()) {
            return Err(rolled_back(&answers));
        }
        Ok(answers)
    }
}

/// Splits the failed answers into the causes and those halted because of them. If every failure says
/// PROCESSING_HALTED (no cause reported), they are all reported as failures rather than hidden.
fn rolled_back(answers: &[CompositeSubresponse]) -> SalesforceError {
    let (halted, failures): (Vec<CompositeFailure>, Vec<CompositeFailure>) = answers
        .iter()
        .filter(|a| !a.is_success())
        .map(CompositeSubresponse::failure)
        .partition(|f| !f.errors.is_empty() && f.errors.iter().all(|e| e.error_code == PROCESSING_HALTED));
    if failures.is_empty() {
        SalesforceError::CompositeFailed {
            failures: halted,
            halted: Vec::new(),
        }
    } else {
        SalesforceError::CompositeFailed { failures, halted }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(reference_id: &str, status: u16, body: serde_json::Value) -> CompositeSubresponse {
        CompositeSubresponse {
            reference_id: reference_id.into(),
            http_status_code: status,
            body,
        }
    }

    /// The cause of a rollback is reported first; the halted subrequests stay available.
    #[test]
    fn a_rollback_names_its_cause() {
        let halted = json!([{"errorCode": "PROCESSING_HALTED", "message": "rolled back"}]);
        let answers = [
            answer("booking", 400, halted.clone()),
            answer(
                "room",
                400,
                json!([{"errorCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                                         "message": "bad value", "fields": ["Status__c"]}]),
            ),
            answer("opportunity", 400, halted),
        ];
        let SalesforceError::CompositeFailed { failures, halted } = rolled_back(&answers) else {
            panic!("expected CompositeFailed");
        };
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].reference_id, "room");
        assert_eq!(failures[0].errors[0].fields, vec!["Status__c".to_owned()]);
        assert_eq!(
            halted.iter().map(|h| h.reference_id.as_str()).collect::<Vec<_>>(),
            ["booking", "opportunity"]
        );
    }

    /// Subresponse helpers read ids, errors and typed bodies.
    #[test]
    fn subresponse_helpers_read_the_body() {
        let created = answer(
            "c",
            201,
            json!({"id": "500000000000001AAA", "success": true, "errors": []}),
        );
        assert_eq!(created.id(), Some("500000000000001AAA"));
        assert!(created.errors().is_empty());
        let failed = answer("f", 404, json!([{"errorCode": "NOT_FOUND", "message": "gone"}]));
        assert_eq!(failed.errors()[0].error_code, "NOT_FOUND");
        assert!(matches!(failed.decode::<Vec<u8>>(), Err(SalesforceError::Decode(m)) if m.contains("'f'")));
    }
}
