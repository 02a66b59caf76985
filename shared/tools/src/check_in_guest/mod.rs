//! `check_in_guest`: checks a guest into their reserved room in one call.
//!
//! Two Salesforce round trips on the critical path (docs/architecture.md#round-trips-check-in):
//! 1. **read**, in parallel: the guest's Contact, and the guest's bookings for the date with their
//!    room and opportunity through relationship fields (one SOQL query);
//! 2. **write**: one Composite `allOrNone` request moving booking, room and opportunity together,
//!    so either all three change or none does.
//!
//! Repeating a completed check-in returns the same result with `already_checked_in: true`
//! (the original answered 404), so an agent may safely retry.
//!
//! A guest who prefers SMS is then texted a welcome: queued only once the write has succeeded,
//! never on a repeat, never failing or delaying the check-in: the notifier sends it after the
//! check-in has answered (see [`crate::notify`]). The contact's phone and preference come with the
//! Contact read, so this adds no Salesforce trip.

mod reservation;

use crate::notify::{self, Notification};
use crate::record::Record;
use crate::stay::{self, Stay};
use chrono::{DateTime, NaiveDate, Utc};
use dewy_domain::Picklist;
use dewy_domain::input::{BookingNumber, Email, IsoDate};
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::contact::{self, ContactMethod};
use dewy_domain::objects::opportunity::{self, OpportunityStage};
use dewy_domain::objects::room::{self, RoomStatus};
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::CompositeRequest;
use dewy_salesforce::soql::{Cond, Order, Soql};
use dewy_tool::backend_error;
use dewy_tool::{Context, Effect, GuestScope, KeyFrom, Sample, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The payment reference recorded at check-in when none is given.
pub const PENDING_PAYMENT: &str = "PENDING_CHECKIN";

/// Input of `check_in_guest`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    /// The guest's email.
    pub guest_email: Email,
    /// The reservation's arrival date. Defaults to today.
    #[serde(default)]
    pub check_in_date: Option<IsoDate>,
    /// Which booking, when the guest has several arriving that day.
    #[serde(default)]
    pub booking_number: Option<BookingNumber>,
    /// A payment reference for the opportunity. Defaults to PENDING_CHECKIN.
    #[serde(default)]
    #[schemars(length(min = 1, max = 255))]
    pub payment_id: Option<String>,
}

/// Output of `check_in_guest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckInOutput {
    /// Always `true`.
    pub success: bool,
    /// The booking checked in, e.g. BK-0042.
    pub booking_number: String,
    /// The room's number (Room_Number__c), e.g. 105.
    pub room_number: String,
    /// Standard, Deluxe, Suite or Penthouse.
    pub room_type: Option<String>,
    /// The room's floor.
    pub floor: Option<i64>,
    /// Arrival date.
    pub check_in_date: IsoDate,
    /// Departure date.
    pub check_out_date: Option<IsoDate>,
    /// Nights booked.
    pub total_nights: Option<i64>,
    /// The guest's full name.
    pub guest_name: String,
    /// The guest's email.
    pub guest_email: String,
    /// When the guest was checked in (the original time on a repeat).
    pub checked_in_at: DateTime<Utc>,
    /// `true` when this call found the guest already checked in and changed nothing.
    pub already_checked_in: bool,
    /// The welcome text to a guest who prefers SMS: queued, skipped (another channel preferred, no
    /// number, or a repeat), rejected, failed or unknown. The check-in stands whatever it says.
    pub notification: Notification,
}

/// The `check_in_guest` tool.
pub struct CheckInGuest;

impl Tool for CheckInGuest {
    type Input = CheckInInput;
    type Output = CheckInOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "check_in_guest",
        personas: crate::personas::GUEST_AND_FRONT_DESK,
        deployment: crate::deployment::ORCHESTRATOR.texting(),
        description: "Check a guest into their reserved room, which must be vacant: the booking becomes \
            Checked In, the room Occupied and the opportunity Checked In, all or nothing. Safe to retry \
            (already_checked_in=true).",
        // One guest, one arrival date, one booking: whoever asks, that is one check-in.
        effect: Effect::adds(KeyFrom::Fields(&[
            "guest_email",
            "check_in_date",
            "booking_number",
        ])),
        // It texts SMS-preferring guests a welcome (through the outbox and Twilio).
        open_world: true,
        alias_of: None,
        guest_scope: Some(GuestScope {
            email_field: "guest_email",
        }),
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "kay@example.com",
            json!({
                "guest_email": "kay@example.com",
            }),
        )
    }

    fn resolve_defaults(&self, ctx: &Context, mut input: CheckInInput) -> CheckInInput {
        input
            .check_in_date
            .get_or_insert_with(|| IsoDate::from(ctx.today()));
        input
    }

    async fn call(&self, ctx: &Context, input: CheckInInput) -> Result<CheckInOutput, ToolError> {
        let payment_id = parse_payment_id(input.payment_id.as_deref())?;
        let date = input.check_in_date.map_or_else(|| ctx.today(), IsoDate::date);
        let email = &input.guest_email;

        // Round trip 1: both reads at once.
        let (guest, bookings) = tokio::try_join!(
            find_guest(ctx, email),
            find_bookings(ctx, email, date, input.booking_number.as_ref())
        )?;
        let audit = ctx.audit();
        let guest = audit.check("guest_found", guest.ok_or_else(|| guest_not_found(email)))?;
        let stay = Stay::choose(&bookings, email, date, input.booking_number.as_ref());
        let stay = audit.check("one_reservation", stay)?;

        if stay.status == BookingStatus::CheckedIn {
            // The guest was welcomed (or not) when first checked in: never text twice.
            let notification = Notification::skipped("Already checked in: no second welcome text.");
            return stay.output(
                &guest,
                email,
                stay.checked_in_at.unwrap_or_else(|| ctx.now()),
                true,
                notification,
            );
        }
        audit.check_on("room_vacant", &stay.room_id, stay.check_room_vacant())?;
        audit.check_on("transition_allowed", &stay.booking_id, stay.check_transitions())?;

        // Round trip 2: the three updates, all or none.
        let now = ctx.now();
        let write = check_in_writes(&stay, guest.id()?, &payment_id, now);
        ctx.salesforce()
            .composite(&write)
            .await
            .map_err(backend_error::salesforce)?;
        stay.audit_check_in(ctx);

        // Only now that the check-in is written: a welcome must never announce what did not happen.
        let notification = welcome(ctx, &guest, &stay).await;
        stay.output(&guest, email, now, false, notification)
    }
}

