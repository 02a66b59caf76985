//! sObject create, read, update, delete, upsert and their errors.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{V, error_code, into_reply, start};

#[tokio::test]
async fn create_read_update_delete() {
    let env = start().await;
    let created = env
        .send(
            Method::POST,
            &format!("{V}/sobjects/Contact"),
            Some(json!({"FirstName": "Ada", "LastName": "Lovelace", "Email": "ada@example.com"})),
        )
        .await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body, json!({"id": id, "success": true, "errors": []}));
    assert!(id.starts_with("003") && id.len() == 18);
    assert_eq!(
        created.headers["location"],
        format!("{V}/sobjects/Contact/{id}").as_str()
    );

    let read = env.get(&format!("{V}/sobjects/Contact/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(
        read.body["attributes"],
        json!({"type": "Contact", "url": format!("{V}/sobjects/Contact/{id}")})
    );
    assert_eq!(read.body["Name"], json!("Ada Lovelace"));
    assert_eq!(read.body["Phone"], Value::Null);
    assert!(
        read.body["CreatedDate"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-23T")
    );
    // 15-character ids work in URLs; ?fields= narrows the record.
    let narrow = env
        .get(&format!(
            "{V}/sobjects/contact/{}?fields=LastName,email",
            &id[..15]
        ))
        .await;
    assert_eq!(narrow.body["LastName"], json!("Lovelace"));
    assert_eq!(narrow.body["Email"], json!("ada@example.com"));
    assert!(narrow.body.get("FirstName").is_none());

    let patched = env
        .send(
            Method::PATCH,
            &format!("{V}/sobjects/Contact/{id}"),
            Some(json!({"Phone": "+15550100999"})),
        )
        .await;
    assert_eq!((patched.status, patched.body.clone()), (204, Value::Null));
    assert_eq!(
        env.sandbox.record("Contact", &id).unwrap()["Phone"],
        json!("+15550100999")
    );

    let deleted = env
        .send(Method::DELETE, &format!("{V}/sobjects/Contact/{id}"), None)
        .await;
    assert_eq!(deleted.status, 204);
    let gone = env.get(&format!("{V}/sobjects/Contact/{id}")).await;
    assert_eq!(
        (gone.status, gone.body.clone()),
        (
            404,
            json!([{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}])
        )
    );
    assert!(env.sandbox.record("Contact", &id).is_none());
}

#[tokio::test]
async fn writes_are_validated() {
    let env = start().await;
    let post = |object: &str, body: Value| {
        let path = format!("{V}/sobjects/{object}");
        let env = &env;
        async move { env.send(Method::POST, &path, Some(body)).await }
    };
    let bad_picklist = post(
        "Hotel_Room__c",
        json!({"Room_Number__c": "999", "Status__c": "Foo"}),
    )
    .await;
    assert_eq!(bad_picklist.status, 400);
    assert_eq!(
        bad_picklist.body,
        json!([{
            "message": "Status: bad value for restricted picklist field: Foo",
            "errorCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "fields": ["Status__c"],
        }])
    );
    let unknown = post("Booking__c", json!({"Nope__c": 1})).await;
    assert_eq!(
        unknown.body[0]["message"],
        json!("No such column 'Nope__c' on sobject of type Booking__c")
    );
    let missing = post("Opportunity", json!({"Name": "x"})).await;
    assert_eq!(error_code(&missing), "REQUIRED_FIELD_MISSING");
    assert_eq!(missing.body[0]["fields"], json!(["StageName", "CloseDate"]));
    let unknown_type = post("Foo__c", json!({})).await;
    assert_eq!(
        (unknown_type.status, error_code(&unknown_type)),
        (404, "NOT_FOUND")
    );

    let raw = env
        .client
        .post(env.url(&format!("{V}/sobjects/Contact")))
        .bearer_auth(&env.token)
        .header("content-type", "application/json")
        .body("{\"LastName\": ")
        .send()
        .await
        .unwrap();
    let raw = into_reply(raw).await;
    assert_eq!((raw.status, error_code(&raw)), (400, "JSON_PARSER_ERROR"));

    let malformed = env.get(&format!("{V}/sobjects/Contact/not-an-id")).await;
    assert_eq!((malformed.status, error_code(&malformed)), (400, "MALFORMED_ID"));
    let wrong_type = env
        .send(
            Method::PATCH,
            &format!("{V}/sobjects/Contact/a02Dn0000000000IAA"),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (wrong_type.status, error_code(&wrong_type)),
        (400, "MALFORMED_ID")
    );
    let absent = env.get(&format!("{V}/sobjects/Contact/003Dn0000000000IAA")).await;
    assert_eq!((absent.status, error_code(&absent)), (404, "NOT_FOUND"));
    let bad_ref = post("Case", json!({"ContactId": "003Dn0000000000IAA"})).await;
    assert_eq!(
        (bad_ref.status, error_code(&bad_ref)),
        (400, "INVALID_CROSS_REFERENCE_KEY")
    );
    let dup = post(
        "Case",
        json!({"External_ID__c": "3F2B8C1E-7D4A-4E9B-8C2F-1A6D5E4B3C21"}),
    )
    .await;
    assert_eq!((dup.status, error_code(&dup)), (400, "DUPLICATE_VALUE"));
    let not_allowed = env
        .send(
            Method::PUT,
            &format!("{V}/sobjects/Contact/003Dn0000000000IAA"),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (not_allowed.status, error_code(&not_allowed)),
        (405, "METHOD_NOT_ALLOWED")
    );
}

#[tokio::test]
async fn upsert_by_external_id() {
    let env = start().await;
    let url = format!("{V}/sobjects/Contact/Unique_Email__c/new.guest%40example.com");
    let created = env
        .send(
            Method::PATCH,
            &url,
            Some(json!({"LastName": "Guest", "Email": "new.guest@example.com"})),
        )
        .await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.body,
        json!({"id": id, "success": true, "errors": [], "created": true})
    );
    assert_eq!(
        env.sandbox.record("Contact", &id).unwrap()["Unique_Email__c"],
        json!("new.guest@example.com")
    );

    let updated = env
        .send(Method::PATCH, &url, Some(json!({"FirstName": "New"})))
        .await;
    assert_eq!(updated.status, 200);
    assert_eq!(
        updated.body,
        json!({"id": id, "success": true, "errors": [], "created": false})
    );

    let conflicting = env
        .send(
            Method::PATCH,
            &url,
            Some(json!({"Unique_Email__c": "other@example.com"})),
        )
        .await;
    assert_eq!(
        (conflicting.status, error_code(&conflicting)),
        (400, "INVALID_FIELD")
    );
    let by_ext = env
        .get(&format!("{V}/sobjects/Hotel_Room__c/Room_Number__c/105"))
        .await;
    assert_eq!(
        (by_ext.status, by_ext.body["Status__c"].clone()),
        (200, json!("Vacant"))
    );
    let not_ext = env
        .send(
            Method::PATCH,
            &format!("{V}/sobjects/Contact/LastName/x"),
            Some(json!({})),
        )
        .await;
    assert_eq!(not_ext.status, 404);

    // Booking external ids are not unique: a second match makes upsert a 300.
    let opp = env
        .sandbox
        .insert(
            "Opportunity",
            json!({"Name": "x", "StageName": "Prospecting", "CloseDate": "2026-12-01"}),
        )
        .unwrap();
    env.sandbox
        .insert(
            "Booking__c",
            json!({"Opportunity__c": opp, "External_ID__c": "seed-booking-kay-1"}),
        )
        .unwrap();
    let multiple = env
        .send(
            Method::PATCH,
            &format!("{V}/sobjects/Booking__c/External_ID__c/seed-booking-kay-1"),
            Some(json!({})),
        )
        .await;
    assert_eq!(multiple.status, 300);
    let urls = multiple.body.as_array().unwrap();
    assert_eq!(urls.len(), 2);
    assert!(urls.iter().all(|u| {
        u.as_str()
            .unwrap()
            .starts_with(&format!("{V}/sobjects/Booking__c/a01"))
    }));
}

