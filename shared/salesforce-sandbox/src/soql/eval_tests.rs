//! The evaluator over the seed data: Salesforce's comparison, date, relationship and error rules.

use serde_json::{Value, json};

use super::eval::run;
use crate::error::SandboxError;
use crate::store::Store;
use crate::test_support::{q, room_id, seeded, strings};

fn q_err(store: &Store, soql: &str) -> SandboxError {
    run(store, soql, "62.0").unwrap_err()
}

#[test]
fn filters_compare_like_salesforce() {
    let s = seeded();
    assert_eq!(q(&s, "SELECT Id FROM Hotel_Room__c").len(), 22);
    // String equality ignores case.
    assert_eq!(
        q(&s, "SELECT Id FROM Hotel_Room__c WHERE Status__c = 'occupied'").len(),
        10
    );
    assert_eq!(
        q(
            &s,
            "SELECT Id FROM Hotel_Room__c WHERE Status__c IN ('CLEANING', 'Maintenance')"
        )
        .len(),
        4
    );
    assert_eq!(
        q(
            &s,
            "SELECT Id FROM Hotel_Room__c WHERE Status__c NOT IN ('Occupied')"
        )
        .len(),
        12
    );
    assert_eq!(
        q(&s, "SELECT Id FROM Hotel_Room__c WHERE Name LIKE 'garden%'").len(),
        11
    );
    assert_eq!(
        q(&s, "SELECT Id FROM Hotel_Room__c WHERE Room_Number__c LIKE '2_0'").len(),
        2
    );
    assert_eq!(
        q(
            &s,
            "SELECT Id FROM Hotel_Room__c WHERE Nightly_Rate__c > 150 AND Floor__c = 2"
        )
        .len(),
        4
    );
    assert_eq!(
        q(&s, "SELECT Id FROM Hotel_Room__c WHERE Accessible__c = true").len(),
        2
    );
    assert_eq!(
        q(&s, "SELECT Id FROM Hotel_Room__c WHERE Current_Guest__c != null").len(),
        10
    );
    assert_eq!(
        q(
            &s,
            "SELECT Id FROM Hotel_Room__c WHERE NOT Current_Guest__c = null"
        )
        .len(),
        10
    );
    assert_eq!(
        q(
            &s,
            "SELECT Id FROM Contact WHERE Contact_Type__c = 'Vendor' OR Email LIKE '%@hotel.com'"
        )
        .len(),
        23
    );
    // A null field is "not equal" to everything non-null.
    assert_eq!(
        q(
            &s,
            "SELECT Id FROM Contact WHERE AccountId != '001Dn0000000000IAA'"
        )
        .len(),
        36
    );
}

#[test]
fn dates_and_relative_dates() {
    let s = seeded();
    let due = q(
        &s,
        "SELECT Primary_Guest__r.Email FROM Booking__c WHERE Check_In_Date__c = TODAY",
    );
    assert_eq!(due.len(), 4); // kay, carl, maria x2
    assert_eq!(
        q(
            &s,
            "SELECT Id FROM Booking__c WHERE Check_In_Date__c = 2026-11-23"
        )
        .len(),
        4
    );
    assert_eq!(
        q(&s, "SELECT Id FROM Booking__c WHERE Check_In_Date__c > TODAY").len(),
        2
    );
    assert_eq!(
        q(
            &s,
            "SELECT Id FROM Booking__c WHERE Check_In_Date__c = NEXT_N_DAYS:7"
        )
        .len(),
        1
    );
    assert_eq!(
        q(
            &s,
            "SELECT Id FROM Booking__c WHERE Check_In_Date__c = LAST_N_DAYS:2"
        )
        .len(),
        14
    );
    assert_eq!(
        q(&s, "SELECT Id FROM Booking__c WHERE Check_Out_Date__c = TOMORROW").len(),
        9
    );
    assert_eq!(
        q(&s, "SELECT Id FROM Booking__c WHERE Check_In_Date__c < YESTERDAY").len(),
        11
    );
    assert_eq!(
        q(&s, "SELECT Id FROM Contact WHERE CreatedDate = TODAY").len(),
        36
    );
    assert_eq!(
        q(
            &s,
            "SELECT Id FROM Contact WHERE CreatedDate > 2026-11-24T00:00:00Z"
        )
        .len(),
        0
    );
}

#[test]
fn relationships_and_formulas_are_resolved() {
    let s = seeded();
    let rows = q(
        &s,
        "SELECT Name, Total_Nights__c, Room__r.Room_Number__c, Room__r.Status__c, Primary_Guest__r.Account.Name, \
         Opportunity__r.StageName FROM Booking__c WHERE Primary_Guest__r.Email = 'KAY@example.com'",
    );
    assert_eq!(rows.len(), 1);
    let kay = &rows[0];
    assert_eq!(kay["Total_Nights__c"], json!(3.0));
    assert_eq!(kay["Room__r"]["Room_Number__c"], json!("105"));
    assert_eq!(kay["Room__r"]["Status__c"], json!("Vacant"));
    assert_eq!(kay["Room__r"]["attributes"]["type"], json!("Hotel_Room__c"));
    // Kay has no account: the nested relationship is null.
    assert_eq!(kay["Primary_Guest__r"]["Account"], Value::Null);
    assert_eq!(kay["Opportunity__r"]["StageName"], json!("Booking Confirmed"));
    assert!(kay["Name"].as_str().unwrap().starts_with("BK-"));
    assert_eq!(kay["attributes"]["type"], json!("Booking__c"));

    let deep = q(
        &s,
        "SELECT Room__r.Current_Guest__r.Email FROM Booking__c WHERE Room__r.Room_Number__c = '100'",
    );
    assert_eq!(
        deep[0]["Room__r"]["Current_Guest__r"]["Email"],
        json!("guest1@hotel.com")
    );
    // A case without a booking has a null relationship; filtering through it matches nothing.
    let cases = q(
        &s,
        "SELECT Booking__r.Name FROM Case WHERE Booking__r.Name = null",
    );
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0]["Booking__r"], Value::Null);
    assert_eq!(
        q(&s, "SELECT Id FROM Booking__c WHERE Total_Nights__c = 3").len(),
        11
    );
    assert_eq!(
        q(&s, "SELECT Name FROM Contact WHERE Name = 'alice johnson'")[0]["Name"],
        json!("Alice Johnson")
    );
}

