//! `search_case_by_token`: a Case by the idempotency token of the request that made it.

use super::STAFF_SEARCH;
use super::views::Found;
use super::views::case::{self, CaseSummary};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::IdempotencyToken;
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `search_case_by_token`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchCaseInput {
    /// The token the case was filed with.
    pub idempotency_token: IdempotencyToken,
}

/// The `search_case_by_token` tool.
pub struct SearchCaseByToken;

impl Tool for SearchCaseByToken {
    type Input = SearchCaseInput;
    type Output = Found<CaseSummary>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_case_by_token",
        personas: crate::personas::HOUSEKEEPING_AND_MAINTENANCE,
        deployment: crate::deployment::SKILL,
        description: "Find a service or maintenance case by the idempotency token it was filed with.",
        ..STAFF_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager1@hotel.com",
            json!({
                "idempotency_token": "3f2b8c1e-7d4a-4e9b-8c2f-1a6d5e4b3c21",
            }),
        )
    }

    async fn call(&self, ctx: &Context, input: SearchCaseInput) -> Result<Found<CaseSummary>, ToolError> {
        Ok(case::find_by_token(ctx, &input.idempotency_token).await?.into())
    }
}
