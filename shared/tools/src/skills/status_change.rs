//! The one way the update skills change a status: the domain's state machine decides first, a
//! write is sent only when something would change, and Salesforce applies it only if the record
//! still has the status it was decided on (the status guard: `409 CONCURRENT_UPDATE` otherwise).

use super::sf;
use dewy_domain::ToolError;
use dewy_domain::state::{StateMachine, Transition, transition};
use dewy_tool::guard::guarded;
use dewy_tool::{Context, StatusField};
use serde_json::Value;

/// Moves record `id` of `object` from status `from` to `to`, writing `body` (the new status and
/// the fields that go with it).
///
/// An illegal move is the state machine's `409 INVALID_STATE_TRANSITION`, and nothing is written.
/// When the status stays the same and `other_changes` is false there is nothing to write either,
/// which keeps a repeated call harmless. Returns whether a write was made.
///
/// The state machine's verdict is a `transition_allowed` decision on the audit trail, and a status
/// change is a transition there once written.
pub(crate) async fn apply<S: StateMachine + StatusField>(
    ctx: &Context,
    object: &str,
    id: &str,
    (from, to): (S, S),
    other_changes: bool,
    body: &Value,
) -> Result<bool, ToolError> {
    let change = ctx
        .audit()
        .check_on("transition_allowed", id, transition(from, to))?;
    let write = change == Transition::Change || other_changes;
    if write {
        // Applied only if the record still has the status this decision was made on.
        sf::update(ctx, object, id, &guarded(body.clone(), from)).await?;
        ctx.audit().transition(id, from, to);
    }
    Ok(write)
}
