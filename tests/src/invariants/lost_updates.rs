//! No lost update: every change of a guarded status (booking, room, opportunity, case) was decided
//! on the status the record had when it was applied. Read from the org's field history of those
//! fields, where each change keeps the status before it and the guard its write sent (the status
//! its writer had read). A change decided on another status than the one it replaced overwrote a
//! change its writer never saw; a change sent without a guard was decided on no read at all.

use dewy_domain::guard;
use dewy_salesforce_sandbox::Sandbox;

/// One line per change that was not decided on the status it replaced.
pub fn lost_updates(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .status_history()
        .iter()
        .filter_map(|change| {
            let what = format!(
                "{} {} {}: '{}' -> '{}'",
                change.object, change.record_id, change.field, change.old_value, change.new_value
            );
            match change.guard.as_deref().map(guard::expected) {
                Some(Some(read)) if read.status == change.old_value => None,
                Some(Some(read)) => Some(format!(
                    "lost update: {what} was decided on '{}', a status it had no longer",
                    read.status
                )),
                Some(None) | None => Some(format!("status changed without a guard: {what}")),
            }
        })
        .collect()
}
