//! Booking orchestrators: create a booking, change a booking (docs/tools.md#bookings).
//!
//! # Layout
//! - [`create_booking`]: `create_booking_orchestrator` (input, checks, one Composite write);
//! - [`manage_booking`]: `manage_booking_orchestrator` (what may change in which status, one write);
//! - `records`: the rooms, bookings and clashing stays both read;
//! - `room_lease`: one booking write per room at a time (no room-night booked twice);
//! - `checks`: the rules a stay must satisfy before anything is written;
//! - `input`: blank required fields and text a Composite request cannot carry;
//! - `output`: the booking as both answer with it.

pub mod create_booking;
pub mod manage_booking;

pub(crate) mod checks;
mod input;
mod output;
pub(crate) mod records;
pub(crate) mod room_lease;

pub use create_booking::CreateBookingOrchestrator;
pub use manage_booking::ManageBookingOrchestrator;
pub use output::BookingView;