#[test]
fn order_limit_offset() {
    let s = seeded();
    let rows = q(
        &s,
        "SELECT Room_Number__c FROM Hotel_Room__c ORDER BY Room_Number__c DESC LIMIT 3 OFFSET 1",
    );
    assert_eq!(strings(&rows, "Room_Number__c"), ["209", "208", "207"]);
    let rows = q(
        &s,
        "SELECT Room_Number__c FROM Hotel_Room__c ORDER BY Floor__c, Nightly_Rate__c DESC LIMIT 2",
    );
    assert_eq!(strings(&rows, "Room_Number__c"), ["110", "107"]);
    let first = q(
        &s,
        "SELECT Room_Number__c FROM Hotel_Room__c ORDER BY Current_Guest__r.LastName LIMIT 1",
    );
    let last = q(
        &s,
        "SELECT Room_Number__c FROM Hotel_Room__c ORDER BY Current_Guest__r.LastName NULLS LAST LIMIT 1",
    );
    assert_ne!(first[0]["Room_Number__c"], json!("100"));
    assert_eq!(last[0]["Room_Number__c"], json!("101")); // Chen sorts first
}

#[test]
fn query_errors_match_salesforce() {
    let s = seeded();
    let e = q_err(&s, "SELECT Foo__c FROM Booking__c");
    assert_eq!(e.error_code, "INVALID_FIELD");
    assert!(
        e.message
            .starts_with("No such column 'Foo__c' on entity 'Booking__c'."),
        "{}",
        e.message
    );
    let e = q_err(&s, "SELECT Room__r.Foo FROM Booking__c");
    assert!(
        e.message
            .starts_with("No such column 'Foo' on entity 'Hotel_Room__c'."),
        "{}",
        e.message
    );
    let e = q_err(&s, "SELECT Foo__r.Name FROM Booking__c");
    assert!(
        e.message.starts_with("Didn't understand relationship 'Foo__r'"),
        "{}",
        e.message
    );
    let e = q_err(&s, "SELECT Id FROM Foo");
    assert_eq!(e.error_code, "INVALID_TYPE");
    assert!(e.message.starts_with("sObject type 'Foo' is not supported."));
    let e = q_err(&s, "SELECT Id FROM Contact WHERE Name = ");
    assert_eq!(e.error_code, "MALFORMED_QUERY");
    assert!(e.message.contains("unexpected end of query"));
    assert_eq!(
        q_err(
            &s,
            "SELECT Id FROM Booking__c WHERE Check_In_Date__c = '2026-11-23'"
        )
        .error_code,
        "INVALID_FIELD"
    );
    assert_eq!(
        q_err(&s, "SELECT Id FROM Hotel_Room__c WHERE Floor__c = '1'").error_code,
        "INVALID_FIELD"
    );
    assert_eq!(
        q_err(&s, "SELECT Id FROM Hotel_Room__c WHERE Name = 1").error_code,
        "INVALID_FIELD"
    );
    assert_eq!(
        q_err(&s, "SELECT Id FROM Contact WHERE Id = 'nope'").error_code,
        "INVALID_QUERY_FILTER_OPERATOR"
    );
    assert_eq!(
        q_err(&s, "SELECT Id FROM Hotel_Room__c WHERE Floor__c LIKE '1%'").error_code,
        "INVALID_QUERY_FILTER_OPERATOR"
    );
    assert_eq!(
        q_err(&s, "SELECT Id, id FROM Contact").error_code,
        "MALFORMED_QUERY"
    );
    assert_eq!(
        q_err(&s, "SELECT Id FROM Contact OFFSET 2001").error_code,
        "NUMBER_OUTSIDE_VALID_RANGE"
    );
}

#[test]
fn ids_match_in_either_form() {
    let s = seeded();
    let id = room_id(&s, "105");
    for form in [id.clone(), id[..15].to_owned(), id.to_lowercase()] {
        let rows = q(
            &s,
            &format!("SELECT Room_Number__c FROM Hotel_Room__c WHERE Id = '{form}'"),
        );
        assert_eq!(strings(&rows, "Room_Number__c"), ["105"], "{form}");
    }
    let rows = q(
        &s,
        &format!("SELECT Id FROM Booking__c WHERE Room__c = '{}'", &id[..15]),
    );
    assert_eq!(rows.len(), 1);
}