fn parse_payment_id(given: Option<&str>) -> Result<String, ToolError> {
    match given.map(str::trim) {
        None => Ok(PENDING_PAYMENT.to_owned()),
        Some(id) if !id.is_empty() && id.len() <= 255 && !id.chars().any(char::is_control) => {
            Ok(id.to_owned())
        }
        Some(_) => Err(ToolError::validation(
            "payment_id must be 1 to 255 characters without control characters.",
        )),
    }
}

/// The three updates of a check-in as one `allOrNone` Composite request: either booking, room and
/// opportunity all change, or none does.
fn check_in_writes(stay: &Stay, guest_id: &str, payment_id: &str, now: DateTime<Utc>) -> CompositeRequest {
    let mut opportunity_update = json!({
        opportunity::STAGE: OpportunityStage::CheckedIn,
        opportunity::PAYMENT_ID: payment_id,
    });
    if let Some(check_out) = stay.check_out_date {
        opportunity_update[opportunity::CLOSE_DATE] = json!(check_out);
    }
    let booking_update = json!({
        booking::STATUS: BookingStatus::CheckedIn,
        booking::CHECK_OUT_DATE: stay.check_out_date,
        booking::CHECKED_IN_AT: now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    });
    let room_update = json!({ room::STATUS: RoomStatus::Occupied, room::CURRENT_GUEST: guest_id });
    // Each record is written only if it still has the status the checks passed on (and the booking
    // its room: the room occupied is the one it was read in).
    stay.update_all(booking_update, room_update, opportunity_update)
}

/// Texts the guest a welcome if they prefer SMS and have a number (mobile first). The text holds
/// only their first name, room and booking number. Infallible: the check-in is already written, so
/// a contact field in an odd shape only means no text.
async fn welcome(ctx: &Context, guest: &Record, stay: &Stay) -> Notification {
    let text = |field| {
        guest
            .text(field)
            .ok()
            .flatten()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    };
    let method = text(contact::PREFERRED_CONTACT_METHOD);
    if method != Some(ContactMethod::Sms.api_value()) {
        return Notification::skipped(format!(
            "The guest prefers {}, not SMS.",
            method.unwrap_or("no channel")
        ));
    }
    let Some(phone) = text(contact::MOBILE_PHONE).or_else(|| text(contact::PHONE)) else {
        return Notification::skipped("The guest has no mobile or phone number.");
    };
    let greeting =
        text(contact::FIRST_NAME).map_or("Welcome!".to_owned(), |first| format!("Welcome, {first}!"));
    let body = format!(
        "{greeting} You're checked in to room {} (booking {}). Enjoy your stay at Dewy Resort.",
        stay.room_number, stay.booking_number
    );
    notify::text(ctx, phone, &body).await
}

async fn find_guest(ctx: &Context, email: &Email) -> Result<Option<Record>, ToolError> {
    let query = Soql::select(&[
        "Id",
        contact::FIRST_NAME,
        contact::LAST_NAME,
        contact::EMAIL,
        contact::PREFERRED_CONTACT_METHOD,
        contact::MOBILE_PHONE,
        contact::PHONE,
    ])
    .from(contact::OBJECT)
    .filter(Cond::eq(contact::UNIQUE_EMAIL, email.as_str()))
    .limit(1);
    let mut rows: Vec<Record> = ctx
        .salesforce()
        .query(&query)
        .await
        .map_err(backend_error::salesforce)?;
    Ok(rows.pop())
}

/// The guest's bookings arriving on `date` that are Reserved (to check in) or Checked In (a repeat),
/// with room and opportunity, in one relationship query. Read into stays only once the guest is
/// found (see [`Stay::choose`]).
async fn find_bookings(
    ctx: &Context,
    email: &Email,
    date: NaiveDate,
    booking_number: Option<&BookingNumber>,
) -> Result<Vec<Record>, ToolError> {
    let mut filter = stay::of_guest(email)
        .and(Cond::eq(booking::CHECK_IN_DATE, date))
        .and(Cond::is_in(
            booking::STATUS,
            [
                BookingStatus::Reserved.to_string(),
                BookingStatus::CheckedIn.to_string(),
            ],
        ));
    if let Some(number) = booking_number {
        filter = filter.and(Cond::eq(booking::NAME, number.as_str()));
    }
    stay::query(ctx, filter, &[(booking::NAME, Order::Asc)]).await
}

fn guest_not_found(email: &Email) -> ToolError {
    ToolError::new(
        ErrorCode::GuestNotFound,
        format!(
            "Guest with email {email} does not exist in Salesforce. Guest profile must exist before check-in."
        ),
    )
    .with_details(json!({ "guest_email": email }))
}
