//! `GET /api/` (is the API up) and `GET /api/config` (a subset of Home Assistant's configuration:
//! the hotel's name, the imperial unit system, the version, that it is running).

use axum::response::Response;
use serde_json::json;

use super::{json_response, message_response};

/// The Home Assistant version the sandbox answers as.
pub(crate) const VERSION: &str = "2026.11.0";

pub(super) async fn running() -> Response {
    message_response(200, "API running.")
}

pub(super) async fn config() -> Response {
    let config = json!({
        "location_name": "Dewy Resort",
        "unit_system": {
            "length": "mi",
            "accumulated_precipitation": "in",
            "area": "ft²",
            "mass": "lb",
            "pressure": "psi",
            "temperature": "°F",
            "volume": "gal",
            "wind_speed": "mph",
        },
        "time_zone": "UTC",
        "currency": "USD",
        "country": "US",
        "language": "en",
        "components": ["api", "climate", "cover", "light", "select"],
        "version": VERSION,
        "state": "RUNNING",
        "safe_mode": false,
        "recovery_mode": false,
    });
    json_response(200, &config)
}
