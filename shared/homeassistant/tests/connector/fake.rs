//! A minimal stand-in for Home Assistant's REST API, as the wire contract describes it: a token, a
//! handful of entities of one room, the services the connector calls, and knobs to fail or slow the
//! next requests.

use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The token the fake accepts.
pub const TOKEN: &str = "fake-long-lived-token";

/// A running fake; it stops when the test's runtime ends.
#[derive(Clone)]
pub struct FakeHa {
    pub base_url: String,
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    entities: Mutex<BTreeMap<String, Value>>,
    /// Statuses the next requests answer instead of being handled, in order.
    faults: Mutex<Vec<u16>>,
    latency: Mutex<Option<Duration>>,
    requests: AtomicU64,
    /// The path and body of every service call handled.
    calls: Mutex<Vec<(String, Value)>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeHa {
    pub async fn start() -> FakeHa {
        let shared = Arc::new(Shared::default());
        for entity in seed() {
            let id = entity["entity_id"].as_str().expect("seeded id").to_owned();
            lock(&shared.entities).insert(id, entity);
        }
        let router = Router::new()
            .route(
                "/api/",
                get(|| async { Json(json!({"message": "API running."})) }),
            )
            .route("/api/config", get(config))
            .route("/api/states", get(states))
            .route("/api/states/{entity_id}", get(state))
            .route("/api/services/{domain}/{service}", post(call))
            .layer(middleware::from_fn_with_state(Arc::clone(&shared), gate))
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, router).await });
        FakeHa { base_url, shared }
    }

    /// The next `times` requests answer `status` (and `Retry-After: 1` for a 429).
    pub fn fail_next(&self, status: u16, times: usize) {
        lock(&self.shared.faults).extend(std::iter::repeat_n(status, times));
    }

    /// Every request waits `delay` before it is answered.
    pub fn set_latency(&self, delay: Option<Duration>) {
        *lock(&self.shared.latency) = delay;
    }

    pub fn request_count(&self) -> u64 {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// The service calls handled: `<domain>.<service>` and the body.
    pub fn calls(&self) -> Vec<(String, Value)> {
        lock(&self.shared.calls).clone()
    }
}

/// Counts, delays, checks the token, and injects faults, in that order, as a real HA behind a
/// flaky network would: a fault never reaches the handler.
async fn gate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let delay = *lock(&shared.latency);
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let expected = format!("Bearer {TOKEN}");
    let authorized = request.headers().get(header::AUTHORIZATION)
        == Some(&HeaderValue::from_str(&expected).expect("ascii"));
    if !authorized {
        return (StatusCode::UNAUTHORIZED, "401: Unauthorized").into_response();
    }
    let fault = {
        let mut faults = lock(&shared.faults);
        (!faults.is_empty()).then(|| faults.remove(0))
    };
    match fault {
        Some(429) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "1")],
            "429: Too Many Requests",
        )
            .into_response(),
        Some(status) => {
            let status = StatusCode::from_u16(status).expect("a status");
            (status, format!("{status}")).into_response()
        }
        None => next.run(request).await,
    }
}

fn message(status: StatusCode, text: &str) -> Response {
    (status, Json(json!({"message": text}))).into_response()
}

async fn config() -> Json<Value> {
    Json(
        json!({"location_name": "Dewy Resort", "version": "2026.11.0", "state": "RUNNING",
                "unit_system": {"temperature": "°F", "length": "mi"}}),
    )
}

async fn states(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(Value::Array(lock(&shared.entities).values().cloned().collect()))
}

async fn state(State(shared): State<Arc<Shared>>, Path(entity_id): Path<String>) -> Response {
    match lock(&shared.entities).get(&entity_id) {
        Some(entity) => Json(entity.clone()).into_response(),
        None => message(StatusCode::NOT_FOUND, "Entity not found."),
    }
}

