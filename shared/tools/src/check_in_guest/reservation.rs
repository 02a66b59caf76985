//! The reservation a check-in acts on, chosen from the stays the read returned, and the checks made
//! on it before anything is written: check-in's part of [`Stay`] (the stay itself, shared with
//! checkout, is `crate::stay`).

use super::CheckInOutput;
use crate::notify::Notification;
use crate::record::Record;
use crate::stay::Stay;
use chrono::{DateTime, NaiveDate, Utc};
use dewy_domain::input::{BookingNumber, Email, IsoDate};
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::objects::contact;
use dewy_domain::objects::opportunity::OpportunityStage;
use dewy_domain::objects::room::RoomStatus;
use dewy_domain::state::transition;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::Context;
use serde_json::json;

/// Where a check-in moves the stay's booking, room and opportunity.
const CHECKED_IN: (BookingStatus, RoomStatus, OpportunityStage) = (
    BookingStatus::CheckedIn,
    RoomStatus::Occupied,
    OpportunityStage::CheckedIn,
);

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
            .map(|record| Stay::from_record(record, no_room))
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
            .with_details(json!({ "bookings": many.iter().map(|s| s.summary()).collect::<Vec<_>>() }))),
        }
    }

    /// The arrival date. The read asks for the bookings arriving on one date, so every stay it
    /// returns has one.
    pub(super) fn arrival(&self) -> NaiveDate {
        self.check_in_date.unwrap_or_default()
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
        let (booking, room, opportunity) = CHECKED_IN;
        transition(self.status, booking)?;
        transition(self.room_status, room)?;
        transition(self.opportunity_stage, opportunity)?;
        Ok(())
    }

    /// Records the three transitions of a check-in, once its write has succeeded.
    pub(super) fn audit_check_in(&self, ctx: &Context) {
        self.audit_moves(ctx, CHECKED_IN);
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
            check_in_date: self.arrival().into(),
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

/// `ROOM_NOT_FOUND` for a reservation without a room: there is nothing to check the guest into.
fn no_room(number: &str) -> ToolError {
    ToolError::new(
        ErrorCode::RoomNotFound,
        format!("Booking {number} has no room assigned. Assign a room before check-in."),
    )
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
