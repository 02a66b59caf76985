//! The two kinds of function a tool's spec chooses from (`deployment: ORCHESTRATOR`, or `SKILL`,
//! `.with_stripe()` or `.texting()` where it needs to): memory, timeout, and which backends beyond
//! Salesforce it reaches. `template.yaml`'s tool functions are generated from the specs
//! (`tests/tests/suite/template.rs`), so the deployed permissions follow the code.
//!
//! - **Stripe**: the tools that call `ctx.stripe()` (`checkout/`, `payments/`) hold the Stripe secret.
//! - **Texts**: the tools that queue SMS through [`crate::notify`] may send to the SMS queue. None
//!   holds Twilio credentials: the `sms_notifier` function sends the texts.
//! - **Timeout**: the Lambda handler gives the tool the invocation's remaining time as its deadline,
//!   so the timeout is the tool's budget for backend calls and retries.
//! - **Memory**: Lambda allots CPU in proportion to memory; a warm function uses a few tens of MB,
//!   so memory is chosen for CPU (TLS handshakes, JSON), not for space.

use dewy_tool::Deployment;

/// The longest timeout a tool may have. A tool answers through API Gateway (30 s integration limit)
/// or the MCP adapter (29 s per call), and a cold start runs before the timeout starts counting, so
/// the deadline ends a few seconds short of both: the caller then gets the tool's own error (which
/// backend timed out, nothing half-written) rather than a gateway's 503 while the tool runs on.
pub const MAX_TIMEOUT_SECS: u32 = 25;

/// Orchestrators: several sequential round trips (reads, then a composite write; checkout adds
/// Stripe and its refund saga), so the whole budget; twice a skill's CPU for the parallel reads
/// and the records they parse.
pub const ORCHESTRATOR: Deployment = Deployment {
    memory_mb: 512,
    timeout_secs: MAX_TIMEOUT_SECS,
    stripe: false,
    texts: false,
    home_assistant: false,
};

/// Atomic skills and the web app's searches: one backend call (two on a cold container, with the
/// OAuth token), each capped at 10 s by its connector: 15 s lets a slow call finish and a quick
/// failure be retried, and a hung backend costs less.
pub const SKILL: Deployment = Deployment {
    memory_mb: 256,
    timeout_secs: 15,
    stripe: false,
    texts: false,
    home_assistant: false,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TOOLS;

    /// Every timeout ends before the gateways give up; memory is within Lambda's range.
    #[test]
    fn timeouts_and_memory_are_within_bounds() {
        for tool in TOOLS {
            let (name, deployment) = (tool.spec().name, tool.spec().deployment);
            assert!(
                (3..=MAX_TIMEOUT_SECS).contains(&deployment.timeout_secs),
                "{name}"
            );
            assert!((128..=10_240).contains(&deployment.memory_mb), "{name}");
        }
    }

    /// The payment class of the rate limits is exactly the tools that charge or refund (and the
    /// Stripe writes they are made of); the payment-status reads are reads.
    #[test]
    fn the_payment_tools_are_the_stripe_writes() {
        use dewy_tool::RateClass;
        let of = |class| {
            let mut names: Vec<&str> = TOOLS
                .iter()
                .map(|t| t.spec())
                .filter(|spec| spec.rate_class() == class)
                .map(|spec| spec.name)
                .collect();
            names.sort_unstable();
            names
        };
        assert_eq!(
            of(RateClass::Payments),
            [
                "compensate_checkout_failure",
                "confirm_stripe_payment",
                "create_stripe_customer",
                "create_stripe_payment_intent",
                "create_stripe_refund",
                "process_guest_checkout",
            ]
        );
        let reads = of(RateClass::Reads);
        assert!(
            reads.contains(&"retrieve_stripe_payment_status") && reads.contains(&"stripe_payment_status")
        );
        assert!(reads.contains(&"get_stay_folio"));
        assert!(of(RateClass::Writes).contains(&"check_in_guest"));
    }

    /// Only tools that change something text: a read-only tool runs without the idempotency
    /// table, whose operation key is what makes a text go out once.
    #[test]
    fn texting_tools_are_writes() {
        for tool in TOOLS {
            let spec = tool.spec();
            if spec.deployment.texts {
                assert!(!spec.effect.is_read_only(), "{}", spec.name);
            }
        }
    }
}
