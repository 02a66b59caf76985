//! `/v1/refunds`: create (for a PaymentIntent), retrieve.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use bytes::Bytes;
use http::HeaderMap;

use super::{get, post};
use crate::error::SandboxError;
use crate::state::Shared;
use crate::store::NewRefund;
use crate::store::render::render_refund;

/// `POST /v1/refunds`.
pub(super) async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    post(shared, &headers, "/v1/refunds", &body, |store, params| {
        params.allow(&["payment_intent", "amount", "reason", "metadata", "expand"])?;
        params.expand(&[])?;
        let refund = store.create_refund(NewRefund {
            payment_intent: params.required_text("payment_intent")?,
            amount: params.integer("amount")?,
            reason: params.text("reason")?,
            metadata: params.metadata()?,
        })?;
        Ok(render_refund(&refund))
    })
    .await
}

/// `GET /v1/refunds/{id}`.
pub(super) async fn retrieve(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    get(shared, &headers, query.as_deref(), |store, params| {
        params.allow(&["expand"])?;
        params.expand(&[])?;
        store
            .refund(&id)
            .map(render_refund)
            .ok_or_else(|| SandboxError::no_such(404, "refund", &id, "id"))
    })
    .await
}
