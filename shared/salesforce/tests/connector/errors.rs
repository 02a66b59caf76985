//! Salesforce's errors, decoded: field and query errors, not found, injected 500 and 429 (with
//! retries off, so that the single failure is what the test sees).

use crate::common::{self, rooms_query};
use dewy_salesforce::SalesforceError;
use dewy_salesforce::soql::{Cond, Soql};
use dewy_salesforce_sandbox::{Fault, FaultRule};
use serde_json::Value;

fn api(error: &SalesforceError) -> (Option<u16>, Option<&str>) {
    (error.status(), error.error_code())
}

/// An unknown field is INVALID_FIELD, a query Salesforce rejects is MALFORMED_QUERY; neither is
/// retry-safe.
#[tokio::test]
async fn query_errors_are_decoded() {
    let env = common::start().await;
    // GIVEN a query naming a field that does not exist
    let unknown = Soql::select(&["Id", "Nope__c"]).from("Contact");
    // WHEN it runs THEN it fails with INVALID_FIELD, naming the field in the message
    let error = env
        .salesforce
        .query::<Value>(&unknown)
        .await
        .expect_err("unknown field");
    assert_eq!(api(&error), (Some(400), Some("INVALID_FIELD")));
    assert!(error.to_string().contains("Nope__c"), "{error}");
    assert!(!error.is_retry_safe());
    // GIVEN a query selecting the same field twice WHEN it runs THEN it is MALFORMED_QUERY
    let duplicate = Soql::select(&["Id", "Id"]).from("Contact");
    let error = env
        .salesforce
        .query::<Value>(&duplicate)
        .await
        .expect_err("duplicate field");
    assert_eq!(api(&error), (Some(400), Some("MALFORMED_QUERY")));
    assert!(matches!(&error, SalesforceError::Api { errors, .. } if errors.len() == 1));
}

/// A record that does not exist is a 404 NOT_FOUND, recognised by `is_not_found`.
#[tokio::test]
async fn a_missing_record_is_not_found() {
    let env = common::start().await;
    let error = env
        .salesforce
        .get::<Value>("Case", "500000000000999", &[])
        .await
        .expect_err("no such case");
    assert_eq!(api(&error), (Some(404), Some("NOT_FOUND")));
    assert!(error.is_not_found());
    let present = Soql::select(&["Id"])
        .from("Case")
        .filter(Cond::eq("Subject", "none"));
    assert!(
        env.salesforce
            .query::<Value>(&present)
            .await
            .is_ok_and(|found| found.is_empty())
    );
}

/// An injected 500 is an Api error with UNKNOWN_EXCEPTION, retry-safe; the next call succeeds.
#[tokio::test]
async fn a_server_error_is_decoded_and_retry_safe() {
    let env = common::start_without_retries().await;
    // GIVEN one 500 on the next query
    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .rate(1.0)
            .path("/query")
            .times(1),
    );
    // WHEN querying twice
    let error = env
        .salesforce
        .query::<Value>(&rooms_query())
        .await
        .expect_err("500");
    let retried = env.salesforce.query::<Value>(&rooms_query()).await;
    // THEN the first is a retry-safe 500 and the second succeeds
    assert_eq!(api(&error), (Some(500), Some("UNKNOWN_EXCEPTION")));
    assert!(error.is_retry_safe());
    assert!(retried.is_ok_and(|rooms| rooms.len() == 1));
}

/// An injected 429 is an Api error with REQUEST_LIMIT_EXCEEDED, retry-safe.
#[tokio::test]
async fn rate_limiting_is_decoded_and_retry_safe() {
    let env = common::start_without_retries().await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::RateLimited)
            .rate(1.0)
            .path("/query")
            .times(1),
    );
    let error = env
        .salesforce
        .query::<Value>(&rooms_query())
        .await
        .expect_err("429");
    assert_eq!(api(&error), (Some(429), Some("REQUEST_LIMIT_EXCEEDED")));
    assert!(error.is_retry_safe());
    assert!(!error.is_not_found());
}

/// A failure of the token endpoint that is not an OAuth error stays an Api error (here a 500), so
/// that it is retry-safe rather than reported as bad credentials.
#[tokio::test]
async fn a_token_endpoint_outage_is_not_an_auth_error() {
    let env = common::start_without_retries().await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .rate(1.0)
            .path("/oauth2/token")
            .times(1),
    );
    let error = env
        .salesforce
        .query::<Value>(&rooms_query())
        .await
        .expect_err("token 500");
    assert_eq!(api(&error), (Some(500), Some("UNKNOWN_EXCEPTION")));
    assert!(error.is_retry_safe());
    assert!(env.salesforce.query::<Value>(&rooms_query()).await.is_ok());
}
