//! `update_booking_status`: moves a booking through its lifecycle (Reserved → Checked In →
//! Checked Out, or Cancelled / No Show), as the domain's state machine allows.

use super::references::Ref;
use super::sf::Body;
use super::views::booking;
use super::{STAFF_OVERWRITE, status_change};
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_domain::input::{IsoDate, RecordId};
use dewy_domain::objects::booking::{BookingStatus, CHECK_OUT_DATE, CHECKED_IN_AT, OBJECT, STATUS};
use dewy_tool::{Context, Effect, KeyFrom, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `update_booking_status`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBookingStatusInput {
    /// The booking's record id.
    pub booking_id: RecordId,
    pub status: BookingStatus,
    /// The check-out date to record, not before check-in: at checkout the day the guest leaves,
    /// otherwise the booking's current one.
    pub checkout_date: IsoDate,
}

/// Output of `update_booking_status`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct UpdateBookingStatusOutput {
    /// The booking's record id.
    pub booking_id: String,
    /// The booking number, e.g. BK-0042.
    pub booking_number: String,
    /// The status now.
    pub status: BookingStatus,
    /// The status before this call.
    pub previous_status: BookingStatus,
    /// The check-out date now.
    pub checkout_date: IsoDate,
    /// `false` when the booking already had this status and date, so nothing was written.
    pub updated: bool,
}

/// The `update_booking_status` tool.
pub struct UpdateBookingStatus;

impl Tool for UpdateBookingStatus {
    type Input = UpdateBookingStatusInput;
    type Output = UpdateBookingStatusOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "update_booking_status",
        personas: crate::personas::FRONT_DESK,
        deployment: crate::deployment::SKILL,
        description: "Set a booking's status and check-out date. Allowed moves: Reserved to Checked In, \
            Cancelled or No Show; Checked In to Checked Out; Checked Out back to Checked In; others are \
            INVALID_STATE_TRANSITION. The same status again is a no-op. Changes only the booking: to check a \
            guest in or out, use check_in_guest or process_guest_checkout. 409 CONCURRENT_UPDATE: another \
            call changed it meanwhile, nothing was written; retry.",
        // One booking, one target state: whoever asks, that is one operation.
        effect: Effect::overwrites(KeyFrom::Fields(&["booking_id", "status", "checkout_date"])),
        ..STAFF_OVERWRITE
    };

    fn sample(&self, today: NaiveDate) -> Sample {
        Sample::manager(
            "manager1@hotel.com",
            json!({
                "booking_id": "a01Dn000454lY1PIAU",
                "status": "Checked Out",
                "checkout_date": today,
            }),
        )
    }

    async fn call(
        &self,
        ctx: &Context,
        input: UpdateBookingStatusInput,
    ) -> Result<UpdateBookingStatusOutput, ToolError> {
        let current = booking::by_id(ctx, input.booking_id.as_str())
            .await?
            .ok_or_else(|| Ref::Booking(&input.booking_id).not_found());
        let current = ctx
            .audit()
            .check_on("booking_found", input.booking_id.as_str(), current)?;
        if let Some(check_in) = current.check_in_date.filter(|d| input.checkout_date < *d) {
            return Err(ToolError::validation(format!(
                "checkout_date ({}) cannot be before the booking's check-in date ({check_in}).",
                input.checkout_date
            ))
            .with_details(json!({ "checkout_date": input.checkout_date, "check_in_date": check_in })));
        }
        let mut body = Body::default()
            .always(STATUS, input.status)
            .always(CHECK_OUT_DATE, input.checkout_date);
        if (current.status, input.status) == (BookingStatus::Reserved, BookingStatus::CheckedIn) {
            // As check_in_guest does, so that a later check_in_guest finds the original time.
            let now = ctx.now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
            body = body.always(CHECKED_IN_AT, now);
        }
        let date_changes = current.check_out_date != Some(input.checkout_date);
        let updated = status_change::apply(
            ctx,
            OBJECT,
            &current.booking_id,
            (current.status, input.status),
            date_changes,
            &body.into_value(),
        )
        .await?;
        Ok(UpdateBookingStatusOutput {
            booking_id: current.booking_id,
            booking_number: current.booking_number,
            status: input.status,
            previous_status: current.status,
            checkout_date: input.checkout_date,
            updated,
        })
    }
}
