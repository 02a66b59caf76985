//! How checkout and its compensation find a guest and their stays (the [`Stay`] itself, shared
//! with check-in, is `crate::stay`).
//!
//! The stay is found by its status (Checked In for checkout, Checked Out for compensation), never
//! by "a check-in date of today" as the original did, which let a guest check out only on the day
//! they arrived.

use crate::stay::{self, Stay};
use dewy_domain::input::{BookingNumber, Email, RoomNumber};
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Order};
use dewy_tool::Context;
use serde_json::json;

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
    let mut filter = stay::of_guest(email).and(Cond::is_in(
        booking::STATUS,
        statuses.iter().map(ToString::to_string),
    ));
    if let Some(number) = narrowing.booking_number {
        filter = filter.and(Cond::eq(booking::NAME, number.as_str()));
    }
    if let Some(number) = narrowing.room_number {
        filter = filter.and(Cond::eq("Room__r.Room_Number__c", number.as_str()));
    }
    let order = [
        (booking::CHECK_OUT_DATE, Order::Desc),
        (booking::NAME, Order::Desc),
    ];
    let rows = stay::query(ctx, filter, &order).await?;
    rows.iter()
        .map(|record| Stay::from_record(record, no_room))
        .collect()
}

/// `ROOM_NOT_FOUND` for a stay without a room: there is no room to settle or put back.
fn no_room(number: &str) -> ToolError {
    ToolError::new(
        ErrorCode::RoomNotFound,
        format!(
            "Booking {number} has no room assigned, so its stay cannot be settled. Assign its room first."
        ),
    )
    .with_details(json!({ "booking_number": number }))
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
