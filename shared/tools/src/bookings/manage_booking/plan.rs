//! What a change to a booking comes to: the booking's values with the given ones merged over them,
//! which of them actually differ, and whether the booking's status allows that.

use super::ManageBookingInput;
use crate::bookings::output::BookingView;
use crate::bookings::records::{Booked, Guest, Room};
use chrono::NaiveDate;
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::{ErrorCode, ToolError};
use serde_json::json;

/// The fields that may still change once the guest has checked in.
const CHANGEABLE_WHEN_CHECKED_IN: &[&str] = &["number_of_guests", "special_requests"];

/// The booking as it would be after the change.
#[derive(Debug)]
pub(super) struct Plan<'a> {
    pub(super) booking: &'a Booked,
    /// The room after the change (the new one, or the booking's own).
    pub(super) room: Option<Room>,
    /// The guest after the change.
    pub(super) guest: Option<Guest>,
    pub(super) check_in: Option<NaiveDate>,
    pub(super) check_out: Option<NaiveDate>,
    pub(super) guests: Option<i64>,
    pub(super) special_requests: Option<String>,
    /// The input fields whose value differs from the booking's, in input order.
    pub(super) changed: Vec<&'static str>,
}

impl<'a> Plan<'a> {
    /// Merges what `input` gives (with the new room and guest already read) over `booking`.
    pub(super) fn new(
        booking: &'a Booked,
        input: &ManageBookingInput,
        new_room: Option<Room>,
        new_guest: Option<Guest>,
    ) -> Plan<'a> {
        let id_of_guest = |g: &Option<Guest>| g.as_ref().map(|g| g.id.clone());
        let id_of_room = |r: &Option<Room>| r.as_ref().map(|r| r.id.clone());
        let guest = new_guest.or_else(|| booking.guest.clone());
        let room = new_room.or_else(|| booking.room.clone());
        let check_in = input.check_in_date.map(|d| d.date()).or(booking.check_in);
        let check_out = input.check_out_date.map(|d| d.date()).or(booking.check_out);
        let guests = input
            .number_of_guests
            .map(|n| i64::from(n.get()))
            .or(booking.number_of_guests);
        let special_requests = input
            .special_requests
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| booking.special_requests.clone());
        let changed = [
            ("guest_email", id_of_guest(&guest) != id_of_guest(&booking.guest)),
            ("room_number", id_of_room(&room) != id_of_room(&booking.room)),
            ("check_in_date", check_in != booking.check_in),
            ("check_out_date", check_out != booking.check_out),
            ("number_of_guests", guests != booking.number_of_guests),
            ("special_requests", special_requests != booking.special_requests),
        ]
        .into_iter()
        .filter_map(|(field, differs)| differs.then_some(field))
        .collect();
        Plan {
            booking,
            room,
            guest,
            check_in,
            check_out,
            guests,
            special_requests,
            changed,
        }
    }

    /// Whether `field` changes.
    pub(super) fn changes(&self, field: &str) -> bool {
        self.changed.contains(&field)
    }

    /// Whether the stay itself (room or dates) changes, which needs the conflict check.
    pub(super) fn moves_stay(&self) -> bool {
        self.changes("room_number") || self.changes("check_in_date") || self.changes("check_out_date")
    }

    /// A Reserved booking may change in every way; a Checked In one only in its number of guests
    /// and special requests (the room and dates are being lived in); a finished one not at all.
    /// The status itself never changes here (the original reset it to Reserved).
    pub(super) fn check_status_allows(&self) -> Result<(), ToolError> {
        let fixed: Vec<&str> = match self.booking.status {
            BookingStatus::Reserved => return Ok(()),
            BookingStatus::CheckedIn => self
                .changed
                .iter()
                .copied()
                .filter(|f| !CHANGEABLE_WHEN_CHECKED_IN.contains(f))
                .collect(),
            BookingStatus::CheckedOut | BookingStatus::Cancelled | BookingStatus::NoShow => {
                self.changed.clone()
            }
        };
        if fixed.is_empty() {
            return Ok(());
        }
        let (number, status) = (&self.booking.number, self.booking.status);
        let message = if status == BookingStatus::CheckedIn {
            format!(
                "Booking {number} is Checked In: only number_of_guests and special_requests can change now, \
                 not {}. Check the guest out and make a new booking to move them.",
                fixed.join(", ")
            )
        } else {
            format!("Booking {number} is {status} and can no longer be changed. Make a new booking instead.")
        };
        Err(
            ToolError::new(ErrorCode::InvalidStateTransition, message).with_details(json!({
                "booking_number": number,
                "status": status,
                "refused_changes": fixed,
            })),
        )
    }

    /// The booking as it is after the change.
    pub(super) fn view(&self) -> BookingView {
        let mut view = BookingView::of(self.booking);
        if let Some(room) = &self.room {
            view.set_room(room);
        }
        if let Some(guest) = &self.guest {
            view.set_guest(guest);
        }
        if let (Some(check_in), Some(check_out)) = (self.check_in, self.check_out) {
            view.set_dates(check_in, check_out);
        }
        view.number_of_guests = self.guests;
        view.special_requests = self.special_requests.clone();
        view
    }
}
