//! `search_cases_on_behalf_of_staff`: cases by guest, status, priority, type and room, ANDed.
//! No filter lists the newest cases (up to the limit), as the original did.

use super::Cases;
use super::cases::{self, CaseRow, staff_case_input};
use super::inputs::limit_or;
use crate::skills::STAFF_SEARCH;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use serde_json::json;

const DEFAULT_LIMIT: u32 = 50;

staff_case_input!(
    /// Input of `search_cases_on_behalf_of_staff`: any of the filters, or none.
    StaffCasesInput,
    guest_email
);

/// The `search_cases_on_behalf_of_staff` tool.
pub struct SearchCasesOnBehalfOfStaff;

impl Tool for SearchCasesOnBehalfOfStaff {
    type Input = StaffCasesInput;
    type Output = Cases<CaseRow>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_cases_on_behalf_of_staff",
        personas: crate::personas::ROOMS_AND_CASES_STAFF,
        deployment: crate::deployment::ORCHESTRATOR,
        description: "List service and maintenance cases, newest first, matching every filter given (none: \
            the newest cases), with their room number and contact.",
        ..STAFF_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::staff(
            "manager1@hotel.com",
            json!({
                "status": "New",
                "priority": "Medium",
                "room_number": "101",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: StaffCasesInput) -> Result<Cases<CaseRow>, ToolError> {
        let (filter, limit) = input.into_parts();
        let found = cases::find(ctx, &filter, limit_or(limit, DEFAULT_LIMIT)).await?;
        Ok(found.into())
    }
}
