//! A guest's stay as checkout and its compensation read it: the booking with its room (status and
//! current guest) and its opportunity (stage and payment id), in one relationship query.
//!
//! The stay is found by its status (Checked In for checkout, Checked Out for compensation), never
//! by "a check-in date of today" as the original did, which let a guest check out only on the day
//! they arrived.

use crate::record::Record;
use chrono::NaiveDate;
use dewy_domain::input::{BookingNumber, Email, RoomNumber};
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::opportunity::{self, OpportunityStage};
use dewy_domain::objects::room::{self, RoomStatus};
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::CompositeRequest;
use dewy_salesforce::soql::{Cond, Order, Soql};
use dewy_tool::guard::{guarded, guarded_in_room};
use dewy_tool::{Context, backend_error};
use serde_json::{Value, json};

/// The fields of a stay: the booking's, and its room's and opportunity's through relationships.
const FIELDS: &[&str] = &[
    "Id",
    booking::NAME,
    booking::STATUS,
    booking::CHECK_IN_DATE,
    booking::CHECK_OUT_DATE,
    booking::PRIMARY_GUEST,
    booking::OPPORTUNITY,
    "Opportunity__r.StageName",
    "Opportunity__r.Payment_ID__c",
    booking::ROOM,
    "Room__r.Room_Number__c",
    "Room__r.Status__c",
    "Room__r.Current_Guest__c",
    "Room__r.Nightly_Rate__c",
];

/// Enough rows to list every candidate in a 409, few enough to stay one page.
const MAX_STAYS: u32 = 50;

/// One booking with what checkout and compensation need of its room and opportunity.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Stay {
    pub(super) booking_id: String,
    pub(super) booking_number: String,
    pub(super) status: BookingStatus,
    pub(super) check_in_date: Option<NaiveDate>,
    pub(super) check_out_date: Option<NaiveDate>,
    pub(super) guest_id: Option<String>,
    pub(super) room_id: String,
    pub(super) room_number: String,
    pub(super) room_status: RoomStatus,
    pub(super) room_guest_id: Option<String>,
    /// The room's nightly rate in dollars (`Nightly_Rate__c`), which the bill is computed from.
    pub(super) nightly_rate: Option<f64>,
    pub(super) opportunity_id: String,
    pub(super) opportunity_stage: OpportunityStage,
    pub(super) payment_id: Option<String>,
}

/// What narrows the search for a guest's stays: the inputs that name a stay do narrow it (the
/// original ignored them).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Narrowing<'a> {
    pub(super) booking_number: Option<&'a BookingNumber>,
    pub(super) room_number: Option<&'a RoomNumber>,
}

/// The guest's stays in any of `statuses`, most recent check-out first.
pub(super) async fn find(
    ctx: &Context,
    email: &Email,
    statuses: &[BookingStatus],
    narrowing: Narrowing<'_>,
) -> Result<Vec<Stay>, ToolError> {
    let mut filter = Cond::eq("Primary_Guest__r.Unique_Email__c", email.as_str()).and(Cond::is_in(
        booking::STATUS,
        statuses.iter().map(ToString::to_string),
    ));
    if let Some(number) = narrowing.booking_number {
        filter = filter.and(Cond::eq(booking::NAME, number.as_str()));
    }
    if let Some(number) = narrowing.room_number {
        filter = filter.and(Cond::eq("Room__r.Room_Number__c", number.as_str()));
    }
    let soql = Soql::select(FIELDS)
        .from(booking::OBJECT)
        .filter(filter)
        .order_by(booking::CHECK_OUT_DATE, Order::Desc)
        .order_by(booking::NAME, Order::Desc)
        .limit(MAX_STAYS);
    let rows: Vec<Record> = ctx
        .salesforce()
        .query(&soql)
        .await
        .map_err(backend_error::salesforce)?;
    rows.iter().map(Stay::from_record).collect()
}

impl Stay {
    /// Records the moves of the stay's three records to `booking`, `room` and `opportunity`, once
    /// the write that made them has succeeded (a checkout, or its revert).
    pub(crate) fn audit_moves(
        &self,
        ctx: &Context,
        (booking, room, opportunity): (BookingStatus, RoomStatus, OpportunityStage),
    ) {
        let audit = ctx.audit();
        audit.transition(&self.booking_id, self.status, booking);
        audit.transition(&self.room_id, self.room_status, room);
        audit.transition(&self.opportunity_id, self.opportunity_stage, opportunity);
    }

