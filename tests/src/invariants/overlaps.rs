//! Active stays of one room that overlap: a room-night booked twice. Not reported by
//! [`super::violations`], because a seed (like a Salesforce org edited by hand) may hold some the
//! hub did not make: a run compares the overlaps after it with those before.

use super::{rows, text};
use chrono::NaiveDate;
use dewy_salesforce_sandbox::Sandbox;
use serde_json::Value;
use std::collections::BTreeMap;

/// Two active bookings of one room whose dates touch.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Overlap {
    /// The room's number.
    pub room: String,
    /// The first booking's external id (its Name when it has none).
    pub first: String,
    /// The second booking's.
    pub second: String,
}

/// Every pair of Reserved or Checked In bookings of the same room whose dates touch, with the
/// bounds inclusive as the booking tools count a clash (no same-day turnover).
pub fn overlapping_stays(sandbox: &Sandbox) -> Vec<Overlap> {
    let bookings = rows(
        sandbox,
        "SELECT Id, Name, External_ID__c, Room__r.Room_Number__c, Check_In_Date__c, Check_Out_Date__c \
         FROM Booking__c WHERE Status__c IN ('Reserved', 'Checked In')",
    );
    let mut per_room: BTreeMap<&str, Vec<(String, NaiveDate, NaiveDate)>> = BTreeMap::new();
    for booking in &bookings {
        let (Some(check_in), Some(check_out)) = (
            date(booking, "Check_In_Date__c"),
            date(booking, "Check_Out_Date__c"),
        ) else {
            continue;
        };
        let name = match text(booking, "External_ID__c") {
            "" => text(booking, "Name"),
            external_id => external_id,
        };
        per_room
            .entry(text(&booking["Room__r"], "Room_Number__c"))
            .or_default()
            .push((name.to_owned(), check_in, check_out));
    }
    let mut found = Vec::new();
    for (room, stays) in per_room {
        for (i, (first, in_a, out_a)) in stays.iter().enumerate() {
            for (second, in_b, out_b) in &stays[i + 1..] {
                if in_a <= out_b && in_b <= out_a {
                    let (first, second) = if first <= second {
                        (first, second)
                    } else {
                        (second, first)
                    };
                    found.push(Overlap {
                        room: room.to_owned(),
                        first: first.clone(),
                        second: second.clone(),
                    });
                }
            }
        }
    }
    found.sort();
    found
}

fn date(record: &Value, field: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text(record, field), "%Y-%m-%d").ok()
}
