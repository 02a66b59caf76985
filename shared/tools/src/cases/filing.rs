//! What the two "submit" tools share: the check of the requester's contact type, and filing the
//! case under the request's idempotency token.
//!
//! The token names one request. When a case already carries it, the request was filed before
//! (a retry after the idempotency layer's replay window): the case is returned as it is, without a
//! second write (which could undo what staff changed since) and without a second text. A token
//! that filed a *different* request is refused, so a reused token never overwrites someone else's
//! case.

use crate::skills::sf::{self, Body};
use crate::skills::views::case::{self, CaseSummary};
use crate::skills::views::contact::ContactSummary;
use crate::skills::views::room::RoomSummary;
use dewy_domain::input::{Email, IdempotencyToken};
use dewy_domain::objects::case::{
    BOOKING, CONTACT, CaseOrigin, CasePriority, CaseStatus, CaseType, DESCRIPTION, EXTERNAL_ID, OBJECT,
    ORIGIN, PRIORITY, ROOM, STATUS, SUBJECT, TYPE,
};
use dewy_domain::objects::contact::ContactType;
use dewy_domain::{ErrorCode, ToolError};
use dewy_tool::Context;
use serde_json::json;

/// A request to file, everything in it checked.
pub(super) struct Request<'a> {
    /// The request's idempotency token: the case's `External_ID__c`.
    pub token: &'a IdempotencyToken,
    /// Who asks.
    pub contact: &'a ContactSummary,
    /// The room concerned.
    pub room: &'a RoomSummary,
    /// The stay it is linked to, if known.
    pub booking_id: Option<&'a str>,
    pub case_type: CaseType,
    pub priority: CasePriority,
    pub description: &'a str,
    /// Web for guests' requests, Internal for staff's.
    pub origin: CaseOrigin,
}

/// The case a request filed (or had filed before).
pub(super) struct Filed {
    pub case_id: String,
    pub case_number: String,
    pub status: Option<CaseStatus>,
    /// `false` when the token had already filed this request.
    pub created: bool,
}

impl Request<'_> {
    /// Files the case: one upsert on the token, then one read for the number Salesforce gave it.
    /// `existing` is the case the token already names, read with the other inputs.
    pub(super) async fn file(
        &self,
        ctx: &Context,
        existing: Option<CaseSummary>,
    ) -> Result<Filed, ToolError> {
        if let Some(existing) = existing {
            let same = self.check_is_the_same_request(&existing);
            ctx.audit().check_on("same_request", &existing.case_id, same)?;
            return Ok(Filed {
                case_id: existing.case_id,
                case_number: existing.case_number,
                status: existing.status,
                created: false,
            });
        }
        let body = Body::default()
            .always(CONTACT, &self.contact.id)
            .always(ROOM, &self.room.id)
            .set(BOOKING, self.booking_id)
            .always(TYPE, self.case_type)
            .always(PRIORITY, self.priority)
            .always(STATUS, CaseStatus::New)
            .always(ORIGIN, self.origin)
            .always(SUBJECT, super::subject_of(self.description))
            .always(DESCRIPTION, self.description)
            .into_value();
        // A single sObject upsert rather than a Composite request: subject and description are
        // free text, which Composite would scan for `@{…}` references.
        let saved = sf::upsert(ctx, OBJECT, EXTERNAL_ID, self.token.as_str(), &body).await?;
        if saved.created {
            ctx.audit().created(&saved.id, CaseStatus::New);
        }
        let case = case::by_id(ctx, &saved.id)
            .await?
            .ok_or_else(|| sf::vanished(OBJECT, &saved.id))?;
        Ok(Filed {
            case_id: case.case_id,
            case_number: case.case_number,
            status: case.status,
            created: saved.created,
        })
    }

    fn check_is_the_same_request(&self, existing: &CaseSummary) -> Result<(), ToolError> {
        let same = existing.contact_id.as_deref() == Some(self.contact.id.as_str())
            && existing.room_id.as_deref() == Some(self.room.id.as_str())
            && existing.description.as_deref() == Some(self.description);
        if same {
            return Ok(());
        }
        // Nothing about the other case is said: it may be someone else's.
        Err(ToolError::new(
            ErrorCode::IdempotencyKeyReused,
            "This idempotency_token was already used for a different request. Use a new token for a new \
             request, or the same token only to retry the same request.",
        )
        .with_details(json!({ "idempotency_token": self.token })))
    }
}

/// `400 INVALID_CONTACT_TYPE` unless the contact is of the `expected` type; a `contact_type`
/// decision on the audit trail either way.
pub(super) fn require_type(
    ctx: &Context,
    contact: &ContactSummary,
    email: &Email,
    expected: ContactType,
    hint: &str,
) -> Result<(), ToolError> {
    let checked = check_type(contact, email, expected, hint);
    ctx.audit().check_on("contact_type", &contact.id, checked)
}

fn check_type(
    contact: &ContactSummary,
    email: &Email,
    expected: ContactType,
    hint: &str,
) -> Result<(), ToolError> {
    if contact.contact_type == Some(expected) {
        return Ok(());
    }
    let actual = contact
        .contact_type
        .map_or("contact with no type".to_owned(), |t| format!("{t} contact"));
    Err(ToolError::new(
        ErrorCode::InvalidContactType,
        format!("The contact with email {email} is a {actual}, but this request needs a {expected} contact. {hint}"),
    )
    .with_details(json!({
        "email": email,
        "contact_type": contact.contact_type,
        "expected_contact_type": expected,
    })))
}
