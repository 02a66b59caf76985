//! The HTTP API: an axum router over the store, in Stripe's wire format.
//!
//! Every endpoint goes through [`get`] or [`post`]: authentication, form decoding, (for POSTs) the
//! idempotency key, the configured latency (the time "Stripe" spends on a request), then the
//! endpoint's own code under the store lock.

mod admin;
mod auth;
mod customers;
mod params;
mod payment_intents;
mod payment_methods;
mod redirect;
mod refunds;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use axum::routing::{get as get_route, post as post_route};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use serde_json::Value;

use crate::error::SandboxError;
use crate::form;
use crate::idempotency::{Claim, Fingerprint, StoredResponse};
use crate::ids;
use crate::state::{Shared, lock};
use crate::store::Store;
use auth::authenticate;
pub(crate) use params::{Params, TimestampRange};

/// The API version answered when the client pins none.
pub(crate) const DEFAULT_API_VERSION: &str = "2024-06-20";

/// Stripe's limit on `Idempotency-Key` length.
const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// The router for everything the sandbox serves.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/v1/customers",
            get_route(customers::list).post(customers::create),
        )
        .route("/v1/customers/{id}", get_route(customers::retrieve))
        .route(
            "/v1/payment_intents",
            get_route(payment_intents::list).post(payment_intents::create),
        )
        .route("/v1/payment_intents/{id}", get_route(payment_intents::retrieve))
        .route(
            "/v1/payment_intents/{id}/confirm",
            post_route(payment_intents::confirm),
        )
        .route("/v1/payment_methods/{id}", get_route(payment_methods::retrieve))
        .route("/v1/refunds", post_route(refunds::create))
        .route("/v1/refunds/{id}", get_route(refunds::retrieve))
        .merge(admin::routes(&shared.controls))
        .merge(redirect::routes())
        .fallback(unrecognized)
        .method_not_allowed_fallback(unrecognized)
        .with_state(shared)
}

/// Stripe answers an unknown URL, or a known one with the wrong method, with a 404.
async fn unrecognized(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let error = SandboxError::unrecognized_url(method.as_str(), uri.path());
    error_response(&error, &Meta::new(&headers))
}

/// Headers every response carries.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    request_id: String,
    api_version: String,
    idempotency_key: Option<String>,
    replayed: bool,
}

impl Meta {
    /// Fresh headers for a response to a request with `headers`.
    pub(crate) fn new(headers: &HeaderMap) -> Self {
        Self {
            request_id: ids::request(),
            api_version: header_str(headers, "stripe-version")
                .unwrap_or(DEFAULT_API_VERSION)
                .to_owned(),
            idempotency_key: None,
            replayed: false,
        }
    }
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A JSON response with Stripe's headers.
pub(crate) fn json_response(status: u16, body: &Value, meta: &Meta) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let mut put = |name: &'static str, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    put("request-id", &meta.request_id);
    put("stripe-version", &meta.api_version);
    if let Some(key) = &meta.idempotency_key {
        put("idempotency-key", key);
    }
    if meta.replayed {
        put("idempotent-replayed", "true");
    }
    if status == 409 {
        // A key in use frees up once the first request ends: Stripe tells clients to try again.
        put("stripe-should-retry", "true");
    }
    response
}

pub(crate) fn error_response(error: &SandboxError, meta: &Meta) -> Response {
    json_response(error.status, &error.body(), meta)
}

/// A GET: authenticate, decode the query string, wait, run `handler` on the store.
pub(crate) async fn get(
    shared: Arc<Shared>,
    headers: &HeaderMap,
    query: Option<&str>,
    handler: impl FnOnce(&Store, &Params) -> Result<Value, SandboxError>,
) -> Response {
    let meta = Meta::new(headers);
    if let Err(e) = authenticate(&shared, headers) {
        return error_response(&e, &meta);
    }
    let form = match form::decode(query.unwrap_or_default()) {
        Ok(form) => form,
        Err(e) => return error_response(&SandboxError::invalid_value("query", e.0), &meta),
    };
    shared.controls.wait_latency().await;
    let result = handler(&lock(&shared.store), &Params::new(form.root));
    match result {
        Ok(body) => json_response(200, &body, &meta),
        Err(e) => error_response(&e, &meta),
    }
}

