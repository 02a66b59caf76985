// Generated from the tool specs (shared/tools/src/registry.rs) by tests/tests/suite/web_tools.rs:
// regenerate with `DEWY_REGENERATE=1 cargo test -p dewy-e2e --test suite`. Do not edit.

/** Every tool: its REST path, the personas that may call it, and the input field holding the
 * client's idempotency token when the tool takes one (made when an action starts, reused on its
 * retries). */
export const TOOLS = {
  check_in_guest: { path: "/api/check-in-guest", personas: ["guest", "staff"], token: null },
  process_guest_checkout: { path: "/api/process-guest-checkout", personas: ["guest", "staff", "manager"], token: "idempotency_token" },
  compensate_checkout_failure: { path: "/api/compensate-checkout-failure", personas: ["manager"], token: "idempotency_token" },
  get_stay_folio: { path: "/api/get-stay-folio", personas: ["guest", "staff", "manager"], token: null },
  create_booking_orchestrator: { path: "/api/create-booking-orchestrator", personas: ["guest", "staff"], token: "booking_external_id" },
  manage_booking_orchestrator: { path: "/api/manage-booking-orchestrator", personas: ["guest", "staff"], token: null },
  manage_cases_orchestrator: { path: "/api/manage-cases-orchestrator", personas: ["housekeeping", "maintenance"], token: null },
  submit_guest_service_request: { path: "/api/submit-guest-service-request", personas: ["guest", "staff"], token: "idempotency_token" },
  submit_maintenance_request: { path: "/api/submit-maintenance-request", personas: ["maintenance"], token: "idempotency_token" },
  upsert_contact_by_email: { path: "/api/upsert-contact-by-email", personas: ["staff", "maintenance"], token: null },
  search_rooms_on_behalf_of_guest: { path: "/api/search-rooms-on-behalf-of-guest", personas: ["guest", "staff"], token: null },
  search_rooms_on_behalf_of_staff: { path: "/api/search-rooms-on-behalf-of-staff", personas: ["staff", "housekeeping", "maintenance"], token: null },
  search_cases_on_behalf_of_guest: { path: "/api/search-cases-on-behalf-of-guest", personas: ["guest"], token: null },
  search_cases_on_behalf_of_staff: { path: "/api/search-cases-on-behalf-of-staff", personas: ["staff", "housekeeping", "maintenance"], token: null },
  search_rooms: { path: "/api/search-rooms", personas: ["housekeeping", "maintenance"], token: null },
  search_cases: { path: "/api/search-cases", personas: ["housekeeping", "maintenance"], token: null },
  search_contacts: { path: "/api/search-contacts", personas: ["staff"], token: null },
  search_contact_by_email: { path: "/api/search-contact-by-email", personas: ["staff"], token: null },
  create_contact: { path: "/api/create-contact", personas: ["guest", "staff"], token: null },
  upsert_contact: { path: "/api/upsert-contact", personas: ["guest", "staff"], token: null },
  create_opportunity: { path: "/api/create-opportunity", personas: ["staff"], token: null },
  search_booking_by_contact_and_date: { path: "/api/search-booking-by-contact-and-date", personas: ["staff"], token: null },
  search_booking_by_external_id: { path: "/api/search-booking-by-external-id", personas: ["staff"], token: null },
  search_bookings_by_room_and_dates: { path: "/api/search-bookings-by-room-and-dates", personas: ["staff"], token: null },
  search_room_by_number: { path: "/api/search-room-by-number", personas: ["housekeeping", "maintenance"], token: null },
  search_case_by_token: { path: "/api/search-case-by-token", personas: ["housekeeping", "maintenance"], token: null },
  update_booking_status: { path: "/api/update-booking-status", personas: ["staff"], token: null },
  update_room_status: { path: "/api/update-room-status", personas: ["housekeeping", "maintenance"], token: null },
  update_opportunity_stage: { path: "/api/update-opportunity-stage", personas: ["manager"], token: null },
  update_case_status: { path: "/api/update-case-status", personas: ["housekeeping", "maintenance"], token: null },
  upsert_booking: { path: "/api/upsert-booking", personas: ["staff"], token: null },
  upsert_case: { path: "/api/upsert-case", personas: ["guest", "housekeeping", "maintenance"], token: "idempotency_token" },
  create_stripe_customer: { path: "/api/create-stripe-customer", personas: ["manager"], token: "idempotency_token" },
  create_stripe_payment_intent: { path: "/api/create-stripe-payment-intent", personas: ["manager"], token: "idempotency_token" },
  confirm_stripe_payment: { path: "/api/confirm-stripe-payment", personas: ["manager"], token: null },
  retrieve_stripe_payment_status: { path: "/api/retrieve-stripe-payment-status", personas: ["manager"], token: null },
  stripe_payment_status: { path: "/api/stripe-payment-status", personas: ["manager"], token: null },
  create_stripe_refund: { path: "/api/create-stripe-refund", personas: ["manager"], token: "idempotency_token" },
  list_room_devices: { path: "/api/list-room-devices", personas: ["guest", "maintenance"], token: null },
  control_light: { path: "/api/control-light", personas: ["guest", "maintenance"], token: "idempotency_token" },
  set_thermostat: { path: "/api/set-thermostat", personas: ["guest", "maintenance"], token: "idempotency_token" },
  set_blinds: { path: "/api/set-blinds", personas: ["guest", "maintenance"], token: "idempotency_token" },
  home_assistant_health: { path: "/api/home-assistant-health", personas: ["maintenance"], token: null },
} as const;

export type ToolName = keyof typeof TOOLS;
