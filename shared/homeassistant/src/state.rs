//! [`EntityState`]: one entity's state object as the REST API answers it.

use crate::EntityId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The state an entity reports when Home Assistant cannot reach its device; its attributes are then
/// missing or stale, so no typed view is made of it.
pub const STATE_UNAVAILABLE: &str = "unavailable";

/// One entity's state: `GET /api/states` answers a list of them, `GET /api/states/<id>` one, and a
/// service call the ones it changed.
///
/// Home Assistant's other fields (`context`, `last_reported`) are ignored. The typed views
/// ([`EntityState::light`] and its siblings) read the attributes of their domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityState {
    /// Which entity, e.g. `light.room_101_main`.
    pub entity_id: EntityId,
    /// The state itself: `on`/`off` for a light, the HVAC mode for a thermostat, `open`/`closed`
    /// for a cover, the current option for a select; `unavailable` when the device is unreachable.
    pub state: String,
    /// The domain's attributes (`brightness`, `temperature`, `current_position`, `options`, …) and
    /// the common ones (`friendly_name`, `supported_features`).
    #[serde(default)]
    pub attributes: Map<String, Value>,
    /// When `state` last changed.
    pub last_changed: DateTime<Utc>,
    /// When `state` or an attribute last changed.
    pub last_updated: DateTime<Utc>,
}

impl EntityState {
    /// The name people know the entity by, e.g. "Room 101 Main Light".
    pub fn friendly_name(&self) -> Option<&str> {
        self.attributes.get("friendly_name")?.as_str()
    }

    /// Whether Home Assistant can reach the device (its state is not `unavailable`).
    pub fn is_available(&self) -> bool {
        self.state != STATE_UNAVAILABLE
    }

    /// The attribute `name`, when present and not null.
    pub(crate) fn attribute(&self, name: &str) -> Option<&Value> {
        self.attributes.get(name).filter(|value| !value.is_null())
    }

    /// Whether a typed view of `domain` can be made: the entity is of that domain, and available.
    pub(crate) fn viewable_as(&self, domain: &str) -> bool {
        self.entity_id.domain() == domain && self.is_available()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A state object as the contract writes it, with HA's `context` and microsecond offsets.
    #[test]
    fn a_state_object_decodes_and_extras_are_ignored() {
        let body = r#"{"entity_id": "light.room_101_main", "state": "on",
            "attributes": {"friendly_name": "Room 101 Main Light", "brightness": 180},
            "last_changed": "2026-12-06T16:00:00.000000+00:00",
            "last_reported": "2026-12-06T16:05:00.000000+00:00",
            "last_updated": "2026-12-06T17:30:00.250000+01:00",
            "context": {"id": "01J0000000000000000000000", "parent_id": null, "user_id": null}}"#;
        let state: EntityState = serde_json::from_str(body).expect("decodes");
        assert_eq!(state.entity_id.as_str(), "light.room_101_main");
        assert_eq!(state.friendly_name(), Some("Room 101 Main Light"));
        assert_eq!(state.last_changed.to_rfc3339(), "2026-12-06T16:00:00+00:00");
        assert_eq!(state.last_updated.to_rfc3339(), "2026-12-06T16:30:00.250+00:00");
        assert!(state.is_available());
        // It travels on (e.g. in a tool's answer) in the same shape.
        let again: EntityState =
            serde_json::from_value(serde_json::to_value(&state).expect("encodes")).expect("decodes");
        assert_eq!(again, state);
    }

    #[test]
    fn a_state_without_its_dates_or_with_a_bad_id_is_refused() {
        let no_dates = r#"{"entity_id": "light.a", "state": "on", "attributes": {}}"#;
        assert!(serde_json::from_str::<EntityState>(no_dates).is_err());
        let bad_id = r#"{"entity_id": "Light.A", "state": "on", "attributes": {},
            "last_changed": "2026-12-06T16:00:00+00:00", "last_updated": "2026-12-06T16:00:00+00:00"}"#;
        assert!(serde_json::from_str::<EntityState>(bad_id).is_err());
    }
}
