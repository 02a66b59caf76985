//! The Salesforce atomic skills: single backend operations an agent composes for
//! the cases the orchestrators do not cover, such as a guest with no Contact who asks for towels
//! (`create_contact`, then `upsert_case`).
//!
//! Unlike the original's atomics, which never raised, a skill that cannot do its job says why:
//! bad input is a 400 naming the field before anything is sent, a write to a record that does not
//! exist is that record's not-found code, and a Salesforce failure is an error naming Salesforce.
//! Only a search that finds nothing succeeds, with `found: false`.
//!
//! # Layout
//! - one module per skill (`create_contact` and `upsert_contact` are one implementation under two
//!   names, in [`contact_upsert`]);
//! - [`views`]: how a booking, room, contact or case is read and shown, shared by every skill;
//! - `sf`: the Salesforce calls, with the failure mapping in one place;
//! - `references`: records named by id, checked before a write;
//! - `ownership`: proof that a guest's `contact_id` is their own;
//! - `status_change`: status updates through the domain's state machines.

pub mod contact_upsert;
pub mod create_opportunity;
pub mod search_booking_by_contact_and_date;
pub mod search_booking_by_external_id;
pub mod search_bookings_by_room_and_dates;
pub mod search_case_by_token;
pub mod search_contact_by_email;
pub mod search_room_by_number;
pub mod update_booking_status;
pub mod update_case_status;
pub mod update_opportunity_stage;
pub mod update_room_status;
pub mod upsert_booking;
pub mod upsert_case;
pub mod views;

mod ownership;
mod references;
pub(crate) mod sf;
mod status_change;

use dewy_tool::{Effect, KeyFrom, ToolSpec};

/// The spec the staff-only searches share; each sets its name, personas and description over it.
pub(crate) const STAFF_SEARCH: ToolSpec = ToolSpec {
    name: "",
    description: "",
    personas: &[],
    deployment: crate::deployment::SKILL,
    effect: Effect::ReadOnly,
    open_world: false,
    alias_of: None,
    guest_scope: None,
};

/// The spec the staff-only updates and upserts share; each sets its name, personas, description
/// and idempotency key over it.
const STAFF_OVERWRITE: ToolSpec = ToolSpec {
    name: "",
    description: "",
    personas: &[],
    deployment: crate::deployment::SKILL,
    effect: Effect::overwrites(KeyFrom::Input),
    open_world: false,
    alias_of: None,
    guest_scope: None,
};
