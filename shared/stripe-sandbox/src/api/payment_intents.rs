//! `/v1/payment_intents`: create (optionally confirming), list, retrieve, confirm.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use bytes::Bytes;
use http::HeaderMap;
use serde_json::{Value, json};

use super::{Params, get, post};
use crate::error::SandboxError;
use crate::state::Shared;
use crate::store::{Confirmation, IntentFilter, NewPaymentIntent, Store};

/// The one expandable field the sandbox supports.
const EXPANDABLE: &[&str] = &["latest_charge"];

/// A PaymentIntent as the response renders it, honouring `expand[]=latest_charge`.
fn render(store: &Store, id: &str, params: &Params) -> Result<Value, SandboxError> {
    let expand = params.expand(EXPANDABLE)?;
    let intent = store
        .payment_intent(id)
        .ok_or_else(|| SandboxError::no_such(404, "payment_intent", id, "intent"))?;
    Ok(store.render_payment_intent(intent, expand.iter().any(|f| f == "latest_charge")))
}

/// `automatic_payment_methods[enabled|allow_redirects]` → (enabled, redirects allowed). Enabled by
/// default (API versions since 2023-08-16) unless `payment_method_types` are listed.
fn automatic_payment_methods(params: &Params) -> Result<(bool, bool), SandboxError> {
    let listed_types = params.has("payment_method_types");
    let Some(apm) = params.nested("automatic_payment_methods", &["enabled", "allow_redirects"])? else {
        return Ok((!listed_types, true));
    };
    let enabled = apm
        .boolean("enabled")?
        .ok_or_else(|| SandboxError::missing_param("automatic_payment_methods[enabled]"))?;
    let allow_redirects = match apm.text("allow_redirects")?.as_deref() {
        None | Some("always") => true,
        Some("never") => false,
        Some(other) => {
            return Err(SandboxError::invalid_value(
                "automatic_payment_methods[allow_redirects]",
                format!(
                    "Invalid automatic_payment_methods[allow_redirects]: must be one of always or never (got {other})"
                ),
            ));
        }
    };
    Ok((enabled, allow_redirects))
}

/// `POST /v1/payment_intents`.
pub(super) async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    post(shared, &headers, "/v1/payment_intents", &body, |store, params| {
        params.allow(&[
            "amount",
            "currency",
            "customer",
            "description",
            "metadata",
            "payment_method",
            "payment_method_types",
            "confirm",
            "return_url",
            "automatic_payment_methods",
            "expand",
        ])?;
        params.expand(EXPANDABLE)?;
        let amount = params
            .integer("amount")?
            .ok_or_else(|| SandboxError::missing_param("amount"))?;
        let currency = params.required_text("currency")?;
        let confirm = params.boolean("confirm")?.unwrap_or(false);
        let return_url = params.text("return_url")?;
        if return_url.is_some() && !confirm {
            return Err(SandboxError::invalid_value(
                "return_url",
                "You can only provide `return_url` if `confirm` is set to true.",
            ));
        }
        let (automatic, allow_redirects) = automatic_payment_methods(params)?;
        let created = store.create_payment_intent(NewPaymentIntent {
            amount,
            currency,
            customer: params.text("customer")?,
            description: params.text("description")?,
            metadata: params.metadata()?,
            payment_method: params.text("payment_method")?,
            confirm,
            return_url,
            automatic_payment_methods: automatic,
            allow_redirects,
        });
        let id = created?;
        render(store, &id, params)
    })
    .await
}

/// What a list may expand: each PaymentIntent's latest charge.
const LIST_EXPANDABLE: &[&str] = &["data.latest_charge"];

/// `GET /v1/payment_intents?created[gte]=...&customer=...&limit=...&starting_after=...`: newest
/// first, Stripe's list shape.
pub(super) async fn list(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    get(shared, &headers, query.as_deref(), |store, params| {
        params.allow(&[
            "created",
            "customer",
            "limit",
            "starting_after",
            "ending_before",
            "expand",
        ])?;
        let expand_charge = !params.expand(LIST_EXPANDABLE)?.is_empty();
        let filter = IntentFilter {
            created: params.timestamp_range("created")?,
            customer: params.text("customer")?,
            starting_after: params.text("starting_after")?,
            ending_before: params.text("ending_before")?,
        };
        let (page, has_more) = store.list_payment_intents(&filter, params.limit()?)?;
        let data: Vec<Value> = page
            .into_iter()
            .map(|intent| store.render_payment_intent(intent, expand_charge))
            .collect();
        Ok(json!({"object": "list", "data": data, "has_more": has_more, "url": "/v1/payment_intents"}))
    })
    .await
}

/// `GET /v1/payment_intents/{id}`.
pub(super) async fn retrieve(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    get(shared, &headers, query.as_deref(), |store, params| {
        params.allow(&["expand", "client_secret"])?;
        render(store, &id, params)
    })
    .await
}

/// `POST /v1/payment_intents/{id}/confirm`.
pub(super) async fn confirm(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = format!("/v1/payment_intents/{id}/confirm");
    post(shared, &headers, &path, &body, move |store, params| {
        params.allow(&["payment_method", "return_url", "expand"])?;
        params.expand(EXPANDABLE)?;
        store.confirm_payment_intent(
            &id,
            Confirmation {
                payment_method: params.text("payment_method")?,
                return_url: params.text("return_url")?,
            },
        )?;
        render(store, &id, params)
    })
    .await
}
