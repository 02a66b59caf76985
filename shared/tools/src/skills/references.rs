//! Records an input refers to by id, checked before anything is written, so that a wrong id is the
//! not-found error code naming the field (docs/errors.md), not a Salesforce rejection of the write.

use super::sf;
use dewy_domain::input::RecordId;
use dewy_domain::objects::{account, booking, contact, opportunity, room};
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::Context;
use serde_json::json;

/// A record named by an input field.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ref<'a> {
    /// A Contact, and the field naming it (`contact_id`, `current_guest_id`).
    Contact(&'static str, &'a RecordId),
    /// A Hotel_Room__c (`room_id`).
    Room(&'a RecordId),
    /// A Booking__c (`booking_id`).
    Booking(&'a RecordId),
    /// An Opportunity (`opportunity_id`).
    Opportunity(&'a RecordId),
    /// An Account (`account_id`).
    Account(&'a RecordId),
}

/// What a missing record of one object is answered with.
struct Missing {
    object: &'static str,
    /// The audit check that the record exists, e.g. `room_found`.
    check: &'static str,
    what: &'static str,
    code: ErrorCode,
    hint: &'static str,
}

impl<'a> Ref<'a> {
    fn parts(self) -> (Missing, &'static str, &'a RecordId) {
        let missing = |object, check, what, code, hint| Missing {
            object,
            check,
            what,
            code,
            hint,
        };
        match self {
            // The original's 404 for a guest who does not exist.
            Ref::Contact(field, id) => (
                missing(
                    contact::OBJECT,
                    "contact_found",
                    "contact",
                    ErrorCode::GuestNotFound,
                    "search_contact_by_email finds a guest's contact",
                ),
                field,
                id,
            ),
            Ref::Room(id) => (
                missing(
                    room::OBJECT,
                    "room_found",
                    "room",
                    ErrorCode::RoomNotFound,
                    "search_room_by_number finds a room",
                ),
                "room_id",
                id,
            ),
            Ref::Booking(id) => (
                missing(
                    booking::OBJECT,
                    "booking_found",
                    "booking",
                    ErrorCode::BookingNotFound,
                    "search_booking_by_external_id or search_booking_by_contact_and_date find bookings",
                ),
                "booking_id",
                id,
            ),
            Ref::Opportunity(id) => (
                missing(
                    opportunity::OBJECT,
                    "opportunity_found",
                    "opportunity",
                    ErrorCode::OpportunityNotFound,
                    "a booking's opportunity_id names its opportunity",
                ),
                "opportunity_id",
                id,
            ),
            Ref::Account(id) => (
                missing(
                    account::OBJECT,
                    "account_found",
                    "account",
                    ErrorCode::ValidationError,
                    "leave account_id out if unsure",
                ),
                "account_id",
                id,
            ),
        }
    }

    /// The error for a record that does not exist, naming the field and what finds the record.
    pub(crate) fn not_found(self) -> ToolError {
        let (missing, field, id) = self.parts();
        ToolError::new(
            missing.code,
            format!(
                "No {} has the id {id} given as {field}: {}.",
                missing.what, missing.hint
            ),
        )
        .with_details(json!({ field: id }))
    }
}

/// The record's id as Salesforce writes it (18 characters, whichever form was given), or the
/// record's not-found error; either way a decision on the audit trail (`room_found`, ...).
pub(crate) async fn ensure_exists(ctx: &Context, target: Ref<'_>) -> Result<String, ToolError> {
    let (missing, _, id) = target.parts();
    let found = match sf::by_id(ctx, missing.object, &["Id"], id.as_str()).await? {
        Some(record) => Ok(record.id()?.to_owned()),
        None => Err(target.not_found()),
    };
    ctx.audit().check_on(missing.check, id.as_str(), found)
}

/// [`ensure_exists`] for an optional reference: `None` when none was given.
pub(crate) async fn ensure_given(
    ctx: &Context,
    target: Option<Ref<'_>>,
) -> Result<Option<String>, ToolError> {
    match target {
        Some(target) => ensure_exists(ctx, target).await.map(Some),
        None => Ok(None),
    }
}
