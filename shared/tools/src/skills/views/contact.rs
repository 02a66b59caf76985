//! A Contact as the skills show it.

use crate::record::Record;
use crate::skills::sf;
use dewy_domain::input::Email;
use dewy_domain::objects::contact::{self, ContactType};
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_tool::Context;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The fields a contact is read with (the account too, which a new opportunity is filed under).
pub(crate) const FIELDS: &[&str] = &[
    "Id",
    contact::EMAIL,
    contact::UNIQUE_EMAIL,
    contact::FIRST_NAME,
    contact::LAST_NAME,
    contact::CONTACT_TYPE,
    contact::ACCOUNT,
];

/// A guest, manager or vendor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactSummary {
    /// The Contact's id: pass it as `contact_id` to other tools.
    pub id: String,
    /// The contact's email (`Unique_Email__c`).
    pub email: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Guest, Manager or Vendor.
    pub contact_type: Option<ContactType>,
}

impl ContactSummary {
    /// The summary of a record read with this module's fields.
    pub(crate) fn from_record(record: &Record) -> Result<Self, ToolError> {
        let email = match record.text(contact::UNIQUE_EMAIL)? {
            Some(email) => Some(email),
            None => record.text(contact::EMAIL)?,
        };
        Ok(ContactSummary {
            id: record.id()?.to_owned(),
            email: email.map(str::to_owned),
            first_name: record.text(contact::FIRST_NAME)?.map(str::to_owned),
            last_name: record.text(contact::LAST_NAME)?.map(str::to_owned),
            contact_type: record.optional_picklist(contact::CONTACT_TYPE)?,
        })
    }
}

/// A contact's first and last name, as one (`FirstName`/`LastName` of `record`).
pub(crate) fn full_name(record: &Record) -> Result<String, ToolError> {
    let first = record.text(contact::FIRST_NAME)?.unwrap_or_default();
    let last = record.text(contact::LAST_NAME)?.unwrap_or_default();
    Ok(format!("{first} {last}").trim().to_owned())
}

/// The contact whose `Unique_Email__c` is `email`, as read (so callers may read the account too).
pub(crate) async fn find_by_email(ctx: &Context, email: &Email) -> Result<Option<Record>, ToolError> {
    let soql = Soql::select(FIELDS)
        .from(contact::OBJECT)
        .filter(Cond::eq(contact::UNIQUE_EMAIL, email.as_str()));
    sf::first(ctx, soql).await
}

/// `404 GUEST_NOT_FOUND` for an email no contact has.
pub(crate) fn guest_not_found(email: &Email) -> ToolError {
    ToolError::new(
        ErrorCode::GuestNotFound,
        format!(
            "Guest with email {email} does not exist in Salesforce. Create the contact first (create_contact)."
        ),
    )
    .with_details(json!({ "email": email }))
}
