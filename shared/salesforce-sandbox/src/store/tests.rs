//! Writes (validation, defaults, upsert, delete) and the seed data.

use serde_json::{Value, json};

use crate::error::SandboxError;
use crate::test_support::{q, room_id, seeded, strings};

#[test]
fn inserts_validate_like_salesforce() {
    let mut s = seeded();
    let code = |r: Result<String, SandboxError>| r.unwrap_err().error_code;
    let e = s
        .insert("Contact", &json!({"LastName": "X", "Foo__c": 1}))
        .unwrap_err();
    assert_eq!(
        (e.error_code.as_str(), e.message.as_str()),
        (
            "INVALID_FIELD",
            "No such column 'Foo__c' on sobject of type Contact"
        )
    );
    let e = s.insert("Contact", &json!({"FirstName": "X"})).unwrap_err();
    assert_eq!(
        (e.error_code.as_str(), e.fields.clone()),
        ("REQUIRED_FIELD_MISSING", vec!["LastName".to_owned()])
    );
    assert_eq!(
        code(s.insert("Contact", &json!({"LastName": ""}))),
        "REQUIRED_FIELD_MISSING"
    );
    assert_eq!(
        code(s.insert("Hotel_Room__c", &json!({"Room_Number__c": "105"}))),
        "DUPLICATE_VALUE"
    );
    assert_eq!(
        code(s.insert(
            "Contact",
            &json!({"LastName": "X", "Unique_Email__c": "KAY@example.com"})
        )),
        "DUPLICATE_VALUE"
    );
    assert_eq!(
        code(s.insert("Hotel_Room__c", &json!({"Room_Number__c": "123456"}))),
        "STRING_TOO_LONG"
    );
    assert_eq!(
        code(s.insert("Hotel_Room__c", &json!({"Status__c": "Dirty"}))),
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    );
    assert_eq!(
        code(s.insert("Hotel_Room__c", &json!({"Floor__c": "two"}))),
        "JSON_PARSER_ERROR"
    );
    assert_eq!(
        code(s.insert("Hotel_Room__c", &json!({"Name": {"a": 1}}))),
        "JSON_PARSER_ERROR"
    );
    assert_eq!(code(s.insert("Hotel_Room__c", &json!([1]))), "JSON_PARSER_ERROR");
    assert_eq!(
        code(s.insert("Hotel_Room__c", &json!({"Id": "a02Dn0000000001IAA"}))),
        "INVALID_FIELD_FOR_INSERT_UPDATE"
    );
    assert_eq!(
        code(s.insert("Case", &json!({"CaseNumber": "1"}))),
        "INVALID_FIELD_FOR_INSERT_UPDATE"
    );
    assert_eq!(
        code(s.insert("Case", &json!({"CreatedDate": "2026-01-01T00:00:00Z"}))),
        "INVALID_FIELD_FOR_INSERT_UPDATE"
    );
    assert_eq!(
        code(s.insert("Case", &json!({"ContactId": "garbage"}))),
        "MALFORMED_ID"
    );
    let room = room_id(&s, "105");
    assert_eq!(
        code(s.insert("Case", &json!({"ContactId": room}))),
        "FIELD_INTEGRITY_EXCEPTION"
    );
    assert_eq!(
        code(s.insert("Case", &json!({"ContactId": "003Dn0000000000IAA"}))),
        "INVALID_CROSS_REFERENCE_KEY"
    );
    assert_eq!(
        code(s.insert("Booking__c", &json!({"Room__c": room}))),
        "REQUIRED_FIELD_MISSING"
    );
    assert_eq!(s.insert("Nope", &json!({})).unwrap_err().status, 404);
}

#[test]
fn insert_applies_defaults_autonumbers_and_canonical_names() {
    let mut s = seeded();
    let opp = s
        .insert(
            "opportunity",
            &json!({"name": "Walk-in", "stagename": "Booking Confirmed", "CLOSEDATE": "2026-11-25"}),
        )
        .unwrap();
    let id = s
        .insert(
            "Booking__c",
            &json!({"Opportunity__c": &opp[..15], "check_in_date__c": "2026-11-23"}),
        )
        .unwrap();
    let rows = q(
        &s,
        &format!(
            "SELECT Name, Status__c, Number_of_Guests__c, Opportunity__c FROM Booking__c WHERE Id = '{id}'"
        ),
    );
    assert_eq!(rows[0]["Name"], json!("BK-0018"));
    assert_eq!(rows[0]["Status__c"], json!("Reserved"));
    assert_eq!(rows[0]["Number_of_Guests__c"], json!(1.0));
    assert_eq!(rows[0]["Opportunity__c"], json!(opp));
    let case = s.insert("Case", &json!({"Subject": "Towels"})).unwrap();
    let record = s.get("Case", &case).unwrap();
    assert_eq!(record["CaseNumber"], json!("00001004"));
    assert_eq!(record["Status"], json!("New"));
}

