//! Who may call which tool: the three sets a tool's spec chooses from (`personas: GUEST_AND_STAFF`).
//! The table of every tool and its personas is generated from the specs into docs/tools.md
//! (docs/personas.md says what each persona is).
//!
//! - **Guests** get the guest orchestrators and the atomic skills a guest needs to help themselves
//!   (their own contact, bookings and cases), always scoped to the email in their token.
//! - **Staff** get the staff orchestrators and the Salesforce atomic skills.
//! - **Managers** are staff (their token's `manager` group implies `staff`) and also get the
//!   money-moving tools: compensation and the Stripe atomic skills.

use dewy_tool::Persona;

/// A guest (their own records) and staff.
pub const GUEST_AND_STAFF: &[Persona] = &[Persona::Guest, Persona::Staff];
/// Staff (managers included).
pub const STAFF: &[Persona] = &[Persona::Staff];
/// Managers only: the tools that move money.
pub const MANAGER: &[Persona] = &[Persona::Manager];
