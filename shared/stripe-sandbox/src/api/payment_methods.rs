//! `/v1/payment_methods/{id}`: Stripe's test payment methods (`pm_card_visa`, ...) with their cards.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use http::HeaderMap;

use super::get;
use crate::error::SandboxError;
use crate::state::Shared;
use crate::store::render::render_payment_method;
use crate::store::test_cards;

/// `GET /v1/payment_methods/{id}`.
pub(super) async fn retrieve(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    get(shared, &headers, query.as_deref(), |_store, params| {
        params.allow(&["expand"])?;
        params.expand(&[])?;
        test_cards::card(&id)
            .map(|(brand, last4)| render_payment_method(&id, brand, last4))
            .ok_or_else(|| SandboxError::no_such(404, "payment_method", &id, "id"))
    })
    .await
}
