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
// Each group's imports below its own marker line (kept apart so that groups never edit one line).
// uses: checkout
use crate::checkout::compensate_checkout_failure::CompensateCheckoutFailure;
use crate::checkout::get_stay_folio::GetStayFolio;
use crate::checkout::process_guest_checkout::ProcessGuestCheckout;
// uses: bookings
use crate::bookings::{CreateBookingOrchestrator, ManageBookingOrchestrator};
// uses: cases
use crate::cases::{
    ManageCasesOrchestrator, SubmitGuestServiceRequest, SubmitMaintenanceRequest, UpsertContactByEmail,
};
// uses: searches
use crate::searches::search_cases::SearchCases;
use crate::searches::search_cases_on_behalf_of_guest::SearchCasesOnBehalfOfGuest;
use crate::searches::search_cases_on_behalf_of_staff::SearchCasesOnBehalfOfStaff;
use crate::searches::search_contacts::SearchContacts;
use crate::searches::search_rooms::SearchRooms;
use crate::searches::search_rooms_on_behalf_of_guest::SearchRoomsOnBehalfOfGuest;
use crate::searches::search_rooms_on_behalf_of_staff::SearchRoomsOnBehalfOfStaff;
// uses: payments
use crate::payments::confirm_stripe_payment::ConfirmStripePayment;
use crate::payments::create_stripe_customer::CreateStripeCustomer;
use crate::payments::create_stripe_payment_intent::CreateStripePaymentIntent;
use crate::payments::create_stripe_refund::CreateStripeRefund;
use crate::payments::payment_status::{RETRIEVE_STRIPE_PAYMENT_STATUS, STRIPE_PAYMENT_STATUS};
// uses: room controls
use crate::room_controls::{ControlLight, HomeAssistantHealth, ListRoomDevices, SetBlinds, SetThermostat};
use dewy_tool::DynTool;

/// All tools, in the order listings show them: orchestrators, the web app's searches, then the
/// atomic skills in the original's order (docs/tools.md keeps it).
pub static TOOLS: &[&dyn DynTool] = &[
    &CheckInGuest,
    // tools: checkout
    &ProcessGuestCheckout,
    &CompensateCheckoutFailure,
    &GetStayFolio,
    // tools: bookings
    &CreateBookingOrchestrator,
    &ManageBookingOrchestrator,
    // tools: cases
    &ManageCasesOrchestrator,
    &SubmitGuestServiceRequest,
    &SubmitMaintenanceRequest,
    &UpsertContactByEmail,
    // tools: searches
    &SearchRoomsOnBehalfOfGuest,
    &SearchRoomsOnBehalfOfStaff,
    &SearchCasesOnBehalfOfGuest,
    &SearchCasesOnBehalfOfStaff,
    &SearchRooms,
    &SearchCases,
    &SearchContacts,
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
    // tools: payments
    &CreateStripeCustomer,
    &CreateStripePaymentIntent,
    &ConfirmStripePayment,
    &RETRIEVE_STRIPE_PAYMENT_STATUS,
    &STRIPE_PAYMENT_STATUS,
    &CreateStripeRefund,
    // tools: room controls
    &ListRoomDevices,
    &ControlLight,
    &SetThermostat,
    &SetBlinds,
    &HomeAssistantHealth,
];

