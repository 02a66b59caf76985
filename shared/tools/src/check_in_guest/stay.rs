//! The booking a check-in acts on, chosen from what the read returned, and the checks made on it
//! before anything is written.

use super::CheckInOutput;
use crate::notify::Notification;
use crate::record::Record;
use chrono::{DateTime, NaiveDate, Utc};
use dewy_domain::input::{BookingNumber, Email, IsoDate};
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::contact;
use dewy_domain::objects::opportunity::{self, OpportunityStage};
use dewy_domain::objects::room::{self, RoomStatus};
use dewy_domain::state::transition;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::Context;
use serde_json::json;

/// The booking chosen for check-in, with what the read returned about its room and opportunity.
#[derive(Clone)]
pub(super) struct Stay {
    pub(super) booking_id: String,
    pub(super) booking_number: String,
    pub(super) status: BookingStatus,
    pub(super) check_in_date: NaiveDate,
    pub(super) check_out_date: Option<NaiveDate>,
    pub(super) total_nights: Option<i64>,
    pub(super) checked_in_at: Option<DateTime<Utc>>,
    pub(super) room_id: String,
    pub(super) room_number: String,
    pub(super) room_status: RoomStatus,
    pub(super) room_type: Option<String>,
    pub(super) floor: Option<i64>,
    pub(super) opportunity_id: String,
    pub(super) opportunity_stage: OpportunityStage,
}

impl Stay {
    /// Picks the booking to act on: the one Reserved booking, or, when none is left, the one this
    /// guest already checked in (a repeat). Several candidates are a conflict the caller resolves by
    /// passing `booking_number`.
    pub(super) fn choose(
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

    /// The room is free to move into (a prerequisite of the three writes, checked before any is
    /// sent).
    pub(super) fn check_room_vacant(&self) -> Result<(), ToolError> {
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
        Ok(())
    }

    /// The three status changes are ones the state machines allow.
    pub(super) fn check_transitions(&self) -> Result<(), ToolError> {
        transition(self.status, BookingStatus::CheckedIn)?;
        transition(self.room_status, RoomStatus::Occupied)?;
        transition(self.opportunity_stage, OpportunityStage::CheckedIn)?;
        Ok(())
    }

    /// Records the three transitions of a check-in, once its write has succeeded.
    pub(super) fn audit_check_in(&self, ctx: &Context) {
        let audit = ctx.audit();
        audit.transition(&self.booking_id, self.status, BookingStatus::CheckedIn);
        audit.transition(&self.room_id, self.room_status, RoomStatus::Occupied);
        audit.transition(
            &self.opportunity_id,
            self.opportunity_stage,
            OpportunityStage::CheckedIn,
        );
    }

    pub(super) fn output(
        &self,
        guest: &Record,
        email: &Email,
        checked_in_at: DateTime<Utc>,
        repeat: bool,
        notification: Notification,
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
            notification,
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
