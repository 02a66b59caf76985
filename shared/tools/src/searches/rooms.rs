//! The staff's room search, shared by `search_rooms_on_behalf_of_staff` and the web app's
//! `search_rooms`: one filter, one query, one output shape, two input shapes.
//!
//! One SOQL query: the room's current guest is read through `Current_Guest__r` in the same query,
//! never with a follow-up per room.

use super::inputs::Floor;
use crate::record::Record;
use crate::skills::sf;
use crate::skills::views::contact::full_name;
use crate::skills::views::room::{FIELDS, RoomSummary};
use dewy_domain::ToolError;
use dewy_domain::input::RoomNumber;
use dewy_domain::objects::contact;
use dewy_domain::objects::room::{self, RoomStatus, RoomType};
use dewy_salesforce::soql::{Cond, Order, Soql};
use dewy_tool::Context;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The current guest's fields, read through the room's `Current_Guest__r` lookup.
const GUEST_FIELDS: &[&str] = &[
    "Current_Guest__r.FirstName",
    "Current_Guest__r.LastName",
    "Current_Guest__r.Unique_Email__c",
    "Current_Guest__r.MobilePhone",
];

/// What to look for; every filter given must match (AND). No filter lists every room.
#[derive(Debug, Default)]
pub struct RoomFilter {
    /// The room's status.
    pub status: Option<RoomStatus>,
    /// The room's floor.
    pub floor: Option<Floor>,
    /// The room's type.
    pub room_type: Option<RoomType>,
    /// The room's number.
    pub room_number: Option<RoomNumber>,
}

impl RoomFilter {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.floor.is_none()
            && self.room_type.is_none()
            && self.room_number.is_none()
    }

    fn condition(&self) -> Cond {
        let conditions = [
            self.status.map(|s| Cond::eq(room::STATUS, s.to_string())),
            self.floor.map(|f| Cond::eq(room::FLOOR, f.get())),
            self.room_type.map(|t| Cond::eq(room::ROOM_TYPE, t.to_string())),
            self.room_number
                .as_ref()
                .map(|n| Cond::eq(room::ROOM_NUMBER, n.as_str())),
        ];
        Cond::all(conditions.into_iter().flatten())
    }
}

/// A room as staff see it: the room, and who is staying in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StaffRoom {
    /// The room.
    #[serde(flatten)]
    pub room: RoomSummary,
    /// The current guest's full name, while the room is occupied.
    pub current_guest_name: Option<String>,
    /// The current guest's email.
    pub current_guest_email: Option<String>,
    /// The current guest's mobile number, for a text.
    pub current_guest_mobile: Option<String>,
}

impl StaffRoom {
    fn from_record(record: &Record) -> Result<Self, ToolError> {
        let guest = record.related(room::CURRENT_GUEST_REL)?;
        let text = |field| match &guest {
            Some(guest) => Ok::<_, ToolError>(guest.text(field)?.map(str::to_owned)),
            None => Ok(None),
        };
        Ok(StaffRoom {
            room: RoomSummary::from_record(record)?,
            current_guest_name: guest.as_ref().map(full_name).transpose()?,
            current_guest_email: text(contact::UNIQUE_EMAIL)?,
            current_guest_mobile: text(contact::MOBILE_PHONE)?,
        })
    }
}

/// The rooms matching `filter`, at most `limit`, in room-number order.
pub async fn find(ctx: &Context, filter: &RoomFilter, limit: u32) -> Result<Vec<StaffRoom>, ToolError> {
    let fields = [FIELDS, GUEST_FIELDS].concat();
    let soql = Soql::select(&fields)
        .from(room::OBJECT)
        .filter(filter.condition())
        .order_by(room::ROOM_NUMBER, Order::Asc)
        .limit(limit);
    sf::query(ctx, &soql)
        .await?
        .iter()
        .map(StaffRoom::from_record)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_anded_and_escaped_by_the_builder() {
        let filter = RoomFilter {
            status: Some(RoomStatus::OutOfService),
            floor: Some(Floor::parse(2).unwrap()),
            room_type: None,
            room_number: Some(RoomNumber::parse("201").unwrap()),
        };
        assert_eq!(
            filter.condition().to_string(),
            "Status__c = 'Out of Service' AND Floor__c = 2 AND Room_Number__c = '201'"
        );
        assert!(RoomFilter::default().is_empty());
        assert_eq!(RoomFilter::default().condition().to_string(), "Id != null");
    }
}