/// Applies a service call to its entity and answers the states that changed.
async fn call(
    State(shared): State<Arc<Shared>>,
    Path((domain, service)): Path<(String, String)>,
    body: String,
) -> Response {
    let Ok(Value::Object(data)) = serde_json::from_str::<Value>(&body) else {
        return message(StatusCode::BAD_REQUEST, "Data should be valid JSON.");
    };
    let name = format!("{domain}.{service}");
    lock(&shared.calls).push((name.clone(), Value::Object(data.clone())));
    let id = data.get("entity_id").and_then(Value::as_str).unwrap_or_default();
    let mut entities = lock(&shared.entities);
    let Some(entity) = entities.get_mut(id) else {
        return Json(json!([])).into_response();
    };
    let before = entity.clone();
    if let Err(problem) = apply(&name, &data, entity) {
        return message(StatusCode::BAD_REQUEST, &problem);
    }
    if *entity == before {
        return Json(json!([])).into_response();
    }
    let now = chrono::Utc::now().to_rfc3339();
    if entity["state"] != before["state"] {
        entity["last_changed"] = json!(now);
    }
    entity["last_updated"] = json!(now);
    Json(json!([entity])).into_response()
}

fn apply(service: &str, data: &Map<String, Value>, entity: &mut Value) -> Result<(), String> {
    let attributes = &mut entity["attributes"];
    match service {
        "light.turn_on" => {
            if data.contains_key("hs_color") && attributes["supported_color_modes"] != json!(["hs"]) {
                return Err(format!(
                    "Light {} does not support color mode hs",
                    entity["entity_id"]
                ));
            }
            let brightness = data.get("brightness").or(attributes.get("brightness")).cloned();
            attributes["brightness"] = brightness.filter(|b| !b.is_null()).unwrap_or(json!(255));
            if let Some(hs) = data.get("hs_color") {
                attributes["hs_color"] = hs.clone();
            }
            entity["state"] = json!("on");
        }
        "light.turn_off" => {
            attributes["brightness"] = Value::Null;
            entity["state"] = json!("off");
        }
        "select.select_option" => {
            let option = data.get("option").cloned().unwrap_or_default();
            if !attributes["options"]
                .as_array()
                .is_some_and(|options| options.contains(&option))
            {
                return Err(format!(
                    "Option {option} is not valid for entity {}",
                    entity["entity_id"]
                ));
            }
            entity["state"] = option;
        }
        "climate.set_temperature" => {
            let wanted = data
                .get("temperature")
                .and_then(Value::as_f64)
                .ok_or("expected float for dictionary value @ data['temperature']")?;
            attributes["temperature"] = json!(wanted.clamp(60.0, 85.0));
        }
        other => return Err(format!("Service {other} not found.")),
    }
    Ok(())
}

/// One room's devices, as the contract seeds an occupied room, and one music-mode select.
fn seed() -> Vec<Value> {
    let entity = |id: &str, state: &str, attributes: Value| {
        json!({"entity_id": id, "state": state, "attributes": attributes,
               "last_changed": "2026-12-06T16:00:00.000000+00:00",
               "last_updated": "2026-12-06T16:00:00.000000+00:00",
               "context": {"id": "01JFAKE000000000000000000", "parent_id": null, "user_id": null}})
    };
    vec![
        entity(
            "light.room_101_main",
            "on",
            json!({"friendly_name": "Room 101 Main Light",
            "supported_color_modes": ["hs"], "color_mode": "hs", "brightness": 180, "hs_color": [30, 60],
            "supported_features": 0}),
        ),
        entity(
            "light.room_101_bedside",
            "off",
            json!({"friendly_name": "Room 101 Bedside Lamp",
            "supported_color_modes": ["brightness"], "color_mode": null, "brightness": null}),
        ),
        entity(
            "climate.room_101",
            "heat",
            json!({"friendly_name": "Room 101 Thermostat",
            "hvac_modes": ["heat", "cool", "off"], "current_temperature": 70, "temperature": 70,
            "min_temp": 60, "max_temp": 85, "target_temp_step": 1, "supported_features": 385}),
        ),
        entity(
            "cover.room_101_blinds",
            "open",
            json!({"friendly_name": "Room 101 Blinds",
            "current_position": 100, "supported_features": 15}),
        ),
        entity(
            "select.room_105_main_music",
            "Energic",
            json!({
            "friendly_name": "Room 105 Main Light Music Mode",
            "options": ["Energic", "Rhythm", "Spectrum", "Day & Night"]}),
        ),
    ]
}
