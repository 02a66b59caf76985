//! `check_in_guest`: checks a guest into their reserved room in one call.
//!
//! Two Salesforce round trips on the critical path (DESIGN.md, performance plan):
//! 1. **read**, in parallel: the guest's Contact, and the guest's bookings for the date with their
//!    room and opportunity through relationship fields (one SOQL query);
//! 2. **write**: one Composite `allOrNone` request moving booking, room and opportunity together,
//!    so either all three change or none does.
//!
//! Repeating a completed check-in returns the same result with `already_checked_in: true`
//! (decision 3), so an agent may safely retry.

use crate::record::Record;
use chrono::{DateTime, NaiveDate, Utc};
use dewy_domain::input::{BookingNumber, Email, IsoDate};
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::contact;
use dewy_domain::objects::opportunity::{self, OpportunityStage};
use dewy_domain::objects::room::{self, RoomStatus};
use dewy_domain::state::transition;
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::CompositeRequest;
use dewy_salesforce::soql::{Cond, Order, Soql};
use dewy_tool::backend_error;
use dewy_tool::{Annotations, Context, GuestScope, Persona, Tool, ToolSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The payment reference recorded at check-in when none is given.
pub const PENDING_PAYMENT: &str = "PENDING_CHECKIN";

/// Input of `check_in_guest`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    /// The guest's email, as on their Salesforce Contact.
    pub guest_email: Email,
    /// The arrival date of the reservation (YYYY-MM-DD). Defaults to today.
    #[serde(default)]
    pub check_in_date: Option<IsoDate>,
    /// The booking to check in (e.g. BK-0042), when the guest has several reservations that day.
    #[serde(default)]
    pub booking_number: Option<BookingNumber>,
    /// A payment reference to record on the opportunity. Defaults to PENDING_CHECKIN.
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
}

/// The `check_in_guest` tool.
pub struct CheckInGuest;

