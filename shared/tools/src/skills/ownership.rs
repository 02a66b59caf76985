//! Proof that a guest acts on their own Contact, for skills keyed by `contact_id` (the email-keyed
//! ones are scoped by the invoke path through `GuestScope`).
//!
//! A guest names a contact by id; the skill runs only if that Contact's `Unique_Email__c` is the
//! email in the guest's token. The refusal is the same whether the contact belongs to someone else
//! or does not exist at all, so it reveals nothing about other guests.

use super::references::{self, Ref};
use super::sf;
use dewy_domain::input::RecordId;
use dewy_domain::objects::contact;
use dewy_domain::{ErrorCode, ToolError};
use dewy_salesforce::soql::{Cond, Soql};
use dewy_tool::Context;

/// For a guest-only caller, checks that `contact_id` is their own Contact (403 otherwise). For
/// staff there is nothing to check, and no call is made.
pub(crate) async fn ensure_guest_owns(ctx: &Context, contact_id: &RecordId) -> Result<(), ToolError> {
    if ctx.caller().is_guest_only() {
        own_contact(ctx, contact_id).await?;
    }
    Ok(())
}

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

/// The refusal when a guest names a contact (or a record of a contact) that is not theirs.
pub(crate) fn not_yours() -> ToolError {
    ToolError::new(
        ErrorCode::Forbidden,
        "Guests may act only on their own records: use the contact_id of the email you signed in with \
         (search_contact_by_email returns it).",
    )
}
