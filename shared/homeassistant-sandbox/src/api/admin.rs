//! `/__sandbox/*`: the knobs over HTTP, for the standalone binary and cross-process benchmarks.
//! These requests need no token, are not counted and get no latency or faults.
//!
//! The kit's routes (stats, latency, faults, reset-stats, the same as the other sandboxes'), plus
//! resetting everything, the devices back to their seeded states.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use dewy_sandbox_kit::{Api, Controls, admin_routes};

use crate::server::HomeAssistantApi;
use crate::state::Shared;

pub(super) fn routes(controls: &Arc<Controls>) -> Router<Arc<Shared>> {
    admin_routes(controls).route("/__sandbox/reset", post(reset))
}

/// Reseeds the devices and forgets the request log, the faults and the latency.
async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    crate::sandbox::reset(&shared);
    HomeAssistantApi.ok()
}