    fn from_record(record: &Record) -> Result<Stay, ToolError> {
        let number = record.required_text(booking::NAME)?.to_owned();
        let (Some(room_id), Some(room)) = (record.text(booking::ROOM)?, record.related(booking::ROOM_REL)?)
        else {
            return Err(ToolError::new(
                ErrorCode::RoomNotFound,
                format!("Booking {number} has no room assigned, so its stay cannot be settled. Assign its room first."),
            )
            .with_details(json!({ "booking_number": number })));
        };
        // Opportunity__c is master-detail: a booking without one is a record this tool cannot read.
        let opportunity = record.related(booking::OPPORTUNITY_REL)?.unwrap_or_default();
        Ok(Stay {
            booking_id: record.id()?.to_owned(),
            status: record.picklist(booking::STATUS)?,
            check_in_date: record.date(booking::CHECK_IN_DATE)?,
            check_out_date: record.date(booking::CHECK_OUT_DATE)?,
            guest_id: record.text(booking::PRIMARY_GUEST)?.map(str::to_owned),
            room_id: room_id.to_owned(),
            room_number: room.required_text(room::ROOM_NUMBER)?.to_owned(),
            room_status: room.picklist(room::STATUS)?,
            room_guest_id: room.text(room::CURRENT_GUEST)?.map(str::to_owned),
            nightly_rate: room.number(room::NIGHTLY_RATE)?,
            opportunity_id: record.required_text(booking::OPPORTUNITY)?.to_owned(),
            opportunity_stage: opportunity.picklist(opportunity::STAGE)?,
            payment_id: opportunity.text(opportunity::PAYMENT_ID)?.map(str::to_owned),
            booking_number: number,
        })
    }

    /// One `allOrNone` Composite request updating the stay's booking, room and opportunity with these
    /// bodies: either all three change, or none does; and none does unless all three still have
    /// the statuses this stay was read with (the status guards).
    pub(super) fn update_all(
        &self,
        booking_update: &Value,
        room_update: &Value,
        opportunity_update: &Value,
    ) -> CompositeRequest {
        CompositeRequest::new(true)
            .update(
                "booking",
                booking::OBJECT,
                self.booking_id.as_str(),
                &guarded_in_room(booking_update.clone(), self.status, &self.room_id),
            )
            .update(
                "room",
                room::OBJECT,
                self.room_id.as_str(),
                &guarded(room_update.clone(), self.room_status),
            )
            .update(
                "opportunity",
                opportunity::OBJECT,
                self.opportunity_id.as_str(),
                &guarded(opportunity_update.clone(), self.opportunity_stage),
            )
    }

    /// How the stay is listed in an error's details.
    pub(super) fn summary(&self) -> serde_json::Value {
        json!({
            "booking_number": self.booking_number,
            "room_number": self.room_number,
            "status": self.status,
            "check_in_date": self.check_in_date,
            "check_out_date": self.check_out_date,
        })
    }
}

/// The guest's Contact id, or `None` when no contact has the email.
pub(super) async fn find_guest(ctx: &Context, email: &Email) -> Result<Option<String>, ToolError> {
    let contact = crate::skills::views::contact::find_by_email(ctx, email).await?;
    contact.map(|c| c.id().map(str::to_owned)).transpose()
}

/// `409 MULTIPLE_RESERVATIONS` listing the guest's checked-in `stays`, asking to choose `which`.
pub(super) fn several_checked_in(email: &Email, stays: &[&Stay], which: &str) -> ToolError {
    ToolError::new(
        ErrorCode::MultipleReservations,
        format!(
            "Guest {email} has {} checked-in stays. Pass booking_number (or room_number) to choose {which}.",
            stays.len()
        ),
    )
    .with_details(json!({ "bookings": stays.iter().map(|s| s.summary()).collect::<Vec<_>>() }))
}

/// `404 GUEST_NOT_FOUND`, in the original's words for a checkout.
pub(super) fn guest_not_found(email: &Email) -> ToolError {
    ToolError::new(
        ErrorCode::GuestNotFound,
        format!(
            "Guest with email {email} does not exist in Salesforce. Check the email; a guest profile must exist \
             before checkout."
        ),
    )
    .with_details(json!({ "guest_email": email }))
}
