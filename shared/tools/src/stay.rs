//! A guest's stay: one booking with its room and its opportunity, read through relationship fields
//! in one query. Check-in, checkout and checkout's compensation all act on a stay, so they read it
//! the same way, with one field list and one reading of the record.
//!
//! What a tool does with a stay stays with the tool, in an `impl Stay` block of its own module:
//! check-in chooses the reservation to check in and checks its room is free
//! (`check_in_guest::stay`); checkout finds the guest's stays by status, narrowed by the inputs
//! that name one, and writes and audits their three records (`checkout::stay`), and its bill is
//! computed from a stay (`checkout::folio`).
//!
//! A stay is no tool's answer (check-in and checkout answer with outputs of their own), so it is
//! not the skills' `BookingSummary`: it carries what acting on a stay needs, the opportunity's
//! stage and payment and what the room costs.

use crate::record::Record;
use chrono::{DateTime, NaiveDate, Utc};
use dewy_domain::ToolError;
use dewy_domain::input::Email;
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::opportunity::{self, OpportunityStage};
use dewy_domain::objects::room::{self, RoomStatus};
use dewy_salesforce::CompositeRequest;
use dewy_salesforce::soql::{Cond, Order, Soql};
use dewy_tool::guard::{guarded, guarded_in_room};
use dewy_tool::{Context, backend_error};
use serde_json::{Value, json};

/// The fields of a stay: the booking's, and its room's and opportunity's through relationships.
/// Every tool reads them all, so a stay read by one is the same stay read by another.
const FIELDS: &[&str] = &[
    "Id",
    booking::NAME,
    booking::STATUS,
    booking::CHECK_IN_DATE,
    booking::CHECK_OUT_DATE,
    booking::TOTAL_NIGHTS,
    booking::CHECKED_IN_AT,
    booking::PRIMARY_GUEST,
    "Primary_Guest__r.Name",
    booking::OPPORTUNITY,
    "Opportunity__r.StageName",
    "Opportunity__r.Payment_ID__c",
    booking::ROOM,
    "Room__r.Room_Number__c",
    "Room__r.Status__c",
    "Room__r.Room_Type__c",
    "Room__r.Floor__c",
    "Room__r.Current_Guest__c",
    "Room__r.Nightly_Rate__c",
];

/// Enough rows to list every candidate in a 409, few enough to stay one page.
const MAX_STAYS: u32 = 50;

/// One booking with what check-in, checkout and compensation need of its room and opportunity.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stay {
    pub(crate) booking_id: String,
    /// The booking number guests quote, e.g. BK-0042.
    pub(crate) booking_number: String,
    pub(crate) status: BookingStatus,
    pub(crate) check_in_date: Option<NaiveDate>,
    pub(crate) check_out_date: Option<NaiveDate>,
    /// Nights booked (`Total_Nights__c`).
    pub(crate) total_nights: Option<i64>,
    /// When the guest was checked in, once they have been.
    pub(crate) checked_in_at: Option<DateTime<Utc>>,
    /// The booking's guest (`Primary_Guest__c`).
    pub(crate) guest_id: Option<String>,
    /// The booking's guest's full name (`Contact.Name`), which a checkout names the payer by.
    pub(crate) guest_name: Option<String>,
    pub(crate) room_id: String,
    /// The room's number (`Room_Number__c`), the one guests see.
    pub(crate) room_number: String,
    pub(crate) room_status: RoomStatus,
    pub(crate) room_type: Option<String>,
    pub(crate) floor: Option<i64>,
    /// The guest the room is occupied by (`Current_Guest__c`).
    pub(crate) room_guest_id: Option<String>,
    /// The room's nightly rate in dollars (`Nightly_Rate__c`), which the bill is computed from.
    pub(crate) nightly_rate: Option<f64>,
    pub(crate) opportunity_id: String,
    pub(crate) opportunity_stage: OpportunityStage,
    /// The payment recorded on the opportunity (`Payment_ID__c`).
    pub(crate) payment_id: Option<String>,
}

