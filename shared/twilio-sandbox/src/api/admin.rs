//! `/__sandbox/*`: the knobs over HTTP, for the standalone binary and cross-process benchmarks.
//! These requests need no credentials, are not counted and get no latency or faults.
//!
//! The kit's routes (stats, latency, faults, reset-stats, the same as the other sandboxes'), plus
//! Twilio's own: resetting everything and listing the stored messages.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use dewy_sandbox_kit::{Api, Controls, admin_routes};
use serde_json::{Value, json};

use super::json_response;
use crate::server::TwilioApi;
use crate::state::{Shared, lock};
use crate::store::render;

pub(super) fn routes(controls: &Arc<Controls>) -> Router<Arc<Shared>> {
    admin_routes(controls)
        .route("/__sandbox/reset", post(reset))
        .route("/__sandbox/messages", get(messages))
}

/// Forgets every message, the request log, the faults and the latency.
async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    crate::sandbox::reset(&shared);
    TwilioApi.ok()
}

/// The stored messages, bodies included (this is a test double: nothing here is a real guest's).
async fn messages(State(shared): State<Arc<Shared>>) -> Response {
    let store = lock(&shared.store);
    let messages: Vec<Value> = store
        .all()
        .iter()
        .map(|m| render(m, &shared.config.account_sid))
        .collect();
    json_response(200, &json!({"messages": messages}))
}
