//! `search_booking_by_external_id`: a booking by the external id it was made with.

use super::STAFF_SEARCH;
use super::views::Found;
use super::views::booking::{self, BookingSummary};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::ExternalId;
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `search_booking_by_external_id`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchBookingByExternalIdInput {
    /// The booking_external_id the booking was made with.
    pub external_id: ExternalId,
}

/// The `search_booking_by_external_id` tool.
pub struct SearchBookingByExternalId;

impl Tool for SearchBookingByExternalId {
    type Input = SearchBookingByExternalIdInput;
    type Output = Found<BookingSummary>;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_booking_by_external_id",
        personas: crate::personas::FRONT_DESK,
        deployment: crate::deployment::SKILL,
        description: "Find a booking, with its guest and room, by the external id it was made with.",
        ..STAFF_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::manager(
            "manager1@hotel.com",
            json!({
                "external_id": "seed-booking-sofia-1",
            }),
        )
    }

    async fn call(
        &self,
        ctx: &Context,
        input: SearchBookingByExternalIdInput,
    ) -> Result<Found<BookingSummary>, ToolError> {
        Ok(booking::by_external_id(ctx, &input.external_id).await?.into())
    }
}
