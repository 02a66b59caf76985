//! Who may call which tool: the sets a tool's spec chooses from (`personas: GUEST_AND_FRONT_DESK`),
//! one per group of jobs. Each MCP endpoint serves one job and lists the tools that job may call,
//! so these sets also decide what each agent carries. The table of every tool and its personas is
//! generated from the specs into docs/tools.md (docs/personas.md says what each persona is).
//!
//! - **Guests** get the guest orchestrators, their room's controls, and the two skills that file a
//!   request for a guest without a Contact; always scoped to the email in their token.
//! - **Front desk** (`staff`) get check-in and checkout, bookings, contacts and guests' requests.
//! - **Housekeeping** and **maintenance** share rooms and cases; maintenance also files repairs and
//!   runs the rooms' devices.
//! - **Managers** hold every staff job (their token's `manager` group implies them) and also get
//!   the money-moving tools.

use dewy_tool::Persona;
use dewy_tool::Persona::{Guest, Housekeeping, Maintenance, Manager, Staff};

/// A guest, on their own records only (staff have their own version of the tool).
pub const GUEST: &[Persona] = &[Guest];
/// A guest (their own records) and the front desk.
pub const GUEST_AND_FRONT_DESK: &[Persona] = &[Guest, Staff];
/// A guest (their own stay) and the front desk and managers, who settle bills.
pub const GUEST_FRONT_DESK_AND_MANAGER: &[Persona] = &[Guest, Staff, Manager];
/// The front desk (managers included).
pub const FRONT_DESK: &[Persona] = &[Staff];
/// Everyone on staff who looks after rooms and cases: front desk, housekeeping, maintenance.
pub const ROOMS_AND_CASES_STAFF: &[Persona] = &[Staff, Housekeeping, Maintenance];
/// Housekeeping and maintenance, who work through rooms and cases.
pub const HOUSEKEEPING_AND_MAINTENANCE: &[Persona] = &[Housekeeping, Maintenance];
/// A guest (their own request) and housekeeping and maintenance, who file cases.
pub const GUEST_HOUSEKEEPING_AND_MAINTENANCE: &[Persona] = &[Guest, Housekeeping, Maintenance];
/// The front desk and maintenance (who must make sure a reporting manager has a Contact).
pub const FRONT_DESK_AND_MAINTENANCE: &[Persona] = &[Staff, Maintenance];
/// Maintenance (managers included).
pub const MAINTENANCE: &[Persona] = &[Maintenance];
/// A guest (their own room) and maintenance: the room controls.
pub const GUEST_AND_MAINTENANCE: &[Persona] = &[Guest, Maintenance];
/// Managers only: the tools that move money, and an opportunity's stage and payment.
pub const MANAGER: &[Persona] = &[Manager];
