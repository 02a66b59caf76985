//! `search_contacts`: the web app's contact search (`POST /api/search-contacts`): by a piece of a
//! name or an email, an exact email, or a contact type; at least one is required.

use super::inputs::{Limit, SearchText, limit_or};
use super::{Contacts, require_a_filter};
use crate::record::Record;
use crate::skills::STAFF_SEARCH;
use crate::skills::sf;
use crate::skills::views::contact::{ContactSummary, FIELDS};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::Email;
use dewy_domain::objects::contact::{self, ContactType};
use dewy_salesforce::soql::{Cond, Order, Soql};
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

const DEFAULT_LIMIT: u32 = 50;

const PHONE_FIELDS: &[&str] = &[contact::PHONE, contact::MOBILE_PHONE];

/// Input of `search_contacts`: at least one of the filters.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchContactsInput {
    /// Text the name or email contains.
    #[serde(default)]
    pub query: Option<SearchText>,
    /// The exact email.
    #[serde(default)]
    pub email: Option<Email>,
    #[serde(default)]
    pub contact_type: Option<ContactType>,
    /// Defaults to 50.
    #[serde(default)]
    pub limit: Option<Limit>,
}

impl SearchContactsInput {
    fn condition(&self) -> Cond {
        // `Name` is first and last name together, so "Kay Naka" matches as well as "Naka".
        let contains = self.query.as_ref().map(|q| {
            Cond::any(
                [contact::EMAIL, contact::UNIQUE_EMAIL, "Name"]
                    .map(|field| Cond::like_contains(field, q.as_str())),
            )
        });
        let conditions = [
            contains,
            self.email
                .as_ref()
                .map(|e| Cond::eq(contact::UNIQUE_EMAIL, e.as_str())),
            self.contact_type
                .map(|t| Cond::eq(contact::CONTACT_TYPE, t.to_string())),
        ];
        Cond::all(conditions.into_iter().flatten())
    }
}

/// A contact, with the numbers to reach them on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ContactRow {
    /// The contact.
    #[serde(flatten)]
    pub contact: ContactSummary,
    /// Phone.
    pub phone: Option<String>,
    /// Mobile phone, for a text.
    pub mobile_phone: Option<String>,
}

impl ContactRow {
    fn from_record(record: &Record) -> Result<Self, ToolError> {
        Ok(ContactRow {
            contact: ContactSummary::from_record(record)?,
            phone: record.text(contact::PHONE)?.map(str::to_owned),
            mobile_phone: record.text(contact::MOBILE_PHONE)?.map(str::to_owned),
        })
    }
}

/// The `search_contacts` tool.
pub struct SearchContacts;

impl Tool for SearchContacts {
    type Input = SearchContactsInput;
    type Output = Contacts<ContactRow>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_contacts",
        personas: crate::personas::FRONT_DESK,
        deployment: crate::deployment::SKILL,
        description: "Search contacts, in last-name order, matching every filter given (at least one).",
        ..STAFF_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::staff(
            "manager1@hotel.com",
            json!({
                "query": "naka",
                "contact_type": "Guest",
                "limit": 10,
            }),
        )
    }

    async fn call(
        &self,
        ctx: &Context,
        input: SearchContactsInput,
    ) -> Result<Contacts<ContactRow>, ToolError> {
        let empty = input.query.is_none() && input.email.is_none() && input.contact_type.is_none();
        require_a_filter(empty, "query, email or contact_type")?;
        let fields = [FIELDS, PHONE_FIELDS].concat();
        let soql = Soql::select(&fields)
            .from(contact::OBJECT)
            .filter(input.condition())
            .order_by(contact::LAST_NAME, Order::Asc)
            .order_by(contact::FIRST_NAME, Order::Asc)
            .limit(limit_or(input.limit, DEFAULT_LIMIT));
        let found: Result<Vec<_>, _> = sf::query(ctx, &soql)
            .await?
            .iter()
            .map(ContactRow::from_record)
            .collect();
        Ok(found?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_text_is_a_escaped_contains_on_name_and_emails() {
        let input: SearchContactsInput =
            serde_json::from_value(serde_json::json!({"query": "o'b_", "contact_type": "Guest"})).unwrap();
        assert_eq!(
            input.condition().to_string(),
            "(Email LIKE '%o\\'b\\_%' OR Unique_Email__c LIKE '%o\\'b\\_%' OR Name LIKE '%o\\'b\\_%') \
             AND Contact_Type__c = 'Guest'"
        );
    }
}
