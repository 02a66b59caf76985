//! The query resource: shapes, relationships, paging, errors.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::json;

use crate::common::{V, error_code, into_reply, start};

#[tokio::test]
async fn records_have_attributes_and_nested_relationships() {
    let env = start().await;
    let reply = env
        .query(
            "SELECT Name, Total_Nights__c, Room__r.Room_Number__c, Room__r.Status__c, Primary_Guest__r.Email \
             FROM Booking__c WHERE Check_In_Date__c = TODAY AND Primary_Guest__r.Email = 'kay@example.com'",
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["totalSize"], json!(1));
    assert_eq!(reply.body["done"], json!(true));
    assert!(reply.body.get("nextRecordsUrl").is_none());
    let kay = &reply.body["records"][0];
    assert_eq!(kay["attributes"]["type"], json!("Booking__c"));
    assert!(
        kay["attributes"]["url"]
            .as_str()
            .unwrap()
            .starts_with("/services/data/v62.0/sobjects/Booking__c/a01")
    );
    assert_eq!(kay["Total_Nights__c"], json!(3.0));
    assert_eq!(kay["Room__r"]["attributes"]["type"], json!("Hotel_Room__c"));
    assert_eq!(kay["Room__r"]["Room_Number__c"], json!("105"));
    assert_eq!(kay["Primary_Guest__r"]["Email"], json!("kay@example.com"));
}

#[tokio::test]
async fn pages_follow_next_records_url() {
    let env = start().await;
    env.sandbox.set_query_batch_size(Some(5));
    let mut reply = env
        .query("SELECT Room_Number__c FROM Hotel_Room__c ORDER BY Room_Number__c")
        .await;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        pages += 1;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["totalSize"], json!(22));
        let records = reply.body["records"].as_array().unwrap();
        assert!(records.len() <= 5);
        seen.extend(
            records
                .iter()
                .map(|r| r["Room_Number__c"].as_str().unwrap().to_owned()),
        );
        if reply.body["done"] == json!(true) {
            assert!(reply.body.get("nextRecordsUrl").is_none());
            break;
        }
        let next = reply.body["nextRecordsUrl"].as_str().unwrap().to_owned();
        assert!(next.starts_with("/services/data/v62.0/query/01g"), "{next}");
        reply = env.get(&next).await;
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.len(), 22);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 22);
    assert_eq!(seen.first().map(String::as_str), Some("100"));

    // Without the knob, Salesforce's header rules apply: batchSize is clamped to 200..=2000.
    env.sandbox.set_query_batch_size(None);
    let request = env
        .client
        .get(env.url(&format!("{V}/query")))
        .query(&[("q", "SELECT Id FROM Hotel_Room__c")])
        .header("Sforce-Query-Options", "batchSize=2")
        .bearer_auth(&env.token);
    let reply = into_reply(request.send().await.unwrap()).await;
    assert_eq!(
        (
            reply.body["done"].clone(),
            reply.body["records"].as_array().unwrap().len()
        ),
        (json!(true), 22)
    );

    let bad = env.get(&format!("{V}/query/01gnotacursor-5")).await;
    assert_eq!((bad.status, error_code(&bad)), (400, "INVALID_QUERY_LOCATOR"));
}

#[tokio::test]
async fn bad_queries_are_salesforce_errors() {
    let env = start().await;
    let reply = env
        .query("SELECT Id FROM Contact WHERE Name = 'a' AND Email = 'b' OR Phone = 'c'")
        .await;
    assert_eq!((reply.status, error_code(&reply)), (400, "MALFORMED_QUERY"));
    assert!(
        reply.body[0]["message"]
            .as_str()
            .unwrap()
            .contains("unexpected token: 'OR'")
    );
    let reply = env.query("SELECT Foo__c FROM Booking__c").await;
    assert_eq!((reply.status, error_code(&reply)), (400, "INVALID_FIELD"));
    let reply = env.query("SELECT Id FROM Foo").await;
    assert_eq!((reply.status, error_code(&reply)), (400, "INVALID_TYPE"));
    let reply = env.send(Method::GET, &format!("{V}/query"), None).await;
    assert_eq!((reply.status, error_code(&reply)), (400, "MALFORMED_QUERY"));
}

#[tokio::test]
async fn total_nights_formula_follows_the_dates() {
    let env = start().await;
    let reply = env
        .query("SELECT Id, Total_Nights__c FROM Booking__c WHERE External_ID__c = 'seed-booking-kay-1'")
        .await;
    let id = reply.body["records"][0]["Id"].as_str().unwrap().to_owned();
    assert_eq!(reply.body["records"][0]["Total_Nights__c"], json!(3.0));
    let patch = env
        .send(
            Method::PATCH,
            &format!("{V}/sobjects/Booking__c/{id}"),
            Some(json!({"Check_Out_Date__c": "2026-11-30"})),
        )
        .await;
    assert_eq!(patch.status, 204);
    assert_eq!(
        env.sandbox.record("Booking__c", &id).unwrap()["Total_Nights__c"],
        json!(7.0)
    );
    let patch = env
        .send(
            Method::PATCH,
            &format!("{V}/sobjects/Booking__c/{id}"),
            Some(json!({"Check_Out_Date__c": null})),
        )
        .await;
    assert_eq!(patch.status, 204);
    let record = env.get(&format!("{V}/sobjects/Booking__c/{id}")).await;
    assert_eq!(record.body["Total_Nights__c"], serde_json::Value::Null);
    let write = env
        .send(
            Method::PATCH,
            &format!("{V}/sobjects/Booking__c/{id}"),
            Some(json!({"Total_Nights__c": 2})),
        )
        .await;
    assert_eq!(
        (write.status, error_code(&write)),
        (400, "INVALID_FIELD_FOR_INSERT_UPDATE")
    );
}
