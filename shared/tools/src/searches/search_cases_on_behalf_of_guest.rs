//! `search_cases_on_behalf_of_guest`: a guest's own service requests.
//!
//! The case's contact must have the guest's email (matched through `Contact` in the one query),
//! and a guest caller can only name their own email (`GuestScope`), so a guest never sees another
//! guest's case. The original ignored `status_filter`; it is honoured here.

use super::cases::{self, CaseFilter, CaseRow};
use super::inputs::{Limit, limit_or};
use super::{Cases, GUEST_SEARCH};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::Email;
use dewy_domain::objects::case::{CaseStatus, CaseType};
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

const DEFAULT_LIMIT: u32 = 10;

/// Input of `search_cases_on_behalf_of_guest`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestCasesInput {
    /// The guest's email.
    pub guest_email: Email,
    #[serde(default)]
    pub status_filter: Option<CaseStatus>,
    #[serde(default)]
    pub case_type_filter: Option<CaseType>,
    /// Defaults to 10.
    #[serde(default)]
    pub limit: Option<Limit>,
}

/// The `search_cases_on_behalf_of_guest` tool.
pub struct SearchCasesOnBehalfOfGuest;

impl Tool for SearchCasesOnBehalfOfGuest {
    type Input = GuestCasesInput;
    type Output = Cases<CaseRow>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_cases_on_behalf_of_guest",
        personas: crate::personas::GUEST,
        deployment: crate::deployment::ORCHESTRATOR,
        description: "List the guest's own service requests (cases), newest first.",
        ..GUEST_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "guest2@hotel.com",
            json!({
                "guest_email": "guest2@hotel.com",
                "status_filter": "New",
                "case_type_filter": "Housekeeping",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: GuestCasesInput) -> Result<Cases<CaseRow>, ToolError> {
        let filter = CaseFilter {
            contact_email: Some(input.guest_email),
            status: input.status_filter,
            case_type: input.case_type_filter,
            ..CaseFilter::default()
        };
        let found = cases::find(ctx, &filter, limit_or(input.limit, DEFAULT_LIMIT)).await?;
        Ok(found.into())
    }
}
