//! A Case as the skills show it. A case is keyed by the idempotency token of the request that
//! made it (`External_ID__c`).

use crate::record::Record;
use crate::skills::sf;
use chrono::{DateTime, Utc};
use dewy_domain::ToolError;
use dewy_domain::input::IdempotencyToken;
use dewy_domain::objects::case::{self, CaseOrigin, CasePriority, CaseStatus, CaseType};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_tool::Context;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) const FIELDS: &[&str] = &[
    "Id",
    case::CASE_NUMBER,
    case::STATUS,
    case::PRIORITY,
    case::TYPE,
    case::ORIGIN,
    case::SUBJECT,
    case::DESCRIPTION,
    case::CONTACT,
    case::ROOM,
    case::EXTERNAL_ID,
    "CreatedDate",
];

/// A service or maintenance request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaseSummary {
    /// The case's record id.
    pub case_id: String,
    /// The case number staff quote, e.g. 00001001.
    pub case_number: String,
    /// New, Working, Escalated or Closed.
    pub status: Option<CaseStatus>,
    /// Low, Medium, High or Urgent.
    pub priority: Option<CasePriority>,
    /// Housekeeping, Maintenance, Facilities, Service Request, Room Service or Concierge.
    #[serde(rename = "type")]
    pub case_type: Option<CaseType>,
    /// Web (from a guest) or Internal (from staff), Phone or Email.
    pub origin: Option<CaseOrigin>,
    /// One-line summary.
    pub subject: Option<String>,
    /// The request in full.
    pub description: Option<String>,
    /// The Contact who asked.
    pub contact_id: Option<String>,
    /// The room concerned.
    pub room_id: Option<String>,
    /// The idempotency token the case was made with.
    pub idempotency_token: Option<String>,
    /// When the case was filed (Salesforce's `CreatedDate`).
    pub created_at: Option<DateTime<Utc>>,
}

impl CaseSummary {
    pub(crate) fn from_record(record: &Record) -> Result<Self, ToolError> {
        let text = |field| Ok::<_, ToolError>(record.text(field)?.map(str::to_owned));
        Ok(CaseSummary {
            case_id: record.id()?.to_owned(),
            case_number: record.required_text(case::CASE_NUMBER)?.to_owned(),
            status: record.optional_picklist(case::STATUS)?,
            priority: record.optional_picklist(case::PRIORITY)?,
            case_type: record.optional_picklist(case::TYPE)?,
            origin: record.optional_picklist(case::ORIGIN)?,
            subject: text(case::SUBJECT)?,
            description: text(case::DESCRIPTION)?,
            contact_id: text(case::CONTACT)?,
            room_id: text(case::ROOM)?,
            idempotency_token: text(case::EXTERNAL_ID)?,
            created_at: record.date_time("CreatedDate")?,
        })
    }
}

/// The case made with `token`.
pub(crate) async fn find_by_token(
    ctx: &Context,
    token: &IdempotencyToken,
) -> Result<Option<CaseSummary>, ToolError> {
    find(ctx, Cond::eq(case::EXTERNAL_ID, token.as_str())).await
}

/// The case with record id `id`.
pub(crate) async fn by_id(ctx: &Context, id: &str) -> Result<Option<CaseSummary>, ToolError> {
    find(ctx, Cond::eq("Id", id)).await
}

async fn find(ctx: &Context, filter: Cond) -> Result<Option<CaseSummary>, ToolError> {
    let soql = Soql::select(FIELDS).from(case::OBJECT).filter(filter);
    sf::first_as(ctx, soql, CaseSummary::from_record).await
}
