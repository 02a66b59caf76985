//! The hotel's domain, with no I/O: what the tools know about Salesforce's objects and the rules
//! between them.
//!
//! # Layout
//! - [`objects`]: object and field API names and picklists.
//! - [`state`]: which status transitions the booking, room, opportunity and case allow.
//! - [`error`]: the error codes and HTTP statuses every tool answers with.
//! - [`input`]: input types that parse rather than validate (email, date, room number, tokens).

pub mod error;
pub mod guard;
pub mod input;
pub mod objects;
pub mod picklist;
pub mod state;

pub use error::{ErrorBody, ErrorCode, ToolError};
pub use picklist::Picklist;
