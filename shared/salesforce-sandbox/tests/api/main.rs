//! The sandbox over HTTP, as a Salesforce client sees it.

// Helpers outside `#[test]` functions panic on purpose: a failed step fails the test.
#![allow(clippy::unwrap_used)]

mod auth;
mod common;
mod composite;
mod faults;
mod query;
mod seed;
mod sobjects;
