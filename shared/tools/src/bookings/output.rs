//! The booking as both orchestrators answer with it: read like the skills' `BookingSummary` (see
//! `skills::views::booking` for how the two relate and why they stay two types), with the room,
//! guest and dates a change leaves it with.

use super::records::{Booked, Guest, Room};
use chrono::{DateTime, NaiveDate, Utc};
use dewy_domain::input::IsoDate;
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::objects::room::RoomType;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A booking with its room and guest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BookingView {
    /// The opportunity the booking belongs to.
    pub opportunity_id: String,
    /// The booking's record id.
    pub booking_id: String,
    /// The booking number guests quote, e.g. BK-0042.
    pub booking_number: String,
    /// The room's record id.
    pub room_id: Option<String>,
    /// The room's number (`Room_Number__c`), e.g. 105.
    pub room_number: Option<String>,
    /// Standard, Deluxe, Suite or Penthouse.
    pub room_type: Option<RoomType>,
    /// The room's floor.
    pub floor: Option<i64>,
    /// Arrival date.
    pub check_in_date: Option<IsoDate>,
    /// Departure date.
    pub check_out_date: Option<IsoDate>,
    /// Nights booked (check-out minus check-in).
    pub total_nights: Option<i64>,
    /// Number of guests.
    pub number_of_guests: Option<i64>,
    /// The guest's special requests.
    pub special_requests: Option<String>,
    /// The guest's Contact id.
    pub guest_id: Option<String>,
    /// The guest's full name.
    pub guest_name: Option<String>,
    /// The guest's email.
    pub guest_email: Option<String>,
    /// Reserved, Checked In, Checked Out, Cancelled or No Show.
    pub status: BookingStatus,
    /// When the booking was made.
    pub created_at: DateTime<Utc>,
}

impl BookingView {
    /// The booking as read, with its own guest and room.
    pub(super) fn of(booked: &Booked) -> BookingView {
        let mut view = BookingView {
            opportunity_id: booked.opportunity_id.clone(),
            booking_id: booked.id.clone(),
            booking_number: booked.number.clone(),
            room_id: None,
            room_number: None,
            room_type: None,
            floor: None,
            check_in_date: booked.check_in.map(IsoDate::from),
            check_out_date: booked.check_out.map(IsoDate::from),
            total_nights: booked.total_nights,
            number_of_guests: booked.number_of_guests,
            special_requests: booked.special_requests.clone(),
            guest_id: None,
            guest_name: None,
            guest_email: None,
            status: booked.status,
            created_at: booked.created_at,
        };
        if let Some(room) = &booked.room {
            view.set_room(room);
        }
        if let Some(guest) = &booked.guest {
            view.set_guest(guest);
        }
        view
    }

    /// Shows `room` as the booking's room.
    pub(super) fn set_room(&mut self, room: &Room) {
        self.room_id = Some(room.id.clone());
        self.room_number = Some(room.number.clone());
        self.room_type = room.room_type;
        self.floor = room.floor;
    }

    /// Shows `guest` as the booking's guest.
    pub(super) fn set_guest(&mut self, guest: &Guest) {
        self.guest_id = Some(guest.id.clone());
        self.guest_name = Some(guest.name.clone());
        self.guest_email = guest.email.clone();
    }

    /// Shows the stay's dates and the nights between them (the `Total_Nights__c` formula).
    pub(super) fn set_dates(&mut self, check_in: NaiveDate, check_out: NaiveDate) {
        self.check_in_date = Some(check_in.into());
        self.check_out_date = Some(check_out.into());
        self.total_nights = Some((check_out - check_in).num_days());
    }
}
