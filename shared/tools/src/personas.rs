//! Who may call which tool, in one table (docs/personas.md).
//!
//! Every tool's spec takes its personas from here (`personas: personas::of("check_in_guest")`), so
//! the whole policy reads in one place and a tool missing from the table fails to compile.
//!
//! - **Guests** get the guest orchestrators and the atomic skills a guest needs to help themselves
//!   (their own contact, bookings and cases), always scoped to the email in their token.
//! - **Staff** get the staff orchestrators and the Salesforce atomic skills.
//! - **Managers** are staff (their token's `manager` group implies `staff`) and also get the
//!   money-moving tools: compensation and the Stripe atomic skills.

use dewy_tool::Persona;

const GUEST_AND_STAFF: &[Persona] = &[Persona::Guest, Persona::Staff];
const STAFF: &[Persona] = &[Persona::Staff];
const MANAGER: &[Persona] = &[Persona::Manager];

/// Tool name → the personas that may call it.
pub const TABLE: &[(&str, &[Persona])] = &[
    // Orchestrators.
    ("check_in_guest", GUEST_AND_STAFF),
    ("process_guest_checkout", GUEST_AND_STAFF),
    ("compensate_checkout_failure", MANAGER),
    ("get_stay_folio", GUEST_AND_STAFF),
    ("create_booking_orchestrator", GUEST_AND_STAFF),
    ("manage_booking_orchestrator", GUEST_AND_STAFF),
    ("manage_cases_orchestrator", STAFF),
    ("submit_guest_service_request", GUEST_AND_STAFF),
    ("submit_maintenance_request", STAFF),
    ("upsert_contact_by_email", STAFF),
    ("search_rooms_on_behalf_of_guest", GUEST_AND_STAFF),
    ("search_rooms_on_behalf_of_staff", STAFF),
    ("search_cases_on_behalf_of_guest", GUEST_AND_STAFF),
    ("search_cases_on_behalf_of_staff", STAFF),
    // The web app's search endpoints.
    ("search_rooms", STAFF),
    ("search_cases", STAFF),
    ("search_contacts", STAFF),
    // Salesforce atomic skills.
    ("search_contact_by_email", GUEST_AND_STAFF),
    ("create_contact", GUEST_AND_STAFF),
    ("upsert_contact", GUEST_AND_STAFF),
    ("create_opportunity", STAFF),
    ("search_booking_by_contact_and_date", GUEST_AND_STAFF),
    ("search_booking_by_external_id", STAFF),
    ("search_bookings_by_room_and_dates", STAFF),
    ("search_room_by_number", STAFF),
    ("search_case_by_token", STAFF),
    ("update_booking_status", STAFF),
    ("update_room_status", STAFF),
    ("update_opportunity_stage", STAFF),
    ("update_case_status", STAFF),
    ("upsert_booking", STAFF),
    ("upsert_case", GUEST_AND_STAFF),
    // Stripe atomic skills: money moves, so managers only.
    ("create_stripe_customer", MANAGER),
    ("create_stripe_payment_intent", MANAGER),
    ("confirm_stripe_payment", MANAGER),
    ("retrieve_stripe_payment_status", MANAGER),
    ("stripe_payment_status", MANAGER),
    ("create_stripe_refund", MANAGER),
];

/// The personas that may call the tool `name`. Evaluated at compile time in a spec: a name missing
/// from [`TABLE`] stops the build.
pub const fn of(name: &str) -> &'static [Persona] {
    let mut i = 0;
    while i < TABLE.len() {
        if same(TABLE[i].0, name) {
            return TABLE[i].1;
        }
        i += 1;
    }
    panic!("a tool is missing from the persona table in personas.rs")
}

/// `a == b`, which `const fn` cannot write for `str` yet (shared with the deployment table).
pub(crate) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
