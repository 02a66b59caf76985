//! Composite requests: references, allOrNone rollback, partial success.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Env, V, error_code, start};

async fn composite(env: &Env, all_or_none: bool, subrequests: Value) -> Vec<Value> {
    let body = json!({"allOrNone": all_or_none, "compositeRequest": subrequests});
    let reply = env
        .send(Method::POST, &format!("{V}/composite"), Some(body))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["compositeResponse"].as_array().unwrap().clone()
}

fn count(env: &Env, soql: &str) -> usize {
    env.sandbox.query(soql).unwrap().len()
}

#[tokio::test]
async fn references_resolve_from_earlier_results() {
    let env = start().await;
    let results = composite(
        &env,
        false,
        json!([
            {"method": "POST", "url": format!("{V}/sobjects/Account"), "referenceId": "acct", "body": {"Name": "Walk-in Household"}},
            {"method": "POST", "url": format!("{V}/sobjects/Contact"), "referenceId": "guest",
             "body": {"LastName": "Walker", "AccountId": "@{acct.id}", "Email": "walker@example.com"}},
            {"method": "GET", "url": format!("{V}/query?q=SELECT+Id,+Account.Name+FROM+Contact+WHERE+Id+=+'@{{guest.id}}'"), "referenceId": "found"},
            {"method": "PATCH", "url": format!("{V}/sobjects/Contact/@{{found.records[0].Id}}"), "referenceId": "touch",
             "body": {"FirstName": "@{found.records[0].Account.Name}", "Phone": "+1 @{found.totalSize}"}},
        ]),
    )
    .await;
    assert_eq!(results[0]["httpStatusCode"], json!(201));
    assert_eq!(results[0]["referenceId"], json!("acct"));
    let account = results[0]["body"]["id"].as_str().unwrap();
    assert_eq!(
        results[0]["httpHeaders"]["Location"],
        json!(format!("{V}/sobjects/Account/{account}"))
    );
    assert_eq!(results[1]["httpStatusCode"], json!(201));
    let guest = results[1]["body"]["id"].as_str().unwrap();
    assert_eq!(
        env.sandbox.record("Contact", guest).unwrap()["AccountId"],
        json!(account)
    );
    assert_eq!(
        results[2]["body"]["records"][0]["Account"]["Name"],
        json!("Walk-in Household")
    );
    assert_eq!(results[3]["httpStatusCode"], json!(204));
    let contact = env.sandbox.record("Contact", guest).unwrap();
    assert_eq!(
        (contact["FirstName"].clone(), contact["Phone"].clone()),
        (json!("Walk-in Household"), json!("+1 1"))
    );

    let results = composite(
        &env,
        true,
        json!([
            {"method": "POST", "url": format!("{V}/sobjects/Contact"), "referenceId": "guest", "body": {"LastName": "Walker"}},
            {"method": "PATCH", "url": format!("{V}/sobjects/Contact/@{{guest.id}}"), "referenceId": "named", "body": {"FirstName": "Wes"}},
            {"method": "GET", "url": format!("{V}/sobjects/Contact/@{{guest.id}}?fields=Name"), "referenceId": "read"},
        ]),
    )
    .await;
    let statuses: Vec<Value> = results.iter().map(|r| r["httpStatusCode"].clone()).collect();
    assert_eq!(statuses, vec![json!(201), json!(204), json!(200)]);
    assert_eq!(results[1]["body"], Value::Null);
    assert_eq!(results[2]["body"]["Name"], json!("Wes Walker"));
}