/// A POST: authenticate, decode the form, claim the idempotency key (or replay / refuse), then wait
/// and run `handler` on the store.
///
/// The work runs on its own task, detached from the connection: like Stripe, the sandbox finishes a
/// request whose client gave up (timed out, disconnected), and saves its response under the key, so
/// the client's retry replays it instead of doing it twice.
pub(crate) async fn post(
    shared: Arc<Shared>,
    headers: &HeaderMap,
    path: &str,
    body: &Bytes,
    handler: impl FnOnce(&mut Store, &Params) -> Result<Value, SandboxError> + Send + 'static,
) -> Response {
    let mut meta = Meta::new(headers);
    let api_key = match authenticate(&shared, headers) {
        Ok(key) => key,
        Err(e) => return error_response(&e, &meta),
    };
    let form = match std::str::from_utf8(body)
        .map_err(|_| form::FormError("Invalid request: the body is not UTF-8".into()))
        .and_then(form::decode)
    {
        Ok(form) => form,
        Err(e) => {
            return error_response(
                &SandboxError::new(400, crate::error::ErrorType::InvalidRequest, e.0),
                &meta,
            );
        }
    };
    let key = match header_str(headers, "idempotency-key").map(str::trim) {
        None => None,
        Some(key) if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_LEN => {
            let error = SandboxError::new(
                400,
                crate::error::ErrorType::InvalidRequest,
                format!(
                    "Invalid Idempotency-Key: keys must be 1 to {MAX_IDEMPOTENCY_KEY_LEN} characters long."
                ),
            );
            return error_response(&error, &meta);
        }
        Some(key) => Some(key.to_owned()),
    };
    meta.idempotency_key = key.clone();
    if let Some(key) = &key {
        let fingerprint = Fingerprint::new("POST", path, form.pairs.clone());
        let claim = lock(&shared.idempotency).claim(&api_key, key, &fingerprint);
        match claim {
            Claim::Proceed => {}
            Claim::Replay(stored) => {
                meta.replayed = true;
                return json_response(stored.status, &stored.body, &meta);
            }
            Claim::Refused(e) => return error_response(&e, &meta),
        }
    }
    let claimed = Claimed {
        shared,
        scope: api_key,
        key,
        finished: false,
    };
    let work = tokio::spawn(async move {
        let mut claimed = claimed;
        claimed.shared.controls.wait_latency().await;
        let result = handler(&mut lock(&claimed.shared.store), &Params::new(form.root));
        let (status, body, save) = match result {
            Ok(body) => (200, body, true),
            Err(e) => (e.status, e.body(), !e.is_validation()),
        };
        claimed.finish(save.then(|| StoredResponse {
            status,
            body: body.clone(),
        }));
        (status, body)
    });
    match work.await {
        Ok((status, body)) => json_response(status, &body, &meta),
        Err(_) => error_response(&SandboxError::internal(), &meta),
    }
}

/// A claimed idempotency key: saved with the response when the work ends, or released if nothing is
/// to be saved (or the work panicked), so the key never stays "in use" for ever.
struct Claimed {
    shared: Arc<Shared>,
    scope: String,
    key: Option<String>,
    finished: bool,
}

impl Claimed {
    fn finish(&mut self, response: Option<StoredResponse>) {
        self.finished = true;
        let Some(key) = &self.key else { return };
        let mut idempotency = lock(&self.shared.idempotency);
        match response {
            Some(response) => idempotency.complete(&self.scope, key, response),
            None => idempotency.release(&self.scope, key),
        }
    }
}

impl Drop for Claimed {
    fn drop(&mut self) {
        if !self.finished {
            self.finish(None);
        }
    }
}
