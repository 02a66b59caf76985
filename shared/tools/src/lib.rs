//! The hotel's tools, each defined once on [`dewy_tool::Tool`], and the registry every transport
//! derives its routes and listings from.
//!
//! # Layout
//! - one module per tool (`check_in_guest`), holding its input, output, spec and handler;
//! - [`skills`]: the Salesforce atomic skills, one module each, and what they share;
//! - [`record`]: typed reads of Salesforce records by the domain's field names;
//! - `stay`: a guest's stay (booking, room, opportunity) as check-in and checkout both read it;
//! - [`registry`]: the list of all tools. Adding a tool = one module + one line there.

pub mod bookings;
pub mod cases;
pub mod check_in_guest;
pub mod checkout;
pub mod deployment;
pub mod notify;
pub mod payments;
pub mod personas;
pub mod record;
pub mod registry;
pub mod room_controls;
pub mod searches;
pub mod skills;
mod stay;

pub use registry::{TOOLS, find};
