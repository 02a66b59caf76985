//! The Salesforce REST connector: OAuth, SOQL (through one escaping builder), sObjects, upsert and
//! the Composite API.
//!
//! # Layout
//! - [`Salesforce`] (`client`): the client, built once per container, scoped per invocation with a
//!   [`CallRecorder`](dewy_connector::CallRecorder) and a [`Deadline`](dewy_connector::Deadline).
//! - `auth`: the access token, obtained lazily, shared by all clones, renewed single-flight when
//!   Salesforce answers `INVALID_SESSION_ID`.
//! - `query` and `sobject`: SOQL queries (with pagination) and single-record operations.
//! - [`composite`]: the Composite API (up to 25 subrequests in one call, optionally all-or-none).
//! - [`soql`]: the builder that is the only way SOQL is written; user input only ever becomes escaped
//!   literals.
//! - [`SalesforceError`] (`error`): Salesforce's error bodies decoded, and transport failures.
//! - `path`: record ids and external id values checked and encoded before they reach a URL.

mod auth;
mod client;
pub mod composite;
mod config;
mod error;
mod path;
mod query;
mod sobject;
pub mod soql;

pub use client::Salesforce;
pub use composite::{CompositeRequest, CompositeSubresponse, RecordKey, Reference};
pub use config::{Credentials, SalesforceConfig};
pub use error::{ApiError, CompositeFailure, PROCESSING_HALTED, SalesforceError, UNEXPECTED_RESPONSE};
pub use path::validate_id;
pub use query::QueryPage;
pub use sobject::UpsertResult;
