//! `search_cases`: the web app's case search (`POST /api/search-cases`). The staff orchestrator's
//! query and input, with the contact's email named `contact_email`, and it requires at least one
//! filter.

use super::cases::{self, CaseRow, staff_case_input};
use super::inputs::limit_or;
use super::{Cases, require_a_filter};
use crate::skills::STAFF_SEARCH;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use serde_json::json;

const DEFAULT_LIMIT: u32 = 50;

staff_case_input!(
    /// Input of `search_cases`: at least one of the filters.
    SearchCasesInput,
    contact_email
);

/// The `search_cases` tool.
pub struct SearchCases;

impl Tool for SearchCases {
    type Input = SearchCasesInput;
    type Output = Cases<CaseRow>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_cases",
        personas: crate::personas::HOUSEKEEPING_AND_MAINTENANCE,
        deployment: crate::deployment::SKILL,
        description: "The web app's case search: cases matching every filter given (at least one), newest \
            first, with their room number and contact. search_cases_on_behalf_of_staff also lists without a \
            filter.",
        ..STAFF_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::maintenance(
            "maintenance1@hotel.com",
            json!({
                "type": "Maintenance",
                "room_number": "107",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: SearchCasesInput) -> Result<Cases<CaseRow>, ToolError> {
        let (filter, limit) = input.into_parts();
        require_a_filter(
            filter.is_empty(),
            "status, priority, type, room_number or contact_email",
        )?;
        let found = cases::find(ctx, &filter, limit_or(limit, DEFAULT_LIMIT)).await?;
        Ok(found.into())
    }
}
