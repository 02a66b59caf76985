//! `/v1/customers`: create, list (with the `email` filter), retrieve.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use bytes::Bytes;
use http::HeaderMap;
use serde_json::{Value, json};

use super::{get, post};
use crate::error::SandboxError;
use crate::state::Shared;
use crate::store::NewCustomer;
use crate::store::render::render_customer;

/// `POST /v1/customers`.
pub(super) async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    post(shared, &headers, "/v1/customers", &body, |store, params| {
        params.allow(&["email", "name", "phone", "description", "metadata", "expand"])?;
        params.expand(&[])?;
        let customer = store.create_customer(NewCustomer {
            email: params.text("email")?,
            name: params.text("name")?,
            phone: params.text("phone")?,
            description: params.text("description")?,
            metadata: params.metadata()?,
        });
        Ok(render_customer(&customer))
    })
    .await
}

/// `GET /v1/customers?email=...&limit=...`: newest first, Stripe's list shape.
pub(super) async fn list(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    get(shared, &headers, query.as_deref(), |store, params| {
        params.allow(&["email", "limit", "expand"])?;
        params.expand(&[])?;
        let limit = params.limit()?;
        let email = params.text("email")?;
        let (page, has_more) = store.list_customers(email.as_deref(), limit);
        let data: Vec<Value> = page.into_iter().map(render_customer).collect();
        Ok(json!({"object": "list", "data": data, "has_more": has_more, "url": "/v1/customers"}))
    })
    .await
}

/// `GET /v1/customers/{id}`.
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
            .customer(&id)
            .map(render_customer)
            .ok_or_else(|| SandboxError::no_such(404, "customer", &id, "id"))
    })
    .await
}