#[tokio::test]
async fn all_or_none_rolls_back_records_and_autonumbers() {
    let env = start().await;
    let bookings_before = count(&env, "SELECT Id FROM Booking__c");
    let opportunities_before = count(&env, "SELECT Id FROM Opportunity");
    let results = composite(
        &env,
        true,
        json!([
            {"method": "POST", "url": format!("{V}/sobjects/Opportunity"), "referenceId": "opp",
             "body": {"Name": "Booking for Walk In - 2026-11-23", "StageName": "Booking Confirmed", "CloseDate": "2026-11-25"}},
            {"method": "POST", "url": format!("{V}/sobjects/Booking__c"), "referenceId": "booking",
             "body": {"Opportunity__c": "@{opp.id}", "Check_In_Date__c": "2026-11-23", "Check_Out_Date__c": "2026-11-25"}},
            {"method": "PATCH", "url": format!("{V}/sobjects/Hotel_Room__c/Room_Number__c/105"), "referenceId": "room",
             "body": {"Status__c": "Booked"}},
            {"method": "GET", "url": format!("{V}/sobjects/Booking__c/@{{booking.id}}"), "referenceId": "after"},
        ]),
    )
    .await;
    let halted = json!([{
        "errorCode": "PROCESSING_HALTED",
        "message": "The transaction was rolled back since another operation in the same transaction failed."
    }]);
    for i in [0, 1, 3] {
        assert_eq!(results[i]["httpStatusCode"], json!(400), "{i}");
        assert_eq!(results[i]["body"], halted, "{i}");
    }
    assert_eq!(results[2]["httpStatusCode"], json!(400));
    assert_eq!(
        results[2]["body"][0]["errorCode"],
        json!("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
    );
    assert_eq!(results[2]["referenceId"], json!("room"));
    assert_eq!(count(&env, "SELECT Id FROM Booking__c"), bookings_before);
    assert_eq!(count(&env, "SELECT Id FROM Opportunity"), opportunities_before);

    // The autonumber counter was restored too: the next booking takes the number the rolled-back one had.
    let opp = env
        .sandbox
        .insert(
            "Opportunity",
            json!({"Name": "x", "StageName": "Prospecting", "CloseDate": "2026-12-01"}),
        )
        .unwrap();
    let id = env
        .sandbox
        .insert("Booking__c", json!({"Opportunity__c": opp}))
        .unwrap();
    assert_eq!(
        env.sandbox.record("Booking__c", &id).unwrap()["Name"],
        json!("BK-0018")
    );
}

#[tokio::test]
async fn partial_success_and_broken_references() {
    let env = start().await;
    let results = composite(
        &env,
        false,
        json!([
            {"method": "POST", "url": format!("{V}/sobjects/Case"), "referenceId": "ok", "body": {"Subject": "Towels", "External_ID__c": "tok-1"}},
            {"method": "POST", "url": format!("{V}/sobjects/Contact"), "referenceId": "bad", "body": {"FirstName": "No last name"}},
            {"method": "PATCH", "url": format!("{V}/sobjects/Contact/@{{bad.id}}"), "referenceId": "dependent", "body": {"FirstName": "x"}},
        ]),
    )
    .await;
    assert_eq!(results[0]["httpStatusCode"], json!(201));
    assert_eq!(
        results[1]["body"][0]["errorCode"],
        json!("REQUIRED_FIELD_MISSING")
    );
    assert_eq!(results[2]["httpStatusCode"], json!(400));
    assert_eq!(
        results[2]["body"],
        json!([{"errorCode": "PROCESSING_HALTED", "message": "Invalid reference specified. No value for bad.id found in bad."}])
    );
    assert_eq!(
        count(&env, "SELECT Id FROM Case WHERE External_ID__c = 'tok-1'"),
        1
    );
}

#[tokio::test]
async fn malformed_composite_requests() {
    let env = start().await;
    let too_many: Vec<Value> = (0..26)
        .map(|i| json!({"method": "GET", "url": format!("{V}/sobjects/Account"), "referenceId": format!("r{i}")}))
        .collect();
    let reply = env
        .send(
            Method::POST,
            &format!("{V}/composite"),
            Some(json!({"compositeRequest": too_many})),
        )
        .await;
    assert_eq!(reply.status, 400);
    let reply = env
        .send(
            Method::POST,
            &format!("{V}/composite"),
            Some(json!({"allOrNone": true})),
        )
        .await;
    assert_eq!(reply.status, 400);
    let duplicate = json!({"compositeRequest": [
        {"method": "GET", "url": format!("{V}/sobjects/Account"), "referenceId": "a"},
        {"method": "GET", "url": format!("{V}/sobjects/Account"), "referenceId": "a"},
    ]});
    let reply = env
        .send(Method::POST, &format!("{V}/composite"), Some(duplicate))
        .await;
    assert_eq!((reply.status, error_code(&reply)), (400, "INVALID_INPUT"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_composites_are_atomic() {
    let env = std::sync::Arc::new(start().await);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let env = env.clone();
        tasks.push(tokio::spawn(async move {
            let results = composite(
                &env,
                true,
                json!([
                    {"method": "POST", "url": format!("{V}/sobjects/Opportunity"), "referenceId": "opp",
                     "body": {"Name": format!("Concurrent {i}"), "StageName": "Booking Confirmed", "CloseDate": "2026-11-25"}},
                    {"method": "POST", "url": format!("{V}/sobjects/Booking__c"), "referenceId": "booking",
                     "body": {"Opportunity__c": "@{opp.id}", "External_ID__c": format!("concurrent-{i}")}},
                    {"method": "GET", "url": format!("{V}/query?q=SELECT+Name+FROM+Booking__c+WHERE+Id+=+'@{{booking.id}}'"),
                     "referenceId": "read"},
                ]),
            )
            .await;
            assert!(results.iter().all(|r| r["httpStatusCode"].as_u64().unwrap() < 300), "{results:?}");
            results[2]["body"]["records"][0]["Name"].as_str().unwrap().to_owned()
        }));
    }
    let mut names = Vec::new();
    for task in tasks {
        names.push(task.await.unwrap());
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 20, "every booking got its own number");
    assert_eq!(
        count(
            &env,
            "SELECT Id FROM Booking__c WHERE External_ID__c LIKE 'concurrent-%'"
        ),
        20
    );
}
