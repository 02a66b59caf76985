//! Single records: get, create, update, delete, upsert; ids checked before sending.

use crate::common::{self, operations, scoped};
use dewy_salesforce::SalesforceError;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize, PartialEq)]
struct Case {
    #[serde(rename = "Subject")]
    subject: String,
    #[serde(rename = "Status")]
    status: String,
}

/// A record can be created, read, updated and deleted, each as one recorded call.
#[tokio::test]
async fn create_get_update_delete_round_trip() {
    let env = common::start().await;
    let (salesforce, recorder) = scoped(&env.salesforce);
    // GIVEN a new case
    let id = salesforce
        .create("Case", &json!({"Subject": "Extra towels"}))
        .await
        .expect("create");
    // WHEN it is read, updated and read again
    let created: Case = salesforce
        .get("Case", &id, &["Subject", "Status"])
        .await
        .expect("get");
    salesforce
        .update("Case", &id, &json!({"Status": "Working"}))
        .await
        .expect("update");
    let updated: Case = salesforce
        .get("Case", &id, &["Subject", "Status"])
        .await
        .expect("get again");
    // THEN each read shows the record's state
    assert_eq!(
        created,
        Case {
            subject: "Extra towels".into(),
            status: "New".into()
        }
    );
    assert_eq!(updated.status, "Working");
    // AND WHEN it is deleted THEN it is gone
    salesforce.delete("Case", &id).await.expect("delete");
    let error = salesforce
        .get::<Value>("Case", &id, &[])
        .await
        .expect_err("deleted");
    assert!(error.is_not_found(), "{error:?}");
    assert!(env.sandbox.record("Case", &id).is_none());
    let ops: Vec<String> = operations(&recorder).into_iter().map(|(op, _)| op).collect();
    assert_eq!(
        ops,
        [
            "token",
            "create Case",
            "get Case",
            "update Case",
            "get Case",
            "delete Case",
            "get Case"
        ]
    );
}

/// An id that is not 15/18 alphanumeric characters is refused before any request, token included.
#[tokio::test]
async fn malformed_ids_are_refused_before_any_request() {
    let env = common::start().await;
    for bad in [
        "../../limits",
        "500000000000001?x=1",
        "500000000000001/..",
        "",
        "short",
    ] {
        // WHEN a call is made with it
        let get = env.salesforce.get::<Value>("Case", bad, &[]).await;
        let update = env.salesforce.update("Case", bad, &json!({})).await;
        let delete = env.salesforce.delete("Case", bad).await;
        // THEN each fails with InvalidId
        for result in [get.map(drop), update, delete] {
            assert!(
                matches!(result, Err(SalesforceError::InvalidId(_))),
                "{bad:?}: {result:?}"
            );
        }
    }
    assert_eq!(env.sandbox.request_count(), 0);
}

/// Upsert by external id creates the record the first time and updates it the second; a value with
/// URL-significant characters stays one path segment.
#[tokio::test]
async fn upsert_creates_then_updates() {
    let env = common::start().await;
    let email = "o'brien+vip/test?x#y@example.com";
    // GIVEN no contact with this email WHEN upserting THEN one is created
    let first = env
        .salesforce
        .upsert(
            "Contact",
            "Unique_Email__c",
            email,
            &json!({"LastName": "O'Brien", "Email": email}),
        )
        .await
        .expect("first upsert");
    assert!(first.created);
    // WHEN upserting again THEN the same record is updated
    let second = env
        .salesforce
        .upsert("Contact", "Unique_Email__c", email, &json!({"FirstName": "Pat"}))
        .await
        .expect("second upsert");
    assert!(!second.created);
    assert_eq!(second.id, first.id);
    let record = env
        .sandbox
        .record("Contact", &first.id)
        .expect("the contact exists");
    assert_eq!(record["Unique_Email__c"], json!(email));
    assert_eq!(
        (record["FirstName"].as_str(), record["LastName"].as_str()),
        (Some("Pat"), Some("O'Brien"))
    );
    // AND dot segments cannot be external id values
    let dots = env
        .salesforce
        .upsert("Contact", "Unique_Email__c", "..", &json!({}))
        .await;
    assert!(matches!(dots, Err(SalesforceError::InvalidId(_))));
}