impl Stay {
    /// The stay a record read with the stay's fields holds. A booking without a room has no stay,
    /// and `no_room` says so, given the booking number, in the terms of the tool that met it (what
    /// to do about it differs between a check-in and a checkout).
    pub(crate) fn from_record(
        record: &Record,
        no_room: impl FnOnce(&str) -> ToolError,
    ) -> Result<Stay, ToolError> {
        let number = record.required_text(booking::NAME)?.to_owned();
        let (Some(room_id), Some(room)) = (record.text(booking::ROOM)?, record.related(booking::ROOM_REL)?)
        else {
            return Err(no_room(&number));
        };
        // Opportunity__c is master-detail: a booking without one is a record no tool can read.
        let opportunity = record.related(booking::OPPORTUNITY_REL)?.unwrap_or_default();
        Ok(Stay {
            booking_id: record.id()?.to_owned(),
            status: record.picklist(booking::STATUS)?,
            check_in_date: record.date(booking::CHECK_IN_DATE)?,
            check_out_date: record.date(booking::CHECK_OUT_DATE)?,
            total_nights: record.integer(booking::TOTAL_NIGHTS)?,
            checked_in_at: record.date_time(booking::CHECKED_IN_AT)?,
            guest_id: record.text(booking::PRIMARY_GUEST)?.map(str::to_owned),
            guest_name: match record.related(booking::PRIMARY_GUEST_REL)? {
                Some(guest) => guest.text("Name")?.map(str::to_owned),
                None => None,
            },
            room_id: room_id.to_owned(),
            room_number: room.required_text(room::ROOM_NUMBER)?.to_owned(),
            room_status: room.picklist(room::STATUS)?,
            room_type: room.text(room::ROOM_TYPE)?.map(str::to_owned),
            floor: room.integer(room::FLOOR)?,
            room_guest_id: room.text(room::CURRENT_GUEST)?.map(str::to_owned),
            nightly_rate: room.number(room::NIGHTLY_RATE)?,
            opportunity_id: record.required_text(booking::OPPORTUNITY)?.to_owned(),
            opportunity_stage: opportunity.picklist(opportunity::STAGE)?,
            payment_id: opportunity.text(opportunity::PAYMENT_ID)?.map(str::to_owned),
            booking_number: number,
        })
    }

    /// One `allOrNone` Composite request updating the stay's booking, room and opportunity with
    /// these bodies: either all three change, or none does; and none does unless all three still
    /// have the statuses this stay was read with (the status guards), and the booking is still in
    /// the room it was read in.
    pub(crate) fn update_all(
        &self,
        booking_update: Value,
        room_update: Value,
        opportunity_update: Value,
    ) -> CompositeRequest {
        CompositeRequest::new(true)
            .update(
                "booking",
                booking::OBJECT,
                self.booking_id.as_str(),
                &guarded_in_room(booking_update, self.status, &self.room_id),
            )
            .update(
                "room",
                room::OBJECT,
                self.room_id.as_str(),
                &guarded(room_update, self.room_status),
            )
            .update(
                "opportunity",
                opportunity::OBJECT,
                self.opportunity_id.as_str(),
                &guarded(opportunity_update, self.opportunity_stage),
            )
    }

    /// Records the moves of the stay's three records to `booking`, `room` and `opportunity`, once
    /// the write that made them has succeeded (a check-in, a checkout, or its revert).
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

    /// How the stay is listed in an error's details (several candidates to choose from).
    pub(crate) fn summary(&self) -> Value {
        json!({
            "booking_number": self.booking_number,
            "room_number": self.room_number,
            "status": self.status,
            "check_in_date": self.check_in_date,
            "check_out_date": self.check_out_date,
        })
    }
}

/// Bookings whose guest has `email`: where every search for a guest's stays starts.
pub(crate) fn of_guest(email: &Email) -> Cond {
    Cond::eq("Primary_Guest__r.Unique_Email__c", email.as_str())
}

/// The bookings matching `filter`, sorted by `order`, as records holding the stay's fields: one
/// query, at most [`MAX_STAYS`] rows. Each tool reads them into stays when its own checks say.
pub(crate) async fn query(
    ctx: &Context,
    filter: Cond,
    order: &[(&'static str, Order)],
) -> Result<Vec<Record>, ToolError> {
    let soql = order
        .iter()
        .fold(
            Soql::select(FIELDS).from(booking::OBJECT).filter(filter),
            |soql, &(field, direction)| soql.order_by(field, direction),
        )
        .limit(MAX_STAYS);
    ctx.salesforce()
        .query(&soql)
        .await
        .map_err(backend_error::salesforce)
}
