//! The connector against the in-process Salesforce sandbox (one test binary, so it links once).

mod auth;
mod common;
mod composite;
mod errors;
mod query;
mod records;
mod resilience;
mod soql_property;
mod timing;
