//! The tool definition.
//!
//! A tool is defined **once**: a [`ToolSpec`] (name, description, personas, effect), typed input
//! and output (serde + schemars, so JSON Schemas come from the types) and an async handler that sees
//! only typed input and a [`Context`] (the caller, the connectors, the deadline, the call recorder).
//! Transports never reach the handler: the Lambda handler, the local REST route and the MCP listing
//! all go through [`DynTool::invoke`], which authorizes, scopes guests to their own records, parses
//! the input and maps every failure to the one error body.
//!
//! # Layout
//! - [`spec`]: the static description of a tool: personas, effect (read-only, or a write and its idempotency key) and deployment.
//! - [`caller`]: who is calling (from a verified token), and their personas.
//! - [`context`]: the per-invocation context and the per-container backends it is made from.
//! - [`dispatch`]: the `Tool` trait, its type-erased form, and the shared invoke path.
//! - [`idempotent`]: the idempotency layer every side-effecting call goes through.
//! - [`lease`]: leases on business objects, the invariants no idempotency key covers.
//! - [`auth`]: the authentication hook transports call with the `Authorization` header.
//! - [`backend_error`]: how connector failures become tool errors naming the backend.
//! - [`audit`]: the audit trail of each invocation: decisions and state transitions.
//! - [`rate`]: the per-user rate limits every transport checks once per call, before the tool runs.
//! - [`next_step`]: the calls an error suggests instead, valid for the caller as they stand.
//! - [`trace`]: the caller's W3C trace context, named on every log line, audit event and metrics
//!   record of a call.

mod answer;
pub mod audit;
pub mod auth;
pub mod backend_error;
pub mod caller;
pub mod confirm;
pub mod context;
pub mod dispatch;
pub mod guard;
pub mod idempotent;
pub mod lease;
pub mod metrics;
pub mod next_step;
pub mod rate;
pub mod sample;
pub mod spec;
pub mod trace;

pub use answer::Answer;
pub use audit::{AuditEvent, AuditTrail, StatusField, Verdict};
pub use auth::{AuthFailure, Authenticate};
pub use caller::{Caller, Persona};
pub use confirm::{Confirmation, MoneyMove};
pub use context::{Backends, Context, Sms};
pub use dewy_domain::{ErrorBody, ErrorCode, ToolError};
pub use dispatch::{CallMeta, DynTool, Invocation, Tool, created_status};
pub use lease::HeldLease;
pub use next_step::NextStep;
pub use rate::{RateClass, RateLimiter, RateLimits};
pub use sample::Sample;
pub use spec::{Annotations, Deployment, Effect, GuestScope, KeyFrom, ToolSpec, Write};
pub use trace::TraceContext;
