//! `GET /api/states` (every entity) and `GET /api/states/<entity_id>` (one).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::Value;

use super::{json_response, message_response};
use crate::entity::Entity;
use crate::state::{Shared, lock};

pub(super) async fn all(State(shared): State<Arc<Shared>>) -> Response {
    let states: Vec<Value> = lock(&shared.store).all().iter().map(Entity::render).collect();
    json_response(200, &Value::Array(states))
}

pub(super) async fn one(State(shared): State<Arc<Shared>>, Path(entity_id): Path<String>) -> Response {
    match lock(&shared.store).get(&entity_id) {
        Some(entity) => json_response(200, &entity.render()),
        None => message_response(404, "Entity not found."),
    }
}