/// The tool called `name`.
pub fn find(name: &str) -> Option<&'static dyn DynTool> {
    TOOLS.iter().copied().find(|tool| tool.spec().name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_tool::{KeyFrom, Persona};

    fn names_for(persona: Persona) -> Vec<&'static str> {
        let mut names: Vec<&str> = TOOLS
            .iter()
            .filter(|t| t.spec().allows(&[persona]))
            .map(|t| t.spec().name)
            .collect();
        names.sort();
        names
    }

    /// Every tool is registered once, under a name of its own, and someone may call it.
    #[test]
    fn every_tool_is_registered_once_and_callable() {
        let mut names: Vec<&str> = TOOLS.iter().map(|t| t.spec().name).collect();
        names.sort();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "a tool is registered twice");
        for tool in TOOLS {
            assert!(!tool.spec().personas.is_empty(), "{}", tool.spec().name);
        }
    }

    /// Each job gets the tools of its work and no more; managers alone move money
    /// (docs/personas.md). A manager also holds every staff job, so may call all but the guest's
    /// own search.
    #[test]
    fn each_job_gets_its_tools_and_only_managers_move_money() {
        let rooms_and_cases = [
            "manage_cases_orchestrator",
            "search_case_by_token",
            "search_cases",
            "search_cases_on_behalf_of_staff",
            "search_room_by_number",
            "search_rooms",
            "search_rooms_on_behalf_of_staff",
            "update_case_status",
            "update_room_status",
            "upsert_case",
        ];
        assert_eq!(
            names_for(Persona::Guest),
            [
                "check_in_guest",
                "control_light",
                "create_booking_orchestrator",
                "create_contact",
                "get_stay_folio",
                "list_room_devices",
                "manage_booking_orchestrator",
                "process_guest_checkout",
                "search_cases_on_behalf_of_guest",
                "search_rooms_on_behalf_of_guest",
                "set_blinds",
                "set_thermostat",
                "submit_guest_service_request",
                "upsert_case",
                "upsert_contact",
            ]
        );
        assert_eq!(
            names_for(Persona::Staff),
            [
                "check_in_guest",
                "create_booking_orchestrator",
                "create_contact",
                "create_opportunity",
                "get_stay_folio",
                "manage_booking_orchestrator",
                "process_guest_checkout",
                "search_booking_by_contact_and_date",
                "search_booking_by_external_id",
                "search_bookings_by_room_and_dates",
                "search_cases_on_behalf_of_staff",
                "search_contact_by_email",
                "search_contacts",
                "search_rooms_on_behalf_of_guest",
                "search_rooms_on_behalf_of_staff",
                "submit_guest_service_request",
                "update_booking_status",
                "upsert_booking",
                "upsert_contact",
                "upsert_contact_by_email",
            ]
        );
        assert_eq!(names_for(Persona::Housekeeping), rooms_and_cases);
        let mut maintenance: Vec<&str> = rooms_and_cases.to_vec();
        maintenance.extend([
            "control_light",
            "home_assistant_health",
            "list_room_devices",
            "set_blinds",
            "set_thermostat",
            "submit_maintenance_request",
            "upsert_contact_by_email",
        ]);
        maintenance.sort();
        assert_eq!(names_for(Persona::Maintenance), maintenance);
        assert_eq!(
            names_for(Persona::Manager),
            [
                "compensate_checkout_failure",
                "confirm_stripe_payment",
                "create_stripe_customer",
                "create_stripe_payment_intent",
                "create_stripe_refund",
                "get_stay_folio",
                "process_guest_checkout",
                "retrieve_stripe_payment_status",
                "stripe_payment_status",
                "update_opportunity_stage",
            ]
        );
        let manager = dewy_tool::Caller::from_claims("m", None, ["manager"]);
        let callable: Vec<&str> = TOOLS
            .iter()
            .filter(|t| t.spec().allows(&manager.personas))
            .map(|t| t.spec().name)
            .collect();
        assert_eq!(callable.len(), TOOLS.len() - 1);
        assert!(!callable.contains(&"search_cases_on_behalf_of_guest"));
    }

    /// A second name of a tool names a registered tool, and may be called by the same personas.
    #[test]
    fn a_second_name_is_the_same_tool() {
        let aliases: Vec<(&str, &str)> = TOOLS
            .iter()
            .filter_map(|t| Some((t.spec().name, t.spec().alias_of?)))
            .collect();
        assert_eq!(
            aliases,
            [
                ("upsert_contact", "create_contact"),
                ("stripe_payment_status", "retrieve_stripe_payment_status"),
            ]
        );
        for (alias, first) in aliases {
            let first = find(first).map(|t| t.spec());
            let alias = find(alias).map(|t| t.spec());
            assert_eq!(first.map(|s| s.personas), alias.map(|s| s.personas));
            assert_eq!(first.map(|s| s.description), alias.map(|s| s.description));
        }
    }

    /// Searches, payment-status reads, `get_` and `list_` reads and health checks are read-only (so
    /// never go through the idempotency layer); every write declares that repeating it is harmless,
    /// except creating an opportunity.
    #[test]
    fn searches_are_read_only_and_writes_are_idempotent() {
        for tool in TOOLS {
            let spec = tool.spec();
            let hints = spec.annotations();
            if spec.name.starts_with("search_")
                || spec.name.starts_with("get_")
                || spec.name.starts_with("list_")
                || spec.name.ends_with("_health")
                || spec.name.ends_with("payment_status")
            {
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

    /// Every field a spec names is a field of the tool's input: a misspelt key field would key
    /// every call on `null` (one operation for all), a misspelt token field would drop the
    /// caller scoping, and a misspelt guest field would scope nothing.
    #[test]
    fn the_fields_a_spec_names_are_input_fields() {
        let mut problems = Vec::new();
        for tool in TOOLS {
            let spec = tool.spec();
            let schema = tool.input_schema();
            let mut named: Vec<&str> = match spec.effect.key() {
                Some(KeyFrom::Token(field)) => vec![field],
                Some(KeyFrom::Fields(fields)) => fields.to_vec(),
                Some(KeyFrom::Input) | None => Vec::new(),
            };
            named.extend(spec.guest_scope.map(|scope| scope.email_field));
            for field in named {
                if schema["properties"].get(field).is_none() {
                    problems.push(format!("{}: {field} is not an input field", spec.name));
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
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
