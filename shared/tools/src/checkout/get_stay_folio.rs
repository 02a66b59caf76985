//! `get_stay_folio`: a stay's bill, computed from Salesforce (see `folio`), in one read: what
//! `process_guest_checkout` will charge, for an agent or the web app to show before it does.
//!
//! The stay is the guest's current one (Checked In), or the booking named by `booking_number`
//! (any status). Guests see only their own stays (their email comes from their token); staff any.

use super::folio::Folio;
use super::stay::{self, Narrowing};
use crate::searches::GUEST_SEARCH;
use crate::stay::Stay;
use chrono::NaiveDate;
use dewy_domain::input::{BookingNumber, Email, RoomNumber};
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::{ErrorCode, Picklist, ToolError};
use dewy_tool::{Context, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Input of `get_stay_folio`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StayFolioInput {
    /// The guest's email.
    pub guest_email: Email,
    /// A booking in any status; without it, the guest's checked-in stay.
    #[serde(default)]
    pub booking_number: Option<BookingNumber>,
    /// Which checked-in stay, when the guest has several.
    #[serde(default)]
    pub room_number: Option<RoomNumber>,
}

/// The `get_stay_folio` tool.
pub struct GetStayFolio;

impl Tool for GetStayFolio {
    type Input = StayFolioInput;
    type Output = Folio;

    const SPEC: ToolSpec = ToolSpec {
        name: "get_stay_folio",
        personas: crate::personas::GUEST_FRONT_DESK_AND_MANAGER,
        deployment: crate::deployment::ORCHESTRATOR,
        description: "A stay's bill in US cents: its nights (to today for a stay in progress) times the \
            room's nightly rate. It is exactly what process_guest_checkout charges, so show it to the guest \
            before checking out.",
        ..GUEST_SEARCH
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest("guest1@hotel.com", json!({}))
    }

    async fn call(&self, ctx: &Context, input: StayFolioInput) -> Result<Folio, ToolError> {
        let narrowing = Narrowing {
            booking_number: input.booking_number.as_ref(),
            room_number: input.room_number.as_ref(),
        };
        let statuses: &[BookingStatus] = if input.booking_number.is_some() {
            BookingStatus::ALL
        } else {
            &[BookingStatus::CheckedIn]
        };
        let stays = stay::find(ctx, &input.guest_email, statuses, narrowing).await?;
        let stay = ctx
            .audit()
            .check("stay_found", one_stay(&stays, &input.guest_email, narrowing))?;
        ctx.audit()
            .check_on("bill_computed", &stay.booking_id, Folio::of(stay, ctx.today()))
    }
}

/// The one stay the input names. None is `404 RESERVATION_NOT_FOUND`, the same whether the
/// booking does not exist or is another guest's; several are a 409 listing them.
fn one_stay<'a>(stays: &'a [Stay], email: &Email, narrowing: Narrowing<'_>) -> Result<&'a Stay, ToolError> {
    match stays {
        [one] => Ok(one),
        [] => {
            let which = narrowing
                .booking_number
                .map_or_else(|| "checked-in stay".to_owned(), |n| format!("booking {n}"));
            Err(ToolError::new(
                ErrorCode::ReservationNotFound,
                format!("Guest {email} has no {which} to bill. Check the email and booking number."),
            )
            .with_details(json!({ "guest_email": email, "booking_number": narrowing.booking_number })))
        }
        many => Err(stay::several_checked_in(
            email,
            &many.iter().collect::<Vec<_>>(),
            "one",
        )),
    }
}
