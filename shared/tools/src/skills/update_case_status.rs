//! `update_case_status`: changes a case's status, priority or comments, finding the case by the
//! idempotency token it was filed with (the original compared the wrong field and never found it).

use super::sf::{self, Body};
use super::{STAFF_OVERWRITE, status_change};
use chrono::NaiveDate;
use dewy_domain::input::{IdempotencyToken, Text};
use dewy_domain::objects::case::{
    CASE_NUMBER, COMMENTS, CasePriority, CaseStatus, EXTERNAL_ID, OBJECT, PRIORITY, STATUS,
};
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `update_case_status`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCaseStatusInput {
    /// The token the case was filed with.
    pub idempotency_token: IdempotencyToken,
    #[serde(default)]
    pub status: Option<CaseStatus>,
    #[serde(default)]
    pub priority: Option<CasePriority>,
    /// Internal comments; they replace earlier ones.
    #[serde(default)]
    pub comments: Option<Text<4000>>,
}

/// Output of `update_case_status`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct UpdateCaseStatusOutput {
    /// The case's record id.
    pub case_id: String,
    /// The case number, e.g. 00001001.
    pub case_number: String,
    /// The status now.
    pub status: CaseStatus,
    /// The status before this call.
    pub previous_status: CaseStatus,
    /// The priority now.
    pub priority: Option<CasePriority>,
    /// `false` when the case already had these values, so nothing was written.
    pub updated: bool,
}

/// The `update_case_status` tool.
pub struct UpdateCaseStatus;

impl Tool for UpdateCaseStatus {
    type Input = UpdateCaseStatusInput;
    type Output = UpdateCaseStatusOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "update_case_status",
        personas: crate::personas::HOUSEKEEPING_AND_MAINTENANCE,
        deployment: crate::deployment::SKILL,
        description: "Set a case's status, priority and/or internal comments (at least one), found by the \
            token it was filed with. Status moves: New to Working, Escalated or Closed; Working and \
            Escalated to each other or Closed; Closed back to Working; others are INVALID_STATE_TRANSITION. \
            409 CONCURRENT_UPDATE: another call changed it meanwhile, nothing was written; retry.",
        // The token names the case, not this update: keyed on it alone, a second, different update
        // of the same case (Working, later Closed) would be refused as a reused key. The operation
        // is the case and the values it is given.
        effect: Effect::overwrites(KeyFrom::Fields(&[
            "idempotency_token",
            "status",
            "priority",
            "comments",
        ])),
        ..STAFF_OVERWRITE
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager1@hotel.com",
            json!({
                "idempotency_token": "9a7c4e2d-1b3f-4c8a-9e6d-5f2a1b7c8d34",
                "status": "Closed",
                "comments": "Summit HVAC replaced the compressor; room 107 cools normally again.",
            }),
        )
    }

    async fn call(
        &self,
        ctx: &Context,
        input: UpdateCaseStatusInput,
    ) -> Result<UpdateCaseStatusOutput, ToolError> {
        if input.status.is_none() && input.priority.is_none() && input.comments.is_none() {
            return Err(ToolError::validation(
                "Nothing to update: give at least one of status, priority or comments.",
            ));
        }
        let soql = Soql::select(&["Id", CASE_NUMBER, STATUS, PRIORITY, COMMENTS])
            .from(OBJECT)
            .filter(Cond::eq(EXTERNAL_ID, input.idempotency_token.as_str()));
        let current = sf::first(ctx, soql)
            .await?
            .ok_or_else(|| case_not_found(&input.idempotency_token));
        let current = ctx.audit().check("case_found", current)?;
        let id = current.id()?.to_owned();
        // Salesforce gives every case a status; New is its default should one ever lack it.
        let previous_status = current.optional_picklist(STATUS)?.unwrap_or(CaseStatus::New);
        let status = input.status.unwrap_or(previous_status);
        let current_priority: Option<CasePriority> = current.optional_picklist(PRIORITY)?;
        let current_comments = current.text(COMMENTS)?;
        let other_changes = input.priority.is_some_and(|p| Some(p) != current_priority)
            || input
                .comments
                .as_ref()
                .is_some_and(|c| Some(c.as_str()) != current_comments);
        let body = Body::default()
            .set(STATUS, input.status)
            .set(PRIORITY, input.priority)
            .set(COMMENTS, input.comments.as_ref())
            .into_value();
        let updated =
            status_change::apply(ctx, OBJECT, &id, (previous_status, status), other_changes, &body).await?;
        Ok(UpdateCaseStatusOutput {
            case_id: id,
            case_number: current.required_text(CASE_NUMBER)?.to_owned(),
            status,
            previous_status,
            priority: input.priority.or(current_priority),
            updated,
        })
    }
}

/// `400 CASE_NOT_FOUND`, with the original's message.
fn case_not_found(token: &IdempotencyToken) -> ToolError {
    ToolError::new(
        ErrorCode::CaseNotFound,
        "Case not found for the given idempotency token. Check the token the case was filed with \
         (search_case_by_token), or file a new case with upsert_case.",
    )
    .with_details(json!({ "idempotency_token": token }))
}
