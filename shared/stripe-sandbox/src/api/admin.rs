//! `/__sandbox/*`: the knobs over HTTP, for the standalone binary and cross-process benchmarks.
//! These requests need no key, are not counted, and get no latency or faults.
//!
//! The kit's routes (stats with each request's idempotency key and replay, latency, faults,
//! reset-stats), plus Stripe's own: resetting everything and completing 3-D Secure.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use bytes::Bytes;
use dewy_sandbox_kit::{Api, Controls, admin_routes, parse_json_body};
use serde::Deserialize;

use crate::sandbox::reset_all;
use crate::server::StripeApi;
use crate::state::{Shared, lock};

pub(super) fn routes(controls: &Arc<Controls>) -> Router<Arc<Shared>> {
    admin_routes(controls)
        .route("/__sandbox/reset", post(reset))
        .route("/__sandbox/payment_intents/{id}/authenticate", post(authenticate))
}

async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    reset_all(&shared);
    StripeApi.ok()
}

#[derive(Deserialize)]
struct AuthenticateBody {
    #[serde(default = "yes")]
    approve: bool,
}

fn yes() -> bool {
    true
}

/// Completes (`{"approve": true}`, the default) or fails the 3-D Secure step of a PaymentIntent in
/// `requires_action`, standing in for the customer's browser.
async fn authenticate(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let body: AuthenticateBody = match parse_json_body(&body) {
        Ok(b) => b,
        Err(e) => return StripeApi.bad_request(e),
    };
    let mut store = lock(&shared.store);
    match store.authenticate(&id, body.approve) {
        Ok(()) => match store.payment_intent(&id) {
            Some(intent) => StripeApi.json(200, &store.render_payment_intent(intent, false)),
            None => StripeApi.ok(),
        },
        Err(e) => StripeApi.json(e.status, &e.body()),
    }
}
