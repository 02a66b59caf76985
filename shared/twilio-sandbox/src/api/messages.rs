//! `…/Messages.json` (create) and `…/Messages/{sid}.json` (fetch).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, Method, Uri};

use super::{auth, error_response, json_response};
use crate::error::ApiError;
use crate::state::{Shared, lock};
use crate::store::render;
use crate::validate::{SendForm, validate};

/// `POST …/Messages.json`: validate, store, answer 201 with the message as created.
pub(super) async fn collection(
    State(shared): State<Arc<Shared>>,
    Path(account): Path<String>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(error) = auth::check(&headers, &account, &shared.config) {
        return error_response(&error);
    }
    if method != Method::POST {
        return error_response(&ApiError::method_not_allowed());
    }
    let accepted = match validate(&SendForm::parse(&body), &shared.config) {
        Ok(accepted) => accepted,
        Err(error) => return error_response(&error),
    };
    let mut store = lock(&shared.store);
    let message = store.create(accepted);
    // The answer shows the message as created; delivery, if simulated, happens "afterwards".
    let answer = render(&message, &shared.config.account_sid);
    if shared.config.deliver {
        store.deliver(&message.sid, &shared.config.phone_number);
    }
    json_response(201, &answer)
}

/// `GET …/Messages/{sid}.json`: the message as it is now.
pub(super) async fn instance(
    State(shared): State<Arc<Shared>>,
    Path((account, file)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Err(error) = auth::check(&headers, &account, &shared.config) {
        return error_response(&error);
    }
    let Some(sid) = file.strip_suffix(".json") else {
        return error_response(&ApiError::not_found(uri.path()));
    };
    if method != Method::GET {
        return error_response(&ApiError::method_not_allowed());
    }
    match lock(&shared.store).get(sid) {
        Some(message) => json_response(200, &render(message, &shared.config.account_sid)),
        None => error_response(&ApiError::not_found(uri.path())),
    }
}
