//! A Twilio sandbox: an HTTP server speaking the part of the Twilio API the connector uses (the
//! Messages resource), with Twilio's form-encoded requests, JSON answers, status codes and error
//! bodies (`{code, message, more_info, status}`).
//!
//! Used in-process by tests and the local stack ([`TwilioSandbox::start`] on an ephemeral port) and
//! standalone as the `twilio-sandbox` binary. Nothing is ever texted.
//!
//! # What it serves
//! - `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`: `To`, `From` or `MessagingServiceSid`,
//!   `Body`, `StatusCallback`; answers 201 with the message, status `queued` (`accepted` through the
//!   Messaging Service, with `from` null, as Twilio does).
//! - `GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json`: the message as stored now.
//! - `/__sandbox/*`: the knobs over HTTP (stats, latency, faults, reset, messages).
//!
//! # Rules, as Twilio's
//! - Basic auth with the configured account SID and auth token, or API key SID and secret; the
//!   account in the path must be the configured one. Otherwise 401, code 20003.
//! - `To` is required (21604) and must be E.164 (21211). `From` must be the account's number
//!   (21606; malformed 21212), or `MessagingServiceSid` the account's service (21701; malformed
//!   21705); neither is 21603. `Body` is required (21602), at most 1600 characters (21617).
//!   `StatusCallback` must be an http(s) URL (21609); it is stored, never called.
//! - Twilio's magic test recipients: `+15005550001` invalid (21211), `+15005550002` unreachable
//!   (21612), `+15005550003` region not enabled (21408), `+15005550004` unsubscribed (21610),
//!   `+15005550009` not SMS-capable (21614). Every other valid number is accepted.
//! - Message SIDs are `SM` and 32 hex digits. With [`TwilioSandboxConfig::deliver`] (the default)
//!   a message is marked `delivered` right after its create answer, so reads see `delivered`;
//!   without it, messages keep their created status.
//!
//! # Example
//! ```no_run
//! use dewy_twilio_sandbox::{Fault, FaultRule, TwilioSandbox, TwilioSandboxConfig};
//!
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = TwilioSandbox::start(TwilioSandboxConfig::default()).await?;
//! let base = sandbox.base_url();
//! sandbox.add_fault(FaultRule::new(Fault::ServerError).path("/Messages.json").times(1));
//! // … send through the connector pointed at `base` …
//! let sent = sandbox.messages();
//! # let _ = (base, sent);
//! # Ok(())
//! # }
//! ```
//!
//! # Knobs
//! Latency ([`Latency`]), fault rules ([`FaultRule`]: 500, 429 with `Retry-After`, a hang, a
//! dropped connection; before or after the message is stored; by path, method, rate and count), a
//! request log ([`LoggedRequest`]), counters, [`TwilioSandbox::reset`], and the stored messages
//! ([`TwilioSandbox::messages`]), all on [`TwilioSandbox`]. The latency, the fault rules and the
//! request log are the sandbox kit's (`dewy-sandbox-kit`), shared with the Salesforce and Stripe
//! sandboxes.
//!
//! # Layout
//! - `api`: the HTTP routes (`messages`, `auth`, `admin`); `server`: Twilio's wording of the kit's
//!   answers (admin JSON, the injected 500 and 429). The accept loop, latency, faults, the request
//!   log and the common admin routes are the kit's.
//! - `validate`: Twilio's checks on a create request, as plain functions; `segments`: SMS segment counting.
//! - `store`: the messages and their JSON form; `error`: Twilio's error bodies.
//! - `config`, `state`, `sandbox`: the configuration, the shared state, the handle.

mod api;
mod config;
mod error;
mod sandbox;
mod segments;
mod server;
mod state;
mod store;
mod validate;

pub use config::TwilioSandboxConfig;
pub use dewy_sandbox_kit::{Fault, FaultPhase, FaultRule, Latency, LoggedRequest};
pub use sandbox::TwilioSandbox;
pub use store::{MessageStatus, SentMessage};
