//! The rules a stay must satisfy before anything is written, shared by creating and changing a
//! booking.

use super::records::Room;
use crate::skills::views::booking::BookingSummary;
use chrono::NaiveDate;
use dewy_domain::input::IsoDate;
use dewy_domain::objects::room::RoomStatus;
use dewy_domain::{ErrorCode, ToolError};
use serde_json::json;

/// The longest stay one booking may cover: anything longer is almost surely a mistyped year.
pub(super) const MAX_NIGHTS: i64 = 365;

/// A stay's dates: check-out after check-in (the original never checked), at most [`MAX_NIGHTS`],
/// and, when the arrival is being set, not in the past. Returns the number of nights.
pub(super) fn stay_dates(
    check_in: NaiveDate,
    check_out: NaiveDate,
    arrival_is_new: bool,
    today: NaiveDate,
) -> Result<i64, ToolError> {
    let details =
        json!({ "check_in_date": IsoDate::from(check_in), "check_out_date": IsoDate::from(check_out) });
    let nights = (check_out - check_in).num_days();
    if nights <= 0 {
        return Err(ToolError::validation(format!(
            "check_out_date ({check_out}) must be after check_in_date ({check_in})."
        ))
        .with_details(details));
    }
    if nights > MAX_NIGHTS {
        return Err(ToolError::validation(format!(
            "A booking covers at most {MAX_NIGHTS} nights; check_in_date ({check_in}) to check_out_date \
             ({check_out}) is {nights}. Check the dates."
        ))
        .with_details(details));
    }
    if arrival_is_new && check_in < today {
        return Err(ToolError::validation(format!(
            "check_in_date ({check_in}) is in the past; today is {today}. Choose a date from today on."
        ))
        .with_details(details));
    }
    Ok(nights)
}

/// A room can take a booking unless it is Out of Service. An Occupied, Cleaning or Maintenance room
/// is only unavailable now; whether it is free on the booked dates is the bookings' question.
pub(super) fn bookable(room: &Room) -> Result<(), ToolError> {
    if room.status != RoomStatus::OutOfService {
        return Ok(());
    }
    Err(ToolError::new(
        ErrorCode::RoomNotVacant,
        format!(
            "Room {} is Out of Service and cannot be booked. Choose another room.",
            room.number
        ),
    )
    .with_details(json!({ "room_number": room.number, "room_status": room.status })))
}

/// The number of guests fits the room (when the room says how many it takes).
pub(super) fn fits(room: &Room, guests: i64) -> Result<(), ToolError> {
    match room.max_occupancy {
        Some(max) if guests > max => Err(ToolError::validation(format!(
            "Room {} takes at most {max} guests; number_of_guests is {guests}. Choose a larger room or \
             fewer guests.",
            room.number
        ))
        .with_details(
            json!({ "room_number": room.number, "max_occupancy": max, "number_of_guests": guests }),
        )),
        _ => Ok(()),
    }
}

/// `409 ROOM_ALREADY_BOOKED` listing the clashing stays when there are any. A guest learns the dates
/// and statuses that clash, staff also the booking numbers; never whose bookings they are.
pub(crate) fn no_conflicts(
    room: &str,
    check_in: NaiveDate,
    check_out: NaiveDate,
    conflicts: &[BookingSummary],
    staff: bool,
) -> Result<(), ToolError> {
    if conflicts.is_empty() {
        return Ok(());
    }
    let listed: Vec<_> = conflicts
        .iter()
        .map(|c| {
            let mut entry = json!({
                "check_in_date": c.check_in_date,
                "check_out_date": c.check_out_date,
                "status": c.status,
            });
            if staff {
                entry["booking_number"] = json!(c.booking_number);
            }
            entry
        })
        .collect();
    Err(ToolError::new(
        ErrorCode::RoomAlreadyBooked,
        format!(
            "Room {room} is already booked for part of {check_in} to {check_out} ({} booking(s) overlap; a \
             stay ending or starting on the same day counts). Choose other dates or another room.",
            conflicts.len()
        ),
    )
    .with_details(json!({
        "room_number": room,
        "check_in_date": IsoDate::from(check_in),
        "check_out_date": IsoDate::from(check_out),
        "conflict_count": conflicts.len(),
        "conflicts": listed,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn dates_must_make_a_stay_that_starts_from_today() {
        assert_eq!(stay_dates(day(10), day(13), true, day(10)).unwrap(), 3);
        let backwards = stay_dates(day(13), day(10), true, day(1)).unwrap_err();
        assert_eq!(backwards.code, ErrorCode::ValidationError);
        assert!(backwards.message.contains("check_out_date") && backwards.message.contains("check_in_date"));
        assert!(stay_dates(day(10), day(10), true, day(1)).is_err(), "zero nights");
        assert!(
            stay_dates(day(9), day(12), true, day(10)).is_err(),
            "a new arrival in the past"
        );
        assert_eq!(
            stay_dates(day(9), day(12), false, day(10)).unwrap(),
            3,
            "an arrival kept as it was"
        );
        let long = NaiveDate::from_ymd_opt(2028, 1, 1).unwrap_or_default();
        assert!(stay_dates(day(10), long, true, day(1)).is_err());
    }

    #[test]
    fn rooms_out_of_service_or_too_small_are_refused() {
        let mut room = Room {
            id: "a02".into(),
            number: "107".into(),
            status: RoomStatus::Maintenance,
            room_type: None,
            floor: Some(1),
            max_occupancy: Some(2),
            nightly_rate: None,
        };
        assert!(bookable(&room).is_ok(), "maintenance ends; the dates decide");
        assert!(fits(&room, 2).is_ok());
        assert_eq!(fits(&room, 3).unwrap_err().code, ErrorCode::ValidationError);
        room.status = RoomStatus::OutOfService;
        assert_eq!(bookable(&room).unwrap_err().http_status(), 409);
        room.max_occupancy = None;
        assert!(fits(&room, 9).is_ok());
    }
}