#[tokio::test]
async fn direct_access_shares_the_api_engine() {
    let env = start().await;
    let id = env
        .sandbox
        .insert(
            "Hotel_Room__c",
            json!({"Room_Number__c": "301", "Name": "Sky Loft"}),
        )
        .unwrap();
    let read = env.get(&format!("{V}/sobjects/Hotel_Room__c/{id}")).await;
    assert_eq!(read.body["Status__c"], json!("Vacant"));
    assert_eq!(read.body["Accessible__c"], json!(false));
    env.sandbox
        .update("Hotel_Room__c", &id, json!({"Status__c": "Out of Service"}))
        .unwrap();
    let rows = env
        .sandbox
        .query("SELECT Name, Status__c FROM Hotel_Room__c WHERE Room_Number__c = '301'")
        .unwrap();
    assert_eq!(rows[0]["Status__c"], json!("Out of Service"));
    assert_eq!(rows[0]["attributes"]["type"], json!("Hotel_Room__c"));
    let e = env
        .sandbox
        .update("Hotel_Room__c", &id, json!({"Status__c": "Dirty"}))
        .unwrap_err();
    assert_eq!(
        (e.status, e.error_code.as_str()),
        (400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
    );
    assert_eq!(
        env.sandbox
            .query("SELECT Nope FROM Contact")
            .unwrap_err()
            .error_code,
        "INVALID_FIELD"
    );
    // Direct access is not counted.
    assert_eq!(env.sandbox.request_count(), 2); // the token call and the GET
}