#[test]
fn update_upsert_and_delete() {
    let mut s = seeded();
    let room = room_id(&s, "105");
    s.update("Hotel_Room__c", &room[..15], &json!({"status__c": "Occupied"}))
        .unwrap();
    assert_eq!(
        s.get("Hotel_Room__c", &room).unwrap()["Status__c"],
        json!("Occupied")
    );
    assert_eq!(
        s.update("Hotel_Room__c", &room, &json!({"Room_Number__c": "106"}))
            .unwrap_err()
            .error_code,
        "DUPLICATE_VALUE"
    );
    assert_eq!(
        s.update("Contact", &room, &json!({})).unwrap_err().error_code,
        "MALFORMED_ID"
    );
    assert_eq!(
        s.update("Hotel_Room__c", "a02Dn0000000000IAA", &json!({}))
            .unwrap_err()
            .status,
        404
    );

    let (id, created) = s
        .upsert(
            "Contact",
            "unique_email__c",
            "new@example.com",
            &json!({"LastName": "New"}),
            "62.0",
        )
        .unwrap();
    assert!(created);
    assert_eq!(
        s.get("Contact", &id).unwrap()["Unique_Email__c"],
        json!("new@example.com")
    );
    let (again, created) = s
        .upsert(
            "Contact",
            "Unique_Email__c",
            "NEW@example.com",
            &json!({"FirstName": "Nia"}),
            "62.0",
        )
        .unwrap();
    assert_eq!((again.as_str(), created), (id.as_str(), false));
    let e = s.upsert(
        "Contact",
        "Unique_Email__c",
        "new@example.com",
        &json!({"Unique_Email__c": "x@example.com"}),
        "62.0",
    );
    assert_eq!(e.unwrap_err().error_code, "INVALID_FIELD");
    assert_eq!(
        s.upsert("Contact", "LastName", "x", &json!({}), "62.0")
            .unwrap_err()
            .status,
        404
    );

    // Two bookings with one external id: 300 with both URLs.
    let opp = s
        .insert(
            "Opportunity",
            &json!({"Name": "x", "StageName": "Prospecting", "CloseDate": "2026-11-25"}),
        )
        .unwrap();
    s.insert(
        "Booking__c",
        &json!({"Opportunity__c": opp, "External_ID__c": "seed-booking-kay-1"}),
    )
    .unwrap();
    let e = s
        .upsert(
            "Booking__c",
            "External_ID__c",
            "seed-booking-kay-1",
            &json!({}),
            "62.0",
        )
        .unwrap_err();
    assert_eq!((e.status, e.body().as_array().map(Vec::len)), (300, Some(2)));

    // Deleting an opportunity deletes its bookings (master-detail) and clears lookups to them.
    let kay = q(
        &s,
        "SELECT Id, Opportunity__c FROM Booking__c WHERE External_ID__c = 'seed-booking-guest2-1'",
    );
    let booking = kay[0]["Id"].as_str().unwrap().to_owned();
    s.delete("Opportunity", kay[0]["Opportunity__c"].as_str().unwrap())
        .unwrap();
    assert!(s.get("Booking__c", &booking).is_none());
    let cases = q(
        &s,
        "SELECT Booking__c FROM Case WHERE External_ID__c = '3f2b8c1e-7d4a-4e9b-8c2f-1a6d5e4b3c21'",
    );
    assert_eq!(cases[0]["Booking__c"], Value::Null);
    assert_eq!(s.delete("Booking__c", &booking).unwrap_err().status, 404);
}

