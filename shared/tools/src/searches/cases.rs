//! The case search, shared by the guest's and the staff's case orchestrators and the web app's
//! `search_cases`: one filter, one query, one output shape.
//!
//! One SOQL query: the case's room number and contact are read through `Room__r` and `Contact`
//! in the same query. Filtering on the contact's email through the relationship is also what
//! scopes a guest to their own cases, without first looking their contact up.

use crate::record::Record;
use crate::skills::sf;
use crate::skills::views::case::{CaseSummary, FIELDS};
use crate::skills::views::contact::full_name;
use dewy_domain::ToolError;
use dewy_domain::input::{Email, RoomNumber};
use dewy_domain::objects::case::{self, CasePriority, CaseStatus, CaseType};
use dewy_domain::objects::{contact, room};
use dewy_salesforce::soql::{Cond, Order, Soql};
use dewy_tool::Context;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `Case.ContactId`'s relationship.
const CONTACT_REL: &str = "Contact";
/// `Case.Room__c`'s relationship.
const ROOM_REL: &str = "Room__r";

const RELATED_FIELDS: &[&str] = &[
    "Contact.FirstName",
    "Contact.LastName",
    "Contact.Unique_Email__c",
    "Room__r.Room_Number__c",
];

/// What to look for; every filter given must match (AND). No filter lists every case.
#[derive(Debug, Default)]
pub struct CaseFilter {
    /// The email of the case's contact.
    pub contact_email: Option<Email>,
    /// The case's status.
    pub status: Option<CaseStatus>,
    /// The case's priority.
    pub priority: Option<CasePriority>,
    /// The case's type.
    pub case_type: Option<CaseType>,
    /// The number of the room the case is about.
    pub room_number: Option<RoomNumber>,
}

impl CaseFilter {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.contact_email.is_none()
            && self.status.is_none()
            && self.priority.is_none()
            && self.case_type.is_none()
            && self.room_number.is_none()
    }

    fn condition(&self) -> Cond {
        let conditions = [
            self.contact_email
                .as_ref()
                .map(|e| Cond::eq("Contact.Unique_Email__c", e.as_str())),
            self.status.map(|s| Cond::eq(case::STATUS, s.to_string())),
            self.priority.map(|p| Cond::eq(case::PRIORITY, p.to_string())),
            self.case_type.map(|t| Cond::eq(case::TYPE, t.to_string())),
            self.room_number
                .as_ref()
                .map(|n| Cond::eq("Room__r.Room_Number__c", n.as_str())),
        ];
        Cond::all(conditions.into_iter().flatten())
    }
}

/// Declares the input of a staff case search: the filters of [`CaseFilter`] and a limit, with the
/// contact's email under the name `$email`. The orchestrator and the web app name that one field
/// differently (`guest_email`, `contact_email`); everything else is one declaration.
macro_rules! staff_case_input {
    ($(#[$doc:meta])* $name:ident, $email:ident) => {
        $(#[$doc])*
        #[derive(Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// The email of the case's contact.
            #[serde(default)]
            pub $email: Option<dewy_domain::input::Email>,
            #[serde(default)]
            pub status: Option<dewy_domain::objects::case::CaseStatus>,
            #[serde(default)]
            pub priority: Option<dewy_domain::objects::case::CasePriority>,
            #[serde(default, rename = "type")]
            pub case_type: Option<dewy_domain::objects::case::CaseType>,
            #[serde(default)]
            pub room_number: Option<dewy_domain::input::RoomNumber>,
            /// Defaults to 50.
            #[serde(default)]
            pub limit: Option<$crate::searches::inputs::Limit>,
        }

        impl $name {
            /// The filter and the limit asked for.
            fn into_parts(self) -> ($crate::searches::cases::CaseFilter, Option<$crate::searches::inputs::Limit>) {
                let filter = $crate::searches::cases::CaseFilter {
                    contact_email: self.$email,
                    status: self.status,
                    priority: self.priority,
                    case_type: self.case_type,
                    room_number: self.room_number,
                };
                (filter, self.limit)
            }
        }
    };
}
pub(crate) use staff_case_input;

/// A case with the room number and the contact it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaseRow {
    /// The case.
    #[serde(flatten)]
    pub case: CaseSummary,
    /// The number of the room concerned (`Room_Number__c`), e.g. 101.
    pub room_number: Option<String>,
    /// The contact's full name.
    pub contact_name: Option<String>,
    /// The contact's email.
    pub contact_email: Option<String>,
}

impl CaseRow {
    fn from_record(record: &Record) -> Result<Self, ToolError> {
        let contact = record.related(CONTACT_REL)?;
        let room = record.related(ROOM_REL)?.unwrap_or_default();
        let contact_email = match &contact {
            Some(c) => c.text(contact::UNIQUE_EMAIL)?.map(str::to_owned),
            None => None,
        };
        Ok(CaseRow {
            case: CaseSummary::from_record(record)?,
            room_number: room.text(room::ROOM_NUMBER)?.map(str::to_owned),
            contact_name: contact.as_ref().map(full_name).transpose()?,
            contact_email,
        })
    }
}

/// The cases matching `filter`, at most `limit`, newest first (case numbers count up).
pub async fn find(ctx: &Context, filter: &CaseFilter, limit: u32) -> Result<Vec<CaseRow>, ToolError> {
    let fields = [FIELDS, RELATED_FIELDS].concat();
    let soql = Soql::select(&fields)
        .from(case::OBJECT)
        .filter(filter.condition())
        .order_by(case::CASE_NUMBER, Order::Desc)
        .limit(limit);
    sf::query(ctx, &soql)
        .await?
        .iter()
        .map(CaseRow::from_record)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_anded_through_the_relationships() {
        let filter = CaseFilter {
            contact_email: Some(Email::parse("o'brien@example.com").unwrap()),
            status: Some(CaseStatus::New),
            priority: None,
            case_type: Some(CaseType::RoomService),
            room_number: Some(RoomNumber::parse("101").unwrap()),
        };
        assert_eq!(
            filter.condition().to_string(),
            "Contact.Unique_Email__c = 'o\\'brien@example.com' AND Status = 'New' \
             AND Type = 'Room Service' AND Room__r.Room_Number__c = '101'"
        );
        assert!(CaseFilter::default().is_empty());
    }
}
