//! Proof that a guest acts on their own Contact, for skills keyed by `contact_id` (the email-keyed
//! ones are scoped by the invoke path through `GuestScope`).
//!
//! A guest names a contact by id; the skill runs only if that Contact's `Unique_Email__c` is the
//! email in the guest's token. The refusal is the same whether the contact belongs to someone else
//! or does not exist at all, so it reveals nothing about other guests.

use super::references::{self, Ref};
use super::sf;
use dewy_domain::input::RecordId;
use dewy_domain::objects::booking::{self, BookingStatus};
use dewy_domain::objects::contact;
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_tool::Context;

/// The contact `contact_id` as this caller may use it, as Salesforce writes its id: a guest's own
/// (403 otherwise), or anyone's for staff (`404 GUEST_NOT_FOUND` when it does not exist).
pub(crate) async fn usable_contact(ctx: &Context, contact_id: &RecordId) -> Result<String, ToolError> {
    if ctx.caller().is_guest_only() {
        own_contact(ctx, contact_id).await
    } else {
        references::ensure_exists(ctx, Ref::Contact("contact_id", contact_id)).await
    }
}

async fn own_contact(ctx: &Context, contact_id: &RecordId) -> Result<String, ToolError> {
    let Some(email) = ctx.caller().email.as_ref() else {
        return ctx
            .audit()
            .check_on("guest_owns_contact", contact_id.as_str(), Err(not_yours()));
    };
    let soql = Soql::select(&["Id"])
        .from(contact::OBJECT)
        .filter(Cond::eq("Id", contact_id.as_str()).and(Cond::eq(contact::UNIQUE_EMAIL, email.as_str())));
    let owned = match sf::first(ctx, soql).await? {
        Some(record) => Ok(record.id()?.to_owned()),
        None => Err(not_yours()),
    };
    ctx.audit()
        .check_on("guest_owns_contact", contact_id.as_str(), owned)
}

/// The room `room_id` as this caller may use it: for a guest, only a room they are staying in or
/// hold a booking of (Reserved or Checked In, not yet departed), the rule
/// `submit_guest_service_request` applies; the same 403 whether the room is someone else's or does
/// not exist. Staff may name any room that exists (`400 ROOM_NOT_FOUND` otherwise).
pub(crate) async fn usable_room(ctx: &Context, room_id: &RecordId) -> Result<String, ToolError> {
    if !ctx.caller().is_guest_only() {
        return references::ensure_exists(ctx, Ref::Room(room_id)).await;
    }
    let Some(email) = ctx.caller().email.as_ref() else {
        return ctx
            .audit()
            .check_on("guest_stays_in_room", room_id.as_str(), Err(not_your_room()));
    };
    let live = [BookingStatus::CheckedIn, BookingStatus::Reserved].map(|s| s.to_string());
    let filter = Cond::eq(booking::ROOM, room_id.as_str())
        .and(Cond::eq("Primary_Guest__r.Unique_Email__c", email.as_str()))
        .and(Cond::is_in(booking::STATUS, live))
        .and(Cond::ge(booking::CHECK_OUT_DATE, ctx.today()));
    let soql = Soql::select(&[booking::ROOM])
        .from(booking::OBJECT)
        .filter(filter);
    let stay = match sf::first(ctx, soql).await? {
        Some(record) => record
            .text(booking::ROOM)?
            .map(str::to_owned)
            .ok_or_else(not_your_room),
        None => Err(not_your_room()),
    };
    ctx.audit()
        .check_on("guest_stays_in_room", room_id.as_str(), stay)
}

/// The refusal when a guest names a room they neither stay in nor have booked.
fn not_your_room() -> ToolError {
    ToolError::new(
        ErrorCode::Forbidden,
        "Guests may name only a room they are staying in or have booked: use the room_id of your own stay \
         (or leave room_id out).",
    )
}

/// The refusal when a guest names a contact (or a record of a contact) that is not theirs.
pub(crate) fn not_yours() -> ToolError {
    ToolError::new(
        ErrorCode::Forbidden,
        "Guests may act only on their own records: use the contact_id of the email you signed in with \
         (search_contact_by_email returns it).",
    )
}
