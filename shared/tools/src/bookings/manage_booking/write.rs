//! The one write of a change: the booking's changed fields and, when the stay or the guest
//! changes, its opportunity's, in one Composite `allOrNone` request so the two never disagree.
//!
//! The booking's status is never written (the original reset it to Reserved), but the write is
//! guarded by it: applied only if the booking still has the status the change was allowed for.
//! The opportunity follows the stay: CloseDate and Arrival_Date__c the check-in date (as
//! `create_booking` set them), Departure_Date__c the check-out date, Amount the nights at the
//! room's rate, ContactId the guest.

use super::plan::Plan;
use crate::skills::sf::Body;
use dewy_domain::objects::{booking, opportunity};
use dewy_salesforce::CompositeRequest;
use dewy_tool::guard::guarded_in_room;

/// The update of the booking and, if anything of it follows, of its opportunity.
pub(super) fn change_writes(plan: &Plan<'_>) -> CompositeRequest {
    let changes = |field| plan.changes(field);
    let room_id = plan.room.as_ref().map(|r| r.id.as_str());
    let guest_id = plan.guest.as_ref().map(|g| g.id.as_str());
    let booking = Body::default()
        .set(
            booking::PRIMARY_GUEST,
            guest_id.filter(|_| changes("guest_email")),
        )
        .set(booking::ROOM, room_id.filter(|_| changes("room_number")))
        .set(
            booking::CHECK_IN_DATE,
            plan.check_in.filter(|_| changes("check_in_date")),
        )
        .set(
            booking::CHECK_OUT_DATE,
            plan.check_out.filter(|_| changes("check_out_date")),
        )
        .set(
            booking::NUMBER_OF_GUESTS,
            plan.guests.filter(|_| changes("number_of_guests")),
        )
        .set(
            booking::SPECIAL_REQUESTS,
            plan.special_requests
                .as_ref()
                .filter(|_| changes("special_requests")),
        )
        .into_value();
    let nights = match (plan.check_in, plan.check_out) {
        (Some(check_in), Some(check_out)) => Some((check_out - check_in).num_days()),
        _ => None,
    };
    let price = match (&plan.room, nights) {
        (Some(room), Some(nights)) if plan.moves_stay() => room.price(nights),
        _ => None,
    };
    let opportunity = Body::default()
        .set(
            opportunity::CLOSE_DATE,
            plan.check_in.filter(|_| changes("check_in_date")),
        )
        .set(
            opportunity::ARRIVAL_DATE,
            plan.check_in.filter(|_| changes("check_in_date")),
        )
        .set(
            opportunity::DEPARTURE_DATE,
            plan.check_out.filter(|_| changes("check_out_date")),
        )
        .set(opportunity::AMOUNT, price)
        .set(opportunity::CONTACT, guest_id.filter(|_| changes("guest_email")))
        .into_value();
    // Decided on the booking's status (what may change depends on it): written only if it still has it.
    // And in the room it was read in: a move decided on one room must not undo another's move.
    let room_read = plan.booking.room.as_ref().map_or("", |r| r.id.as_str());
    let booking = guarded_in_room(booking, plan.booking.status, room_read);
    let write =
        CompositeRequest::new(true).update("booking", booking::OBJECT, plan.booking.id.as_str(), &booking);
    if opportunity.as_object().is_some_and(|fields| fields.is_empty()) {
        return write;
    }
    write.update(
        "opportunity",
        opportunity::OBJECT,
        plan.booking.opportunity_id.as_str(),
        &opportunity,
    )
}
