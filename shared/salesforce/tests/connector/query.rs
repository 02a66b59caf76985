//! Queries: pagination, relationship fields, hostile values.

use crate::common::{self, operations, scoped};
use dewy_salesforce::soql::{Cond, Order, Soql};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
struct Room {
    #[serde(rename = "Room_Number__c")]
    number: String,
}

/// With a page size of 2, `query` follows nextRecordsUrl until all 22 rooms are in, one call a page.
#[tokio::test]
async fn query_follows_pagination_to_the_end() {
    // GIVEN a sandbox answering two records per page
    let env = common::start().await;
    env.sandbox.set_query_batch_size(Some(2));
    let (salesforce, recorder) = scoped(&env.salesforce);
    // WHEN every room is queried
    let soql = Soql::select(&["Id", "Room_Number__c"])
        .from("Hotel_Room__c")
        .order_by("Room_Number__c", Order::Asc);
    let rooms: Vec<Room> = salesforce.query(&soql).await.expect("query");
    // THEN all 22 rooms arrive, in order, over 11 page requests
    let numbers: Vec<String> = rooms.into_iter().map(|r| r.number).collect();
    let expected: Vec<String> = (100..=110).chain(200..=210).map(|n: u32| n.to_string()).collect();
    assert_eq!(numbers, expected);
    let pages = operations(&recorder)
        .iter()
        .filter(|(op, ok)| op == "query Hotel_Room__c" && *ok)
        .count();
    assert_eq!(pages, 11);
    let logged = env
        .sandbox
        .request_log()
        .iter()
        .filter(|r| r.path.contains("/query"))
        .count();
    assert_eq!(logged, 11);
}

/// `query_page` returns one page with its paging fields, and `query_more` the next.
#[tokio::test]
async fn query_page_exposes_the_paging_fields() {
    // GIVEN pages of two
    let env = common::start().await;
    env.sandbox.set_query_batch_size(Some(2));
    let soql = Soql::select(&["Id"]).from("Hotel_Room__c");
    // WHEN the first page is read, then the next
    let first = env.salesforce.query_page(&soql).await.expect("first page");
    let next_url = first.next_records_url.clone().expect("a next page");
    let second = env.salesforce.query_more(&next_url).await.expect("second page");
    // THEN each holds two records of the 22
    assert_eq!(
        (first.total_size, first.done, first.records.len()),
        (22, false, 2)
    );
    assert_eq!((second.total_size, second.records.len()), (22, 2));
    assert_ne!(first.records, second.records);
}

#[derive(Debug, Deserialize)]
struct Booking {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Room__r")]
    room: Option<BookedRoom>,
    #[serde(rename = "Primary_Guest__r")]
    guest: Option<Guest>,
}

#[derive(Debug, Deserialize)]
struct BookedRoom {
    #[serde(rename = "Room_Number__c")]
    number: String,
    #[serde(rename = "Status__c")]
    status: String,
}

#[derive(Debug, Deserialize)]
struct Guest {
    #[serde(rename = "Email")]
    email: Option<String>,
}

/// Relationship fields (`Room__r.Status__c`) decode into nested structs.
#[tokio::test]
async fn relationship_fields_decode_into_nested_structs() {
    // GIVEN the checked-in bookings, with room and guest fields through relationships
    let env = common::start().await;
    let soql = Soql::select(&[
        "Id",
        "Name",
        "Room__r.Room_Number__c",
        "Room__r.Status__c",
        "Primary_Guest__r.Email",
    ])
    .from("Booking__c")
    .filter(Cond::eq("Status__c", "Checked In"))
    .order_by("Name", Order::Asc);
    // WHEN queried through the connector
    let bookings: Vec<Booking> = env.salesforce.query(&soql).await.expect("query");
    // THEN the nested values are those the sandbox holds
    let raw = env.sandbox.query(soql.as_str()).expect("sandbox query");
    assert!(!bookings.is_empty());
    assert_eq!(bookings.len(), raw.len());
    for (booking, raw) in bookings.iter().zip(&raw) {
        assert!(booking.name.starts_with("BK-"), "{}", booking.name);
        let room = booking.room.as_ref().expect("a checked-in booking has a room");
        assert_eq!(
            room.number,
            raw["Room__r"]["Room_Number__c"].as_str().expect("number")
        );
        assert_eq!(room.status, raw["Room__r"]["Status__c"].as_str().expect("status"));
        let email = booking.guest.as_ref().and_then(|g| g.email.as_deref());
        assert_eq!(email, raw["Primary_Guest__r"]["Email"].as_str());
    }
}

/// Hostile input is matched as text: it neither widens nor breaks the query.
#[tokio::test]
async fn hostile_values_are_matched_literally() {
    let env = common::start().await;
    let contacts = |cond: Cond| Soql::select(&["Id"]).from("Contact").filter(cond);
    // GIVEN values that would rewrite a naively concatenated query
    for hostile in [
        "' OR Name != '",
        r"\' OR Id != null OR Email = \'",
        "x' OR '1'='1",
    ] {
        // WHEN used as an email to match
        let found: Vec<Value> = env
            .salesforce
            .query(&contacts(Cond::eq("Email", hostile)))
            .await
            .expect("query");
        // THEN nothing matches (rather than every contact)
        assert!(found.is_empty(), "{hostile}");
    }
    // AND wildcards in LIKE text match only themselves
    let all: Vec<Value> = env
        .salesforce
        .query(&contacts(Cond::like_contains("LastName", "")))
        .await
        .expect("all");
    let percent: Vec<Value> = env
        .salesforce
        .query(&contacts(Cond::like_contains("LastName", "%")))
        .await
        .expect("%");
    let underscore: Vec<Value> = env
        .salesforce
        .query(&contacts(Cond::like_contains("LastName", "_")))
        .await
        .expect("_");
    assert!(all.len() > 20);
    assert!(percent.is_empty() && underscore.is_empty());
}
