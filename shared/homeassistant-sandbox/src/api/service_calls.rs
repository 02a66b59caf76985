//! `POST /api/services/<domain>/<service>`: the body is the service data, a JSON object; the
//! answer is the state objects the call changed.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use bytes::Bytes;
use chrono::Utc;
use serde_json::{Map, Value};

use super::{json_response, message_response};
use crate::services;
use crate::state::{Shared, lock};

pub(super) async fn call(
    State(shared): State<Arc<Shared>>,
    Path((domain, service)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let Some(data) = service_data(&body) else {
        return message_response(400, "Data should be valid JSON.");
    };
    let mut store = lock(&shared.store);
    match services::call(&mut store, &domain, &service, data, Utc::now()) {
        Ok(changed) => json_response(200, &Value::Array(changed)),
        Err(message) => message_response(400, &message),
    }
}

/// The body as service data. Like Home Assistant, an empty body (or JSON `null`) is no data;
/// anything but a JSON object is refused.
fn service_data(body: &[u8]) -> Option<Map<String, Value>> {
    if body.is_empty() {
        return Some(Map::new());
    }
    match serde_json::from_slice(body).ok()? {
        Value::Object(data) => Some(data),
        Value::Null => Some(Map::new()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_objects_and_nothing_are_service_data() {
        assert_eq!(service_data(b""), Some(Map::new()));
        assert_eq!(service_data(b"null"), Some(Map::new()));
        assert_eq!(service_data(br#"{"a": 1}"#).map(|d| d.len()), Some(1));
        for refused in [&b"{"[..], b"[]", b"\"light.room_101_main\"", b"42", b" "] {
            assert_eq!(service_data(refused), None, "{refused:?}");
        }
    }
}
