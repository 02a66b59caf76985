//! What each tool's Lambda function needs that its spec does not say: memory, timeout, and which
//! backends beyond Salesforce it reaches. `template.yaml`'s tool functions are generated from this
//! table and the registry (`tests/tests/suite/template.rs`), so the deployed permissions follow the code.
//!
//! - **Stripe**: the tools that call `ctx.stripe()` (`checkout/`, `payments/`) hold the Stripe secret.
//! - **Texts**: the tools that queue SMS through [`crate::notify`] may send to the SMS queue. None
//!   holds Twilio credentials: the `sms_notifier` function sends the texts.
//! - **Timeout**: the Lambda handler gives the tool the invocation's remaining time as its deadline,
//!   so the timeout is the tool's budget for backend calls and retries.
//! - **Memory**: Lambda allots CPU in proportion to memory; a warm function uses a few tens of MB,
//!   so memory is chosen for CPU (TLS handshakes, JSON), not for space.

/// What a tool's function needs beyond its spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deployment {
    /// Memory in MB.
    pub memory_mb: u32,
    /// Timeout in seconds: the tool's deadline.
    pub timeout_secs: u32,
    /// Whether the function holds the Stripe secret.
    pub stripe: bool,
    /// Whether the function queues texts (the SMS queue, and the on-call number).
    pub texts: bool,
}

/// The longest timeout a tool may have. A tool answers through API Gateway (30 s integration limit)
/// or the MCP adapter (29 s per call), and a cold start runs before the timeout starts counting, so
/// the deadline ends a few seconds short of both: the caller then gets the tool's own error (which
/// backend timed out, nothing half-written) rather than a gateway's 503 while the tool runs on.
pub const MAX_TIMEOUT_SECS: u32 = 25;

/// Orchestrators: several sequential round trips (reads, then a composite write; checkout adds
/// Stripe and its refund saga), so the whole budget; twice a skill's CPU for the parallel reads
/// and the records they parse.
const ORCHESTRATOR: Deployment = Deployment {
    memory_mb: 512,
    timeout_secs: MAX_TIMEOUT_SECS,
    stripe: false,
    texts: false,
};

/// Atomic skills and the web app's searches: one backend call (two on a cold container, with the
/// OAuth token), each capped at 10 s by its connector: 15 s lets a slow call finish and a quick
/// failure be retried, and a hung backend costs less.
const SKILL: Deployment = Deployment {
    memory_mb: 256,
    timeout_secs: 15,
    stripe: false,
    texts: false,
};

impl Deployment {
    const fn with_stripe(self) -> Self {
        Deployment { stripe: true, ..self }
    }

    const fn texting(self) -> Self {
        Deployment { texts: true, ..self }
    }
}

/// Tool name → what its function needs.
pub const TABLE: &[(&str, Deployment)] = &[
    // Orchestrators.
    ("check_in_guest", ORCHESTRATOR.texting()),
    ("process_guest_checkout", ORCHESTRATOR.with_stripe()),
    ("compensate_checkout_failure", ORCHESTRATOR.with_stripe()),
    ("get_stay_folio", ORCHESTRATOR),
    ("create_booking_orchestrator", ORCHESTRATOR),
    ("manage_booking_orchestrator", ORCHESTRATOR),
    ("manage_cases_orchestrator", ORCHESTRATOR),
    ("submit_guest_service_request", ORCHESTRATOR),
    ("submit_maintenance_request", ORCHESTRATOR.texting()),
    ("upsert_contact_by_email", ORCHESTRATOR),
    ("search_rooms_on_behalf_of_guest", ORCHESTRATOR),
    ("search_rooms_on_behalf_of_staff", ORCHESTRATOR),
    ("search_cases_on_behalf_of_guest", ORCHESTRATOR),
    ("search_cases_on_behalf_of_staff", ORCHESTRATOR),
    // The web app's search endpoints.
    ("search_rooms", SKILL),
    ("search_cases", SKILL),
    ("search_contacts", SKILL),
    // Salesforce atomic skills.
    ("search_contact_by_email", SKILL),
    ("create_contact", SKILL),
    ("upsert_contact", SKILL),
    ("create_opportunity", SKILL),
    ("search_booking_by_contact_and_date", SKILL),
    ("search_booking_by_external_id", SKILL),
    ("search_bookings_by_room_and_dates", SKILL),
    ("search_room_by_number", SKILL),
    ("search_case_by_token", SKILL),
    ("update_booking_status", SKILL),
    ("update_room_status", SKILL),
    ("update_opportunity_stage", SKILL),
    ("update_case_status", SKILL),
    ("upsert_booking", SKILL),
    ("upsert_case", SKILL),
    // Stripe atomic skills.
    ("create_stripe_customer", SKILL.with_stripe()),
    ("create_stripe_payment_intent", SKILL.with_stripe()),
    ("confirm_stripe_payment", SKILL.with_stripe()),
    ("retrieve_stripe_payment_status", SKILL.with_stripe()),
    ("stripe_payment_status", SKILL.with_stripe()),
    ("create_stripe_refund", SKILL.with_stripe()),
];

/// What the function of the tool `name` needs, or `None` for a name missing from [`TABLE`].
pub const fn of(name: &str) -> Option<Deployment> {
    let mut i = 0;
    while i < TABLE.len() {
        if crate::personas::same(TABLE[i].0, name) {
            return Some(TABLE[i].1);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TOOLS;

    /// The table and the registry name the same tools, once each.
    #[test]
    fn every_registered_tool_has_one_deployment() {
        let mut registered: Vec<&str> = TOOLS.iter().map(|t| t.spec().name).collect();
        let mut tabled: Vec<&str> = TABLE.iter().map(|(name, _)| *name).collect();
        registered.sort();
        tabled.sort();
        let count = tabled.len();
        tabled.dedup();
        assert_eq!(tabled.len(), count, "a tool is in the deployment table twice");
        assert_eq!(registered, tabled);
        for tool in TOOLS {
            assert!(of(tool.spec().name).is_some(), "{}", tool.spec().name);
        }
        assert_eq!(of("no_such_tool"), None);
        assert_eq!(of("check_in_gues"), None);
    }

    /// Every timeout ends before the gateways give up; memory is within Lambda's range.
    #[test]
    fn timeouts_and_memory_are_within_bounds() {
        for (name, deployment) in TABLE {
            assert!(
                (3..=MAX_TIMEOUT_SECS).contains(&deployment.timeout_secs),
                "{name}"
            );
            assert!((128..=10_240).contains(&deployment.memory_mb), "{name}");
        }
    }

    /// Only tools that change something text: a read-only tool runs without the idempotency
    /// table, whose operation key is what makes a text go out once.
    #[test]
    fn texting_tools_are_writes() {
        for tool in TOOLS {
            let spec = tool.spec();
            if of(spec.name).is_some_and(|d| d.texts) {
                assert!(!spec.annotations.read_only, "{}", spec.name);
            }
        }
    }
}
