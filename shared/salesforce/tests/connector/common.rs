//! Shared set-up: a seeded sandbox and a connector pointed at it.

use dewy_connector::{CallRecorder, Deadline, RetryPolicy, Secret};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_salesforce::{Credentials, Salesforce, SalesforceConfig};
use dewy_salesforce_sandbox::{Sandbox, SandboxConfig};
use std::time::Duration;

/// A seeded sandbox and a connector using the client credentials flow against it.
pub struct Env {
    pub sandbox: Sandbox,
    pub salesforce: Salesforce,
}

pub async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default())
        .await
        .expect("the sandbox starts")
}

pub fn client_credentials(sandbox: &Sandbox) -> Credentials {
    Credentials::ClientCredentials {
        client_id: sandbox.config().client_id.clone(),
        client_secret: Secret::new(sandbox.config().client_secret.clone()),
    }
}

pub fn config(sandbox: &Sandbox, credentials: Credentials) -> SalesforceConfig {
    let login_url = url::Url::parse(&sandbox.base_url()).expect("the sandbox URL parses");
    SalesforceConfig::new(login_url, credentials)
}

pub async fn start() -> Env {
    start_with_timeout(SalesforceConfig::DEFAULT_REQUEST_TIMEOUT).await
}

pub async fn start_with_timeout(request_timeout: Duration) -> Env {
    start_with(|config| config.with_request_timeout(request_timeout)).await
}

/// A sandbox and a connector whose default configuration `adjust` changes.
pub async fn start_with(adjust: impl FnOnce(SalesforceConfig) -> SalesforceConfig) -> Env {
    let sandbox = sandbox().await;
    let config = adjust(config(&sandbox, client_credentials(&sandbox)));
    let salesforce = Salesforce::new(config, dewy_connector::http_client());
    Env { sandbox, salesforce }
}

/// A connector that never retries, for tests of how one failure is reported.
pub async fn start_without_retries() -> Env {
    start_with(|config| config.with_retry(RetryPolicy::none())).await
}

/// A clone of `salesforce` recording into a fresh recorder, with a generous deadline.
pub fn scoped(salesforce: &Salesforce) -> (Salesforce, CallRecorder) {
    let recorder = CallRecorder::new();
    (
        salesforce.scoped(recorder.clone(), Deadline::after(Duration::from_secs(30))),
        recorder,
    )
}

/// The operations recorded, in order, with their ok flags.
pub fn operations(recorder: &CallRecorder) -> Vec<(String, bool)> {
    recorder
        .calls()
        .into_iter()
        .map(|c| (c.operation, c.ok))
        .collect()
}

/// How many token requests the sandbox received.
pub fn token_requests(sandbox: &Sandbox) -> usize {
    sandbox
        .request_log()
        .iter()
        .filter(|r| r.path == "/services/oauth2/token")
        .count()
}

/// A cheap query, used to obtain a token or to make one data call.
pub fn rooms_query() -> Soql {
    Soql::select(&["Id", "Room_Number__c"])
        .from("Hotel_Room__c")
        .filter(Cond::eq("Room_Number__c", "101"))
}

/// The id of a seeded record found with the sandbox's own engine.
pub fn seeded_id(sandbox: &Sandbox, soql: &Soql) -> String {
    let records = sandbox.query(soql.as_str()).expect("the seed query runs");
    records
        .first()
        .and_then(|r| r["Id"].as_str())
        .expect("a seeded record")
        .to_owned()
}

/// The id of a room by number.
pub fn room_id(sandbox: &Sandbox, number: &str) -> String {
    seeded_id(
        sandbox,
        &Soql::select(&["Id"])
            .from("Hotel_Room__c")
            .filter(Cond::eq("Room_Number__c", number)),
    )
}
