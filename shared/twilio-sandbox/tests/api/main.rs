//! The sandbox over HTTP, with a plain client: the wire format the connector relies on.

mod admin;
mod common;
mod messages;