impl Tool for CheckInGuest {
    type Input = CheckInInput;
    type Output = CheckInOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "check_in_guest",
        description: "Check a guest into their reserved room: validates the guest, the reservation for the date \
            and that the room is vacant, then marks the booking Checked In, the room Occupied by the guest and \
            the opportunity Checked In, all at once. Safe to retry: a repeat returns the same result with \
            already_checked_in=true.",
        personas: &[Persona::Guest, Persona::Staff],
        annotations: Annotations {
            read_only: false,
            destructive: false,
            idempotent: true,
            open_world: false,
        },
        guest_scope: Some(GuestScope {
            email_field: "guest_email",
        }),
    };

    async fn call(&self, ctx: &Context, input: CheckInInput) -> Result<CheckInOutput, ToolError> {
        let payment_id = parse_payment_id(input.payment_id.as_deref())?;
        let date = input.check_in_date.map_or_else(|| ctx.today(), IsoDate::date);
        let email = &input.guest_email;

        // Round trip 1: both reads at once.
        let (guest, bookings) = tokio::try_join!(
            find_guest(ctx, email),
            find_bookings(ctx, email, date, input.booking_number.as_ref())
        )?;
        let guest = guest.ok_or_else(|| guest_not_found(email))?;
        let stay = Stay::choose(&bookings, email, date, input.booking_number.as_ref())?;

        if stay.status == BookingStatus::CheckedIn {
            return stay.output(
                &guest,
                email,
                stay.checked_in_at.unwrap_or_else(|| ctx.now()),
                true,
            );
        }
        stay.check_can_check_in()?;

        // Round trip 2: the three updates, all or none.
        let now = ctx.now();
        let guest_id = guest.id()?;
        let mut write = CompositeRequest::new(true);
        write = write.update(
            "booking",
            booking::OBJECT,
            &stay.booking_id,
            &json!({
                booking::STATUS: BookingStatus::CheckedIn,
                booking::CHECK_OUT_DATE: stay.check_out_date,
                booking::CHECKED_IN_AT: now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            }),
        );
        write = write.update(
            "room",
            room::OBJECT,
            &stay.room_id,
            &json!({ room::STATUS: RoomStatus::Occupied, room::CURRENT_GUEST: guest_id }),
        );
        let mut opportunity_update =
            json!({ opportunity::STAGE: OpportunityStage::CheckedIn, opportunity::PAYMENT_ID: payment_id });
        if let Some(close) = stay.check_out_date {
            opportunity_update[opportunity::CLOSE_DATE] = json!(close);
        }
        write = write.update(
            "opportunity",
            opportunity::OBJECT,
            &stay.opportunity_id,
            &opportunity_update,
        );
        ctx.salesforce()
            .composite(&write)
            .await
            .map_err(backend_error::salesforce)?;

        stay.output(&guest, email, now, false)
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

async fn find_guest(ctx: &Context, email: &Email) -> Result<Option<Record>, ToolError> {
    let query = Soql::select(&["Id", contact::FIRST_NAME, contact::LAST_NAME, contact::EMAIL])
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
/// with room and opportunity, in one relationship query.
async fn find_bookings(
    ctx: &Context,
    email: &Email,
    date: NaiveDate,
    booking_number: Option<&BookingNumber>,
) -> Result<Vec<Record>, ToolError> {
    const FIELDS: &[&str] = &[
        "Id",
        booking::NAME,
        booking::STATUS,
        booking::CHECK_IN_DATE,
        booking::CHECK_OUT_DATE,
        booking::TOTAL_NIGHTS,
        booking::CHECKED_IN_AT,
        booking::OPPORTUNITY,
        "Opportunity__r.StageName",
        booking::ROOM,
        "Room__r.Room_Number__c",
        "Room__r.Status__c",
        "Room__r.Room_Type__c",
        "Room__r.Floor__c",
        "Room__r.Current_Guest__c",
    ];
    let mut filter = Cond::eq("Primary_Guest__r.Unique_Email__c", email.as_str())
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
    // Enough rows to list every conflicting reservation in an error, few enough to stay one page.
    let query = Soql::select(FIELDS)
        .from(booking::OBJECT)
        .filter(filter)
        .order_by(booking::NAME, Order::Asc)
        .limit(50);
    ctx.salesforce()
        .query(&query)
        .await
        .map_err(backend_error::salesforce)
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

/// The booking chosen for check-in, with what the read returned about its room and opportunity.
#[derive(Clone)]
struct Stay {
    booking_id: String,
    booking_number: String,
    status: BookingStatus,
    check_in_date: NaiveDate,
    check_out_date: Option<NaiveDate>,
    total_nights: Option<i64>,
    checked_in_at: Option<DateTime<Utc>>,
    room_id: String,
    room_number: String,
    room_status: RoomStatus,
    room_type: Option<String>,
    floor: Option<i64>,
    opportunity_id: String,
    opportunity_stage: OpportunityStage,
}

impl Stay {
    /// Picks the booking to act on: the one Reserved booking, or, when none is left, the one this
    /// guest already checked in (a repeat). Several candidates are a conflict the caller resolves by
    /// passing `booking_number`.
    fn choose(
        bookings: &[Record],
        email: &Email,
        date: NaiveDate,
        booking_number: Option<&BookingNumber>,
    ) -> Result<Stay, ToolError> {
        let stays = bookings
            .iter()
            .map(Stay::from_record)
            .collect::<Result<Vec<_>, _>>()?;
        let reserved: Vec<&Stay> = stays
            .iter()
            .filter(|s| s.status == BookingStatus::Reserved)
            .collect();
        let candidates = if reserved.is_empty() {
            stays
                .iter()
                .filter(|s| s.status == BookingStatus::CheckedIn)
                .collect()
        } else {
            reserved
        };
        match candidates.as_slice() {
            [] => Err(reservation_not_found(email, date, booking_number)),
            [one] => Ok((*one).clone()),
            many => Err(ToolError::new(
                ErrorCode::MultipleReservations,
                format!(
                    "Guest {email} has {} reservations arriving on {date}. Pass booking_number to choose one.",
                    many.len()
                ),
            )
            .with_details(json!({
                "bookings": many.iter().map(|s| json!({
                    "booking_number": s.booking_number,
                    "room_number": s.room_number,
                    "check_in_date": s.check_in_date,
                    "check_out_date": s.check_out_date,
                    "status": s.status,
                })).collect::<Vec<_>>()
            }))),
        }
    }

    fn from_record(record: &Record) -> Result<Stay, ToolError> {
        let number = record.required_text(booking::NAME)?.to_owned();
        let (Some(room_id), Some(room)) = (record.text(booking::ROOM)?, record.related(booking::ROOM_REL)?)
        else {
            return Err(ToolError::new(
                ErrorCode::RoomNotFound,
                format!("Booking {number} has no room assigned. Assign a room before check-in."),
            ));
        };
        let opportunity = record.related(booking::OPPORTUNITY_REL)?;
        Ok(Stay {
            booking_id: record.id()?.to_owned(),
            status: record.picklist(booking::STATUS)?,
            check_in_date: record.date(booking::CHECK_IN_DATE)?.unwrap_or_default(),
            check_out_date: record.date(booking::CHECK_OUT_DATE)?,
            total_nights: record.integer(booking::TOTAL_NIGHTS)?,
            checked_in_at: record.date_time(booking::CHECKED_IN_AT)?,
            room_id: room_id.to_owned(),
            room_number: room.required_text(room::ROOM_NUMBER)?.to_owned(),
            room_status: room.picklist(room::STATUS)?,
            room_type: room.text(room::ROOM_TYPE)?.map(str::to_owned),
            floor: room.integer(room::FLOOR)?,
            opportunity_id: record.required_text(booking::OPPORTUNITY)?.to_owned(),
            opportunity_stage: match &opportunity {
                Some(opportunity) => opportunity.picklist(opportunity::STAGE)?,
                None => OpportunityStage::BookingConfirmed,
            },
            booking_number: number,
        })
    }

    /// Every prerequisite of the three writes, checked before any is sent.
    fn check_can_check_in(&self) -> Result<(), ToolError> {
        if self.room_status != RoomStatus::Vacant {
            return Err(ToolError::new(
                ErrorCode::RoomNotVacant,
                format!(
                    "Room {} is not available for check-in (current status: {})",
                    self.room_number, self.room_status
                ),
            )
            .with_details(json!({ "room_number": self.room_number, "room_status": self.room_status })));
        }
        transition(self.status, BookingStatus::CheckedIn)?;
        transition(self.room_status, RoomStatus::Occupied)?;
        transition(self.opportunity_stage, OpportunityStage::CheckedIn)?;
        Ok(())
    }

    fn output(
        &self,
        guest: &Record,
        email: &Email,
        checked_in_at: DateTime<Utc>,
        repeat: bool,
    ) -> Result<CheckInOutput, ToolError> {
        let first = guest.text(contact::FIRST_NAME)?.unwrap_or_default();
        let last = guest.text(contact::LAST_NAME)?.unwrap_or_default();
        Ok(CheckInOutput {
            success: true,
            booking_number: self.booking_number.clone(),
            room_number: self.room_number.clone(),
            room_type: self.room_type.clone(),
            floor: self.floor,
            check_in_date: self.check_in_date.into(),
            check_out_date: self.check_out_date.map(IsoDate::from),
            total_nights: self.total_nights,
            guest_name: format!("{first} {last}").trim().to_owned(),
            guest_email: email.to_string(),
            checked_in_at,
            already_checked_in: repeat,
        })
    }
}

fn reservation_not_found(
    email: &Email,
    date: NaiveDate,
    booking_number: Option<&BookingNumber>,
) -> ToolError {
    let which = booking_number.map_or(String::new(), |n| format!(" with booking number {n}"));
    ToolError::new(
        ErrorCode::ReservationNotFound,
        format!("No reservation{which} arriving on {date} was found for guest {email}. Check the date and booking number."),
    )
    .with_details(json!({ "guest_email": email, "check_in_date": date, "booking_number": booking_number }))
}
