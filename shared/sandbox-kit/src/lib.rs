//! What the backend sandboxes (Salesforce, Stripe, Twilio) share: the latency and fault knobs, the
//! request log, the server that applies them, the `/__sandbox/*` admin routes, the public handle's
//! knob methods and the standalone binaries' command line.
//!
//! A sandbox brings only what is its API's own: its axum router and state, and an [`Api`] saying how
//! its API words a JSON answer, a 500 and a 429, where it spends its latency and whether it has
//! idempotency keys.
//!
//! # Wiring a sandbox
//! ```no_run
//! use std::sync::Arc;
//! use axum::{Router, response::Response};
//! use dewy_sandbox_kit::{Api, Controls, FaultRule, Listener, Server, admin_routes};
//! use http::HeaderMap;
//! use serde_json::{Value, json};
//!
//! #[derive(Debug)]
//! struct MyApi;
//!
//! impl Api for MyApi {
//!     fn json(&self, status: u16, body: &Value) -> Response {
//!         let mut response = Response::new(body.to_string().into());
//!         *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
//!         response
//!     }
//!     fn server_error(&self, _: &FaultRule, _: &HeaderMap) -> Response {
//!         self.json(500, &json!({"error": "internal"}))
//!     }
//!     fn rate_limited(&self, _: &FaultRule, _: &HeaderMap) -> Response {
//!         self.json(429, &json!({"error": "slow down"}))
//!     }
//! }
//!
//! /// The sandbox's handle.
//! #[derive(Debug)]
//! pub struct MySandbox {
//!     server: Server,
//! }
//!
//! /// Its configuration.
//! #[derive(Debug, Default)]
//! pub struct MyConfig;
//!
//! // `start`, the knob methods, the request log, `shutdown`.
//! dewy_sandbox_kit::sandbox_handle!(MySandbox, server, MyConfig);
//!
//! impl MySandbox {
//!     pub async fn start_on(addr: std::net::SocketAddr, _: MyConfig) -> std::io::Result<MySandbox> {
//!         let listener = Listener::bind(addr).await?;
//!         let controls = Arc::new(Controls::new(MyApi));
//!         let router = Router::new()
//!             .route("/v1/things", axum::routing::get(|| async { "[]" }))
//!             .merge(admin_routes(&controls));
//!         Ok(MySandbox { server: listener.serve(controls, router) })
//!     }
//! }
//! ```
//!
//! # Layout
//! - `knobs`: [`Latency`], [`Fault`], [`FaultPhase`], [`FaultRule`] and how a rule is picked.
//! - `log`: [`LoggedRequest`] and the request counter.
//! - `controls`: [`Controls`], one sandbox's knobs, log, [`Api`] and shutdown signal; [`lock`].
//! - `api`: the [`Api`] trait.
//! - `server`: [`Listener`], [`Server`], the accept loop and the fault injection.
//! - `admin`: [`admin_routes`] and [`parse_json_body`].
//! - `handle`: [`Handle`] and [`sandbox_handle!`].
//! - [`cli`]: the standalone binaries' command line.

mod admin;
mod api;
pub mod cli;
mod controls;
mod handle;
mod knobs;
mod log;
mod server;

pub use admin::{admin_routes, parse_json_body};
pub use api::Api;
pub use controls::{Controls, lock};
pub use handle::Handle;
pub use knobs::{Fault, FaultPhase, FaultRule, Latency};
pub use log::LoggedRequest;
pub use server::{Listener, Server};
