//! Case and contact orchestrators: service and maintenance requests, case management, contacts.
//!
//! - [`submit_guest_service_request`]: a guest (or staff for them) asks for towels, room service…;
//! - [`submit_maintenance_request`]: a manager files a maintenance case and on-call is texted;
//! - [`manage_cases_orchestrator`]: staff create or update any case by its idempotency token;
//! - [`upsert_contact_by_email`]: staff find a contact by email, or create it.
//!
//! Each reads everything it needs in one parallel round trip and checks it all before its one
//! write, so a refused request writes nothing. A case is keyed by the idempotency token of the
//! request that filed it (`External_ID__c`), which makes filing safe to retry; `filing` holds what
//! the two "submit" tools share.

pub mod manage_cases_orchestrator;
pub mod submit_guest_service_request;
pub mod submit_maintenance_request;
pub mod upsert_contact_by_email;

mod filing;

pub use manage_cases_orchestrator::ManageCasesOrchestrator;
pub use submit_guest_service_request::SubmitGuestServiceRequest;
pub use submit_maintenance_request::SubmitMaintenanceRequest;
pub use upsert_contact_by_email::UpsertContactByEmail;

use crate::skills::views::contact::ContactSummary;
use dewy_domain::ToolError;
use dewy_domain::input::Email;
use dewy_tool::Context;

/// The Contact whose unique email is `email`, as the skills show contacts.
async fn find_contact(ctx: &Context, email: &Email) -> Result<Option<ContactSummary>, ToolError> {
    crate::skills::views::contact::find_by_email(ctx, email)
        .await?
        .as_ref()
        .map(ContactSummary::from_record)
        .transpose()
}

/// A case's subject made from its description, as the original does: the first 255 characters
/// (Salesforce's limit for `Subject`), cut on a character boundary.
fn subject_of(description: &str) -> String {
    description
        .chars()
        .take(255)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_the_first_255_characters_of_the_description() {
        assert_eq!(subject_of("Two towels"), "Two towels");
        let long = "é".repeat(300);
        assert_eq!(subject_of(&long).chars().count(), 255);
    }

    #[test]
    fn created_records_answer_201() {
        assert_eq!(dewy_tool::created_status(true), 201);
        assert_eq!(dewy_tool::created_status(false), 200);
    }
}