#[test]
fn seed_matches_the_brief() {
    let s = seeded();
    assert_eq!(q(&s, "SELECT Id FROM Account").len(), 23);
    assert_eq!(q(&s, "SELECT Id FROM Contact").len(), 36);
    let count = |soql: &str| q(&s, soql).len();
    assert_eq!(
        count("SELECT Id FROM Hotel_Room__c WHERE Room_Type__c = 'Standard' AND Nightly_Rate__c = 149.99"),
        14
    );
    assert_eq!(
        count("SELECT Id FROM Hotel_Room__c WHERE Room_Type__c = 'Deluxe' AND Nightly_Rate__c = 199.99"),
        6
    );
    assert_eq!(
        count("SELECT Id FROM Hotel_Room__c WHERE Room_Type__c = 'Suite' AND Nightly_Rate__c = 299.99"),
        2
    );
    let statuses = |status: &str| {
        let rows = q(
            &s,
            &format!(
                "SELECT Room_Number__c FROM Hotel_Room__c WHERE Status__c = '{status}' ORDER BY Room_Number__c"
            ),
        );
        strings(&rows, "Room_Number__c")
    };
    assert_eq!(statuses("Cleaning"), ["106", "206"]);
    assert_eq!(statuses("Maintenance"), ["107", "207"]);
    assert_eq!(
        statuses("Occupied"),
        [
            "100", "101", "102", "103", "104", "200", "201", "202", "203", "204"
        ]
    );
    let guest1 = q(
        &s,
        "SELECT Check_Out_Date__c, Status__c, Opportunity__r.Payment_ID__c, Checked_In_At__c FROM Booking__c WHERE Primary_Guest__r.Email = 'guest1@hotel.com'",
    );
    assert_eq!(guest1[0]["Check_Out_Date__c"], json!("2026-11-23"));
    assert_eq!(guest1[0]["Status__c"], json!("Checked In"));
    assert_eq!(
        guest1[0]["Opportunity__r"]["Payment_ID__c"],
        json!("PENDING_CHECKIN")
    );
    assert_eq!(
        guest1[0]["Checked_In_At__c"],
        json!("2026-11-21T15:00:00.000+0000")
    );
    let opp = q(
        &s,
        "SELECT Name, Amount, CloseDate FROM Opportunity WHERE Contact.Email = 'kay@example.com'",
    );
    assert_eq!(opp[0]["Name"], json!("Booking for Kay Nakamura - 2026-11-23"));
    assert_eq!(opp[0]["Amount"], json!(449.97));
    assert_eq!(opp[0]["CloseDate"], json!("2026-11-26"));
    assert_eq!(count("SELECT Id FROM Case"), 3);
    assert_eq!(
        count(
            "SELECT Id FROM Contact WHERE Email LIKE 'guest%@hotel.com' AND Preferred_Contact_Method__c = 'SMS'"
        ),
        5
    );
}

/// The org's status-guard validation rule: a guarded write must have read the status the record
/// has; a write that leaves the guard as it is, or sends none, is not checked.
#[test]
fn a_status_guard_refuses_a_write_decided_on_another_status() {
    use dewy_domain::guard;
    let mut s = seeded();
    let room = room_id(&s, "105");
    let status = |s: &crate::store::Store| s.get("Hotel_Room__c", &room).unwrap()["Status__c"].clone();
    let write =
        |to: &str, read: &str, nonce| json!({"Status__c": to, guard::FIELD: guard::value(read, nonce)});

    s.update("Hotel_Room__c", &room, &write("Occupied", "Vacant", 1))
        .unwrap();
    let stale = s
        .update("Hotel_Room__c", &room, &write("Maintenance", "Vacant", 2))
        .unwrap_err();
    assert_eq!(
        (stale.status, stale.error_code.as_str()),
        (400, "FIELD_CUSTOM_VALIDATION_EXCEPTION")
    );
    assert!(stale.message.starts_with(guard::STALE), "{}", stale.message);
    assert_eq!(status(&s), json!("Occupied"), "nothing written");

    s.update("Hotel_Room__c", &room, &write("Cleaning", "Occupied", 3))
        .unwrap();
    // The same guard value again is no guarded write (ISCHANGED is false), nor is a write without one.
    s.update("Hotel_Room__c", &room, &write("Vacant", "Occupied", 3))
        .unwrap();
    s.update("Hotel_Room__c", &room, &json!({"Status__c": "Cleaning"}))
        .unwrap();
    assert_eq!(status(&s), json!("Cleaning"));
    // Unguarded objects have no such field.
    let contact = s.insert("Contact", &json!({"LastName": "X"})).unwrap();
    let e = s
        .update("Contact", &contact, &json!({guard::FIELD: "x|1"}))
        .unwrap_err();
    assert_eq!(e.error_code, "INVALID_FIELD");
}
