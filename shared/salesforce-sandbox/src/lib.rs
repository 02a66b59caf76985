//! A Salesforce sandbox: an HTTP server speaking the subset of the Salesforce REST API the
//! connector uses, with Salesforce's JSON shapes, status codes and error bodies, seeded with the
//! Dewy Resort's demo data.
//!
//! Used in-process by tests and the local stack ([`Sandbox::start`] on an ephemeral port) and
//! standalone as the `salesforce-sandbox` binary.
//!
//! # What it serves
//! - `POST /services/oauth2/token`: client-credentials and refresh-token grants.
//! - `GET /services/data/`: API versions; any `vNN.N` is accepted in paths.
//! - `GET .../query?q=` and `GET .../query/<cursor>-<offset>`: SOQL (see [`soql`]) with paging.
//! - `.../sobjects/{Type}[/{id}]`: create, read (`?fields=`), update, delete; upsert and read by
//!   external id (`.../sobjects/{Type}/{Field}/{value}`); `describe`.
//! - `POST .../composite`: up to 25 subrequests with `@{ref.path}` references and `allOrNone`.
//! - `/__sandbox/*`: the knobs over HTTP (stats, latency, faults, sessions, batch size).
//!
//! # Example
//! ```no_run
//! use dewy_salesforce_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! // Token URL: {base}/services/oauth2/token with the config's client id and secret.
//! let base = sandbox.base_url();
//! sandbox.add_fault(FaultRule::new(Fault::RateLimited).path("/composite").times(1));
//! let vacant = sandbox.query("SELECT Room_Number__c FROM Hotel_Room__c WHERE Status__c = 'Vacant'")?;
//! # let _ = (base, vacant);
//! # Ok(())
//! # }
//! ```
//!
//! # Knobs
//! Latency ([`Latency`]), fault rules ([`FaultRule`]: 500, 429, timeout, dropped connection,
//! before or after the write), a request log ([`LoggedRequest`]), session expiry and the query
//! page size, all on [`Sandbox`]. All but the last two are the sandbox kit's (`dewy-sandbox-kit`),
//! shared with the Stripe and Twilio sandboxes.
//!
//! # Layout
//! - [`soql`]: the SOQL parser (public) and evaluator.
//! - `schema`: the org's objects and fields, picklists from `dewy-domain`.
//! - `store`: the records, write validation, rendering.
//! - `seed`: the demo data, dated relative to [`SandboxConfig::today`].
//! - `api`: the HTTP routes; `auth`: the token endpoint; `server`: Salesforce's wording of the
//!   kit's answers (admin JSON, the injected 500 and 429). The accept loop, latency, faults, the
//!   request log and the common admin routes are the kit's.

mod api;
mod auth;
mod config;
mod error;
mod ids;
mod sandbox;
mod schema;
mod seed;
mod server;
pub mod soql;
mod state;
mod store;
#[cfg(test)]
mod test_support;

pub use config::SandboxConfig;
pub use dewy_sandbox_kit::{Fault, FaultPhase, FaultRule, Latency, LoggedRequest};
pub use error::SandboxError;
pub use sandbox::Sandbox;
pub use store::StatusChange;
