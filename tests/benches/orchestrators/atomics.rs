//! The original's atomic recipes that more than one orchestrator called, as the requests they made.

use crate::sequential::{Op, Step, find_as, update, upsert};
use chrono::NaiveDate;
use dewy_salesforce::soql::{Cond, Soql};
use serde_json::{Value, json};

/// The fields the original's booking searches read (with the room's, through the relationship).
const BOOKING: &[&str] = &[
    "Id",
    "Name",
    "Status__c",
    "Room__c",
    "Opportunity__c",
    "Primary_Guest__c",
    "Check_In_Date__c",
    "Check_Out_Date__c",
    "Room__r.Room_Number__c",
    "Room__r.Status__c",
    "Room__r.Room_Type__c",
    "Room__r.Floor__c",
];

/// `search_contact_by_email`.
pub fn contact_search(email: &str) -> Soql {
    Soql::select(&["Id", "FirstName", "LastName", "Email", "Contact_Type__c"])
        .from("Contact")
        .filter(Cond::eq("Unique_Email__c", email))
        .limit(1)
}

/// `search_room_by_number`.
pub fn room_search(number: &str) -> Soql {
    Soql::select(&[
        "Id",
        "Name",
        "Room_Number__c",
        "Status__c",
        "Room_Type__c",
        "Floor__c",
    ])
    .from("Hotel_Room__c")
    .filter(Cond::eq("Room_Number__c", number))
    .limit(1)
}

/// `search_booking_by_contact_and_date`: an exact check-in date, limit 2.
pub fn booking_search(contact: &str, check_in: NaiveDate, status: &str) -> Soql {
    Soql::select(BOOKING)
        .from("Booking__c")
        .filter(
            Cond::eq("Primary_Guest__c", contact)
                .and(Cond::eq("Check_In_Date__c", check_in))
                .and(Cond::eq("Status__c", status)),
        )
        .limit(2)
}

/// `search_booking_by_external_id` (also `upsert_booking`'s read-back).
pub fn booking_by_external_id(external_id: &str) -> Soql {
    Soql::select(BOOKING)
        .from("Booking__c")
        .filter(Cond::eq("External_ID__c", external_id))
        .limit(1)
}

/// `search_bookings_by_room_and_dates`: live bookings of the room overlapping the dates, bounds
/// inclusive.
pub fn conflict_search(room_number: &str, check_in: NaiveDate, check_out: NaiveDate) -> Soql {
    Soql::select(BOOKING).from("Booking__c").filter(
        Cond::eq("Room__r.Room_Number__c", room_number)
            .and(Cond::not_in("Status__c", ["Cancelled", "No Show", "Checked Out"]))
            .and(Cond::le("Check_In_Date__c", check_out))
            .and(Cond::ge("Check_Out_Date__c", check_in)),
    )
}

/// `search_case_by_token`.
pub fn case_by_token(token: &str) -> Soql {
    Soql::select(&["Id", "CaseNumber", "Status", "Priority", "Type"])
        .from("Case")
        .filter(Cond::eq("External_ID__c", token))
        .limit(1)
}

/// `upsert_booking`: the upsert on the external id (status forced to Reserved), then a read-back.
pub fn upsert_booking(external_id: &str, fields: Value) -> [Step; 2] {
    let mut fields = fields;
    fields["Status__c"] = json!("Reserved");
    [
        Op::Upsert("Booking__c", "External_ID__c", external_id.to_owned(), fields).into(),
        Op::Find(booking_by_external_id(external_id)).into(),
    ]
}

/// `upsert_case`: the upsert on the token, then a read of the case for its number.
pub fn upsert_case(token: &str, fields: Value) -> [Step; 2] {
    [
        Step::from(Op::Upsert("Case", "External_ID__c", token.to_owned(), fields)).saved_as("case"),
        Op::Get("Case", "@case".to_owned(), &["Id", "CaseNumber", "Status"]).into(),
    ]
}

/// `update_booking_status`, `update_room_status` and `update_opportunity_stage`, one after another,
/// on the booking a step saved as `booking` and its room and opportunity.
pub fn update_stay(booking: Value, room: Value, opportunity: Value) -> [Step; 3] {
    [
        update("Booking__c", "@booking", booking),
        update("Hotel_Room__c", "@booking.Room__c", room),
        update("Opportunity", "@booking.Opportunity__c", opportunity),
    ]
}

/// A contact search that finds the fixture's guest, saved as `contact`.
pub fn find_contact(email: &str) -> Step {
    find_as("contact", contact_search(email))
}

/// A contact search that finds no one, then `create_contact`'s (= `upsert_contact`'s) upsert on the
/// email, saved as `contact`.
pub fn new_contact(email: &str, last_name: &str, phone: &str, kind: &str) -> [Step; 2] {
    let fields = json!({"Email": email, "FirstName": "Bench", "LastName": last_name, "Phone": phone,
                        "Contact_Type__c": kind});
    [
        Op::Miss(contact_search(email)).into(),
        upsert("Contact", "Unique_Email__c", email, fields).saved_as("contact"),
    ]
}
