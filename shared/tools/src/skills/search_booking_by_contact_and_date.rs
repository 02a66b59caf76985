//! `search_booking_by_contact_and_date`: a guest's bookings arriving on a date, for the front desk
//! (the original's "search own bookings"; a guest's own orchestrators find their bookings from the
//! token instead).

use super::views::booking::{self, BookingSummary};
use chrono::{Days, NaiveDate};
use dewy_domain::ToolError;
use dewy_domain::input::{IsoDate, RecordId};
use dewy_domain::objects::booking::{BookingStatus, CHECK_IN_DATE, PRIMARY_GUEST, STATUS};
use dewy_salesforce::soql::Cond;
use dewy_tool::{Context, Effect, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// More than a guest has on one day, few enough to stay one page.
const MAX_BOOKINGS: u32 = 50;

/// Input of `search_booking_by_contact_and_date`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchBookingByContactInput {
    /// The guest's Contact id (search_contact_by_email returns it).
    pub contact_id: RecordId,
    /// The exact arrival date.
    pub check_in_date: IsoDate,
    #[serde(default = "reserved")]
    pub status: BookingStatus,
}

fn reserved() -> BookingStatus {
    BookingStatus::Reserved
}

/// Output of `search_booking_by_contact_and_date`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SearchBookingByContactOutput {
    /// Whether any booking matched.
    pub found: bool,
    /// How many bookings matched.
    pub count: usize,
    /// The bookings, in booking-number order.
    pub bookings: Vec<BookingSummary>,
}

/// The `search_booking_by_contact_and_date` tool.
pub struct SearchBookingByContactAndDate;

impl Tool for SearchBookingByContactAndDate {
    type Input = SearchBookingByContactInput;
    type Output = SearchBookingByContactOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "search_booking_by_contact_and_date",
        personas: crate::personas::FRONT_DESK,
        deployment: crate::deployment::SKILL,
        description: "List a guest's bookings in a status arriving on a date, with their rooms. To check a \
            guest in, call check_in_guest instead.",
        effect: Effect::ReadOnly,
        open_world: false,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, today: NaiveDate) -> Sample {
        Sample::staff(
            "staff1@hotel.com",
            json!({
                "contact_id": "003Dn0001kCiS0bIAF",
                "check_in_date": today + Days::new(180),
                "status": "Reserved",
            }),
        )
    }

    async fn call(
        &self,
        ctx: &Context,
        input: SearchBookingByContactInput,
    ) -> Result<SearchBookingByContactOutput, ToolError> {
        let filter = Cond::eq(PRIMARY_GUEST, input.contact_id.as_str())
            .and(Cond::eq(CHECK_IN_DATE, input.check_in_date.date()))
            .and(Cond::eq(STATUS, input.status.to_string()));
        let bookings = booking::find(ctx, filter, MAX_BOOKINGS).await?;
        Ok(SearchBookingByContactOutput {
            found: !bookings.is_empty(),
            count: bookings.len(),
            bookings,
        })
    }
}
