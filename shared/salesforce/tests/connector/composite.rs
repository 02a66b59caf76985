//! The Composite API: references, allOrNone rollback, independent answers, limits.

use crate::common::{self, operations, room_id, scoped, seeded_id};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_salesforce::{CompositeRequest, PROCESSING_HALTED, QueryPage, SalesforceError};
use serde_json::{Value, json};

/// A later subrequest uses `@{ref.id}` of an earlier create: the record is created and then updated,
/// in one recorded call.
#[tokio::test]
async fn references_chain_a_create_into_an_update() {
    // GIVEN a composite that creates a case, updates it by reference, and reads it back
    let env = common::start().await;
    let (salesforce, recorder) = scoped(&env.salesforce);
    let new_case = CompositeRequest::reference_id("newCase");
    let request = CompositeRequest::new(true)
        .create(
            "newCase",
            "Case",
            &json!({"Subject": "Late checkout", "Origin": "Web"}),
        )
        .update(
            "setStatus",
            "Case",
            &new_case,
            &json!({"Status": "Working", "Description": new_case}),
        )
        .get(
            "readBack",
            "Case",
            &new_case,
            &["Subject", "Status", "Description"],
        );
    // WHEN it is sent
    let answers = salesforce.composite(&request).await.expect("composite");
    // THEN every subrequest succeeded, and the record holds the update
    let statuses: Vec<(&str, u16)> = answers
        .iter()
        .map(|a| (a.reference_id.as_str(), a.http_status_code))
        .collect();
    assert_eq!(
        statuses,
        [("newCase", 201), ("setStatus", 204), ("readBack", 200)]
    );
    let id = answers[0].id().expect("the created id");
    let record = env.sandbox.record("Case", id).expect("the case exists");
    assert_eq!(record["Status"], json!("Working"));
    assert_eq!(
        record["Description"],
        json!(id),
        "a reference in a body is substituted too"
    );
    assert_eq!(answers[2].body["Status"], json!("Working"));
    assert_eq!(
        operations(&recorder).last().map(|(op, ok)| (op.as_str(), *ok)),
        Some(("composite", true))
    );
}

/// With allOrNone, a failing last subrequest rolls back the earlier updates, and the error names it
/// (the PROCESSING_HALTED ones are kept apart).
#[tokio::test]
async fn all_or_none_rolls_back_and_names_the_failing_subrequest() {
    // GIVEN two valid updates and a last one with a value outside the picklist
    let env = common::start().await;
    let room_105 = room_id(&env.sandbox, "105");
    let room_108 = room_id(&env.sandbox, "108");
    let before = env.sandbox.record("Hotel_Room__c", &room_105).expect("room 105");
    let request = CompositeRequest::new(true)
        .update(
            "clean105",
            "Hotel_Room__c",
            &room_105,
            &json!({"Status__c": "Cleaning"}),
        )
        .update(
            "rate105",
            "Hotel_Room__c",
            &room_105,
            &json!({"Nightly_Rate__c": 1.0}),
        )
        .update(
            "bad108",
            "Hotel_Room__c",
            &room_108,
            &json!({"Status__c": "Exploded"}),
        );
    // WHEN it is sent
    let error = env.salesforce.composite(&request).await.expect_err("rolled back");
    // THEN the error names the failing subrequest and keeps the halted ones apart
    let SalesforceError::CompositeFailed { failures, halted } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(
        (failures[0].reference_id.as_str(), failures[0].status),
        ("bad108", 400)
    );
    assert_eq!(failures[0].errors[0].fields, ["Status__c"]);
    let halted_refs: Vec<&str> = halted.iter().map(|h| h.reference_id.as_str()).collect();
    assert_eq!(halted_refs, ["clean105", "rate105"]);
    assert!(halted.iter().all(|h| h.errors[0].error_code == PROCESSING_HALTED));
    assert!(error.to_string().contains("bad108"), "{error}");
    assert_eq!(
        error.error_code(),
        failures[0].errors.first().map(|e| e.error_code.as_str())
    );
    assert!(!error.is_retry_safe());
    // AND the earlier updates were not applied
    assert_eq!(env.sandbox.record("Hotel_Room__c", &room_105), Some(before));
}

/// Without allOrNone each answer is returned, failures included, and successes stay applied.
#[tokio::test]
async fn without_all_or_none_every_answer_is_returned() {
    let env = common::start().await;
    let room_109 = room_id(&env.sandbox, "109");
    let request = CompositeRequest::new(false)
        .update(
            "ok",
            "Hotel_Room__c",
            &room_109,
            &json!({"View_Type__c": "Ocean"}),
        )
        .delete("missing", "Case", "500000000000999");
    let answers = env.salesforce.composite(&request).await.expect("composite");
    assert!(answers[0].is_success());
    assert_eq!(answers[1].http_status_code, 404);
    assert_eq!(answers[1].errors()[0].error_code, "NOT_FOUND");
    let room = env.sandbox.record("Hotel_Room__c", &room_109).expect("room 109");
    assert_eq!(room["View_Type__c"], json!("Ocean"));
}

/// A query and an upsert inside a composite: the query page decodes, the upsert reports its id.
#[tokio::test]
async fn queries_and_upserts_run_inside_a_composite() {
    let env = common::start().await;
    let kay = seeded_id(
        &env.sandbox,
        &Soql::select(&["Id"])
            .from("Contact")
            .filter(Cond::eq("Email", "kay@example.com")),
    );
    let rooms = Soql::select(&["Id", "Room_Number__c"])
        .from("Hotel_Room__c")
        .filter(Cond::eq("Status__c", "Vacant"));
    let request = CompositeRequest::new(true).query("vacant", &rooms).upsert(
        "kay",
        "Contact",
        "Unique_Email__c",
        "kay@example.com",
        &json!({"Loyalty_Number__c": "DRL-9"}),
    );
    let answers = env.salesforce.composite(&request).await.expect("composite");
    let page: QueryPage<Value> = answers[0].decode().expect("a query page");
    assert_eq!(
        page.records.len(),
        env.sandbox.query(rooms.as_str()).expect("sandbox query").len()
    );
    assert_eq!(answers[1].id(), Some(kay.as_str()));
}

/// More than 25 subrequests, or a bad id, fail before anything is sent.
#[tokio::test]
async fn invalid_composites_fail_before_sending() {
    let env = common::start().await;
    let mut request = CompositeRequest::new(true);
    for i in 0..26 {
        request = request.update(&format!("u{i}"), "Case", "500000000000001", &json!({}));
    }
    let too_many = env.salesforce.composite(&request).await;
    assert!(
        matches!(too_many, Err(SalesforceError::InvalidRequest(_))),
        "{too_many:?}"
    );
    let look_alike = CompositeRequest::new(true).delete("d", "Case", "@{other.id}");
    let refused = env.salesforce.composite(&look_alike).await;
    assert!(
        matches!(refused, Err(SalesforceError::InvalidId(_))),
        "{refused:?}"
    );
    assert!(
        env.salesforce
            .composite(&CompositeRequest::new(true))
            .await
            .is_ok_and(|a| a.is_empty())
    );
    assert_eq!(env.sandbox.request_count(), 0);
}
