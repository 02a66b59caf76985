//! The invariant checker of the fault-injection run: what must hold of the sandbox's records at any
//! quiet moment, whatever failed on the way. Each orchestrator that changes state adds its rules
//! here; the rules that join Salesforce to Stripe (checkout and its compensation) are in `money`.

mod lost_updates;
mod money;
mod overlaps;

pub use lost_updates::lost_updates;
pub use money::{Said, money_violations};
pub use overlaps::{Overlap, overlapping_stays};

use dewy_salesforce_sandbox::Sandbox;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Checks every invariant and returns the violations, one line each (empty when all hold).
pub fn violations(sandbox: &Sandbox) -> Vec<String> {
    let bookings = rows(
        sandbox,
        "SELECT Id, Name, Status__c, Primary_Guest__c, Room__c, Opportunity__c, Checked_In_At__c, \
         External_ID__c, Room__r.Status__c, Room__r.Current_Guest__c, Opportunity__r.StageName \
         FROM Booking__c",
    );
    let rooms = rows(
        sandbox,
        "SELECT Id, Room_Number__c, Status__c, Current_Guest__c FROM Hotel_Room__c",
    );
    let opportunities = rows(sandbox, "SELECT Id, StageName FROM Opportunity");
    let contacts = rows(sandbox, "SELECT Id, Email, Unique_Email__c FROM Contact");
    let cases = rows(sandbox, "SELECT Id, External_ID__c FROM Case");

    let mut found = Vec::new();
    check_in_is_whole(&bookings, &rooms, &opportunities, &mut found);
    no_duplicates(&bookings, &rooms, &contacts, &mut found);
    duplicates(&cases, "External_ID__c", "case token", &mut found);
    found
}

/// Check-in moves three records together: a booking is Checked In exactly when its room is Occupied
/// by that guest and its opportunity is at the stage "Checked In". Any one or two of the three
/// alone is a half-applied transition. A compensated checkout puts the stay back with the
/// opportunity at "Negotiation/Review" instead (`money` checks that a refund explains it).
fn check_in_is_whole(bookings: &[Value], rooms: &[Value], opportunities: &[Value], found: &mut Vec<String>) {
    for booking in bookings {
        let name = text(booking, "Name");
        let guest = text(booking, "Primary_Guest__c");
        let room = &booking["Room__r"];
        let stage = text(&booking["Opportunity__r"], "StageName");
        let checked_in = text(booking, "Status__c") == "Checked In";
        let room_holds_guest =
            text(room, "Status__c") == "Occupied" && text(room, "Current_Guest__c") == guest;
        let stage_ok = stage == "Checked In" || stage == "Negotiation/Review";
        if checked_in && !(room_holds_guest && stage_ok) {
            found.push(format!(
                "{name} is Checked In but its room is {} for {} and its opportunity is at {stage}",
                text(room, "Status__c"),
                text(room, "Current_Guest__c")
            ));
        }
        if checked_in != booking["Checked_In_At__c"].is_string()
            && text(booking, "Status__c") != "Checked Out"
        {
            found.push(format!(
                "{name}: status {} but Checked_In_At__c {}",
                text(booking, "Status__c"),
                booking["Checked_In_At__c"]
            ));
        }
    }
    let checked_in: Vec<&Value> = bookings
        .iter()
        .filter(|b| text(b, "Status__c") == "Checked In")
        .collect();
    for opportunity in opportunities {
        if text(opportunity, "StageName") != "Checked In" {
            continue;
        }
        let id = text(opportunity, "Id");
        if !checked_in.iter().any(|b| text(b, "Opportunity__c") == id) {
            found.push(format!("opportunity {id} is Checked In but its booking is not"));
        }
    }
    for room in rooms {
        let guest = text(room, "Current_Guest__c");
        if text(room, "Status__c") != "Occupied" || guest.is_empty() {
            continue;
        }
        let id = text(room, "Id");
        let holders = checked_in
            .iter()
            .filter(|b| text(b, "Room__c") == id && text(b, "Primary_Guest__c") == guest)
            .count();
        if holders != 1 {
            found.push(format!(
                "room {} is Occupied by {guest} with {holders} checked-in bookings of theirs",
                text(room, "Room_Number__c")
            ));
        }
    }
}

/// No record exists twice: bookings by external id, rooms by number, contacts by email; and no room
/// holds two checked-in bookings.
fn no_duplicates(bookings: &[Value], rooms: &[Value], contacts: &[Value], found: &mut Vec<String>) {
    duplicates(bookings, "External_ID__c", "booking external id", found);
    duplicates(rooms, "Room_Number__c", "room number", found);
    duplicates(contacts, "Email", "contact email", found);
    duplicates(contacts, "Unique_Email__c", "contact Unique_Email__c", found);
    let mut per_room: HashMap<&str, usize> = HashMap::new();
    for booking in bookings.iter().filter(|b| text(b, "Status__c") == "Checked In") {
        *per_room.entry(text(booking, "Room__c")).or_default() += 1;
    }
    for (room, n) in per_room.into_iter().filter(|(_, n)| *n > 1) {
        found.push(format!("room {room} holds {n} checked-in bookings"));
    }
}

pub(crate) fn duplicates(records: &[Value], field: &str, what: &str, found: &mut Vec<String>) {
    let mut seen = HashSet::new();
    for value in records.iter().map(|r| text(r, field)).filter(|v| !v.is_empty()) {
        if !seen.insert(value.to_ascii_lowercase()) {
            found.push(format!("duplicate {what}: {value}"));
        }
    }
}

pub(crate) fn rows(sandbox: &Sandbox, soql: &str) -> Vec<Value> {
    sandbox.query(soql).expect("the invariant queries run")
}

pub(crate) fn text<'a>(record: &'a Value, field: &str) -> &'a str {
    record[field].as_str().unwrap_or("")
}
