//! `/__sandbox/*`: the knobs over HTTP, for the standalone binary and cross-process benchmarks.
//! These requests are not counted and get no latency or faults.
//!
//! The kit's routes (stats, latency, faults, reset-stats), plus Salesforce's own: expiring every
//! session and forcing the query page size.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use bytes::Bytes;
use dewy_sandbox_kit::{Api, Controls, admin_routes, parse_json_body};
use serde::Deserialize;

use crate::server::SalesforceApi;
use crate::state::{Shared, lock};

pub(super) fn routes(controls: &Arc<Controls>) -> Router<Arc<Shared>> {
    admin_routes(controls)
        .route("/__sandbox/expire-sessions", post(expire_sessions))
        .route("/__sandbox/query-batch-size", post(set_batch_size))
}

async fn expire_sessions(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.sessions).expire_all();
    SalesforceApi.ok()
}

#[derive(Deserialize)]
struct BatchBody {
    size: Option<usize>,
}

async fn set_batch_size(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match parse_json_body::<BatchBody>(&body) {
        Ok(b) => {
            *lock(&shared.query_batch_size) = b.size.filter(|n| *n > 0);
            SalesforceApi.ok()
        }
        Err(e) => SalesforceApi.bad_request(e),
    }
}
