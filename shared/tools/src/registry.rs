//! Every tool, in one list. Transports (Lambda functions, REST routes, MCP listings) are derived
//! from it, so a tool added here is served everywhere without touching a transport.

use crate::check_in_guest::CheckInGuest;
use crate::skills::contact_upsert::{CREATE_CONTACT, UPSERT_CONTACT};
use crate::skills::create_opportunity::CreateOpportunity;
use crate::skills::search_booking_by_contact_and_date::SearchBookingByContactAndDate;
use crate::skills::search_booking_by_external_id::SearchBookingByExternalId;
use crate::skills::search_bookings_by_room_and_dates::SearchBookingsByRoomAndDates;
use crate::skills::search_case_by_token::SearchCaseByToken;
use crate::skills::search_contact_by_email::SearchContactByEmail;
use crate::skills::search_room_by_number::SearchRoomByNumber;
use crate::skills::update_booking_status::UpdateBookingStatus;
use crate::skills::update_case_status::UpdateCaseStatus;
use crate::skills::update_opportunity_stage::UpdateOpportunityStage;
use crate::skills::update_room_status::UpdateRoomStatus;
use crate::skills::upsert_booking::UpsertBooking;
use crate::skills::upsert_case::UpsertCase;
use dewy_tool::DynTool;

/// All tools, in the order listings show them: orchestrators, then the Salesforce atomic skills in
/// the order of recipes.md §1.2.
pub static TOOLS: &[&dyn DynTool] = &[
    &CheckInGuest,
    &SearchContactByEmail,
    &CREATE_CONTACT,
    &UPSERT_CONTACT,
    &CreateOpportunity,
    &SearchBookingByContactAndDate,
    &SearchBookingByExternalId,
    &SearchBookingsByRoomAndDates,
    &SearchRoomByNumber,
    &SearchCaseByToken,
    &UpdateBookingStatus,
    &UpdateRoomStatus,
    &UpdateOpportunityStage,
    &UpdateCaseStatus,
    &UpsertBooking,
    &UpsertCase,
];

/// The tool called `name`.
pub fn find(name: &str) -> Option<&'static dyn DynTool> {
    TOOLS.iter().copied().find(|tool| tool.spec().name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_tool::Persona;

    fn names_for(persona: Persona) -> Vec<&'static str> {
        TOOLS
            .iter()
            .filter(|t| t.spec().allows(&[persona]))
            .map(|t| t.spec().name)
            .collect()
    }

    /// Decision 5: guests get their orchestrators and the four atomic skills the README names for
    /// them (create_contact under both its names); staff get every Salesforce atomic skill.
    #[test]
    fn the_persona_table_follows_decision_5() {
        assert_eq!(
            names_for(Persona::Guest),
            [
                "check_in_guest",
                "search_contact_by_email",
                "create_contact",
                "upsert_contact",
                "search_booking_by_contact_and_date",
                "upsert_case",
            ]
        );
        assert_eq!(names_for(Persona::Staff).len(), TOOLS.len());
        assert_eq!(
            TOOLS.len(),
            16,
            "check_in_guest and the 15 Salesforce atomic skills"
        );
    }

    /// Searches are read-only (so never go through the idempotency layer); every write declares
    /// that repeating it is harmless, except creating an opportunity.
    #[test]
    fn searches_are_read_only_and_writes_are_idempotent() {
        for tool in TOOLS {
            let spec = tool.spec();
            let hints = spec.annotations;
            if spec.name.starts_with("search_") {
                assert!(hints.read_only && hints.idempotent, "{}", spec.name);
            } else {
                assert!(!hints.read_only, "{}", spec.name);
                assert_eq!(
                    hints.idempotent,
                    spec.name != "create_opportunity",
                    "{}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn names_are_unique_and_valid_mcp_tool_names() {
        let mut names: Vec<&str> = TOOLS.iter().map(|t| t.spec().name).collect();
        for name in &names {
            assert!(
                name.len() <= 128
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
            );
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), TOOLS.len());
    }

    #[test]
    fn every_schema_is_an_object_schema() {
        for tool in TOOLS {
            assert_eq!(tool.input_schema()["type"], "object", "{}", tool.spec().name);
            assert_eq!(tool.output_schema()["type"], "object", "{}", tool.spec().name);
        }
    }
}
