//! The HTTP API: an axum router over the store, in Salesforce's wire format.
//!
//! Data calls go through [`dispatch::dispatch`], which works on a locked store and plain values,
//! so a composite request can run its subrequests through the same code under one lock.

mod admin;
mod composite;
mod describe;
mod dispatch;
mod query;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use serde_json::{Value, json};

use crate::error::SandboxError;
use crate::state::{Shared, lock};

/// The API version used in URLs when the caller gave none (the Rust API).
pub(crate) const DEFAULT_VERSION: &str = "62.0";

/// Salesforce's default and bounds for `Sforce-Query-Options: batchSize=N`.
const DEFAULT_BATCH: usize = 2000;
const MIN_BATCH: usize = 200;

/// What a data call produced: a status, maybe a body, maybe a `Location`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DataResponse {
    pub status: u16,
    pub body: Option<Value>,
    pub location: Option<String>,
}

impl DataResponse {
    fn ok(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            location: None,
        }
    }

    fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
            location: None,
        }
    }

    fn error(e: &SandboxError) -> Self {
        Self {
            status: e.status,
            body: Some(e.body()),
            location: None,
        }
    }
}

/// Per-request settings for data calls.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    /// Records per query page.
    pub batch_size: usize,
}

/// The router for everything the sandbox serves.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/services/oauth2/token", post(crate::auth::token))
        .route("/services/data", get(versions))
        .route("/services/data/", get(versions))
        .route("/services/data/{*rest}", any(data))
        .merge(admin::routes(&shared.controls))
        .fallback(not_found)
        .with_state(shared)
}

/// A JSON response with Salesforce's content type.
pub(crate) fn json_response(status: u16, body: Option<&Value>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match body {
        Some(body) => Response::new(Body::from(body.to_string())),
        None => Response::new(Body::empty()),
    };
    *response.status_mut() = status;
    if body.is_some() {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json;charset=UTF-8"),
        );
    }
    response
}

pub(crate) fn error_response(e: &SandboxError) -> Response {
    let mut response = json_response(e.status, Some(&e.body()));
    if e.status == 401 {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Token"));
    }
    response
}

async fn not_found() -> Response {
    error_response(&SandboxError::not_found())
}

/// `GET /services/data/`: the API versions, which Salesforce serves without a session.
async fn versions() -> Response {
    let releases = [
        ("58.0", "Summer '23"),
        ("59.0", "Winter '24"),
        ("60.0", "Spring '24"),
        ("61.0", "Summer '24"),
        ("62.0", "Winter '25"),
        ("63.0", "Spring '25"),
        ("64.0", "Summer '25"),
        ("65.0", "Winter '26"),
        ("66.0", "Spring '26"),
    ];
    let list: Vec<Value> = releases
        .iter()
        .map(|(v, label)| json!({"label": label, "url": format!("/services/data/v{v}"), "version": v}))
        .collect();
    json_response(200, Some(&Value::Array(list)))
}

/// Every `/services/data/vNN.N/...` call: session check, body parse, dispatch under the store lock.
async fn data(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !lock(&shared.sessions).authorized(&headers) {
        return error_response(&SandboxError::invalid_session());
    }
    // Only writes carry a body; Salesforce ignores one sent with GET or DELETE.
    let has_body = matches!(method, Method::POST | Method::PATCH | Method::PUT);
    let body = if !has_body || body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) => Some(v),
            Err(e) => return error_response(&SandboxError::json_parser(json_error_message(&e))),
        }
    };
    let knob = *lock(&shared.query_batch_size);
    let ctx = Ctx {
        batch_size: knob.unwrap_or_else(|| header_batch_size(&headers)).max(1),
    };
    let result = {
        let mut store = lock(&shared.store);
        dispatch::dispatch(
            &mut store,
            ctx,
            &method,
            uri.path(),
            uri.query(),
            body.as_ref(),
            true,
        )
    };
    let response = result.unwrap_or_else(|e| DataResponse::error(&e));
    let mut http = json_response(response.status, response.body.as_ref());
    if let Some(location) = response.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        http.headers_mut().insert(header::LOCATION, location);
    }
    if response.status == 401 {
        http.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Token"));
    }
    http.into_response()
}

/// `Sforce-Query-Options: batchSize=N`, clamped to Salesforce's 200..=2000.
fn header_batch_size(headers: &HeaderMap) -> usize {
    headers
        .get("sforce-query-options")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',').find_map(|part| {
                let (k, n) = part.split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("batchSize")
                    .then(|| n.trim().parse::<usize>().ok())?
            })
        })
        .map_or(DEFAULT_BATCH, |n| n.clamp(MIN_BATCH, DEFAULT_BATCH))
}

/// A parser error worded like Salesforce's (Jackson's) messages.
fn json_error_message(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "Unexpected end-of-input",
        _ => "Unexpected character",
    };
    format!("{what}: {e} at [line:{}, column:{}]", e.line(), e.column())
}
