//! The MCP endpoints over real HTTP against a seeded Salesforce sandbox.

// Test code: `unwrap` is the clearest way to say "this must hold".
#![allow(clippy::unwrap_used)]

mod common;
mod http;
mod protocol;
