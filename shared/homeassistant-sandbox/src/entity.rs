//! One entity's state as Home Assistant keeps it, and its JSON state object.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// An entity: its state, attributes, when they last changed, and the context of the change.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entity {
    /// `domain.object_id`, e.g. `light.room_101_main`.
    pub entity_id: String,
    /// The state string (`on`, `heat`, `closed`, an option…).
    pub state: String,
    /// The attributes, as served.
    pub attributes: Map<String, Value>,
    /// When `state` last changed.
    pub last_changed: DateTime<Utc>,
    /// When `state` or `attributes` last changed.
    pub last_updated: DateTime<Utc>,
    /// The id of the context (service call or direct write) that last changed the entity.
    pub context_id: String,
    /// The last non-null value each attribute has had. Home Assistant lights come back on at their
    /// last brightness and colour, which their served attributes no longer show once off (both
    /// are null then); this is where the sandbox keeps them.
    pub remembered: Map<String, Value>,
}

impl Entity {
    /// The part before the dot: `light`, `climate`, `cover`, `select`.
    pub fn domain(&self) -> &str {
        domain_of(&self.entity_id)
    }

    /// The state object as `GET /api/states/<entity_id>` serves it.
    pub fn render(&self) -> Value {
        json!({
            "entity_id": self.entity_id,
            "state": self.state,
            "attributes": self.attributes,
            "last_changed": timestamp(self.last_changed),
            "last_updated": timestamp(self.last_updated),
            "context": {"id": self.context_id, "parent_id": null, "user_id": null},
        })
    }

    /// An attribute, or `Value::Null` when absent.
    pub fn attribute(&self, name: &str) -> &Value {
        self.attributes.get(name).unwrap_or(&Value::Null)
    }
}

/// The domain of an entity id (the whole id if it has no dot).
pub(crate) fn domain_of(entity_id: &str) -> &str {
    entity_id.split_once('.').map_or(entity_id, |(domain, _)| domain)
}

/// ISO 8601 in UTC with microseconds and an explicit `+00:00`, as Home Assistant writes its times.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

/// Whether `entity_id` is one Home Assistant accepts: `domain.object_id`, each part lowercase
/// letters, digits and underscores, neither starting nor ending with an underscore, and no double
/// underscore in the domain.
pub(crate) fn is_valid_entity_id(entity_id: &str) -> bool {
    let Some((domain, object_id)) = entity_id.split_once('.') else {
        return false;
    };
    let part = |s: &str| {
        !s.is_empty()
            && !s.starts_with('_')
            && !s.ends_with('_')
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    part(domain) && part(object_id) && !domain.contains("__")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_have_microseconds_and_an_explicit_utc_offset() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 6, 16, 0, 0)
            .single()
            .expect("a valid time");
        assert_eq!(timestamp(at), "2026-12-06T16:00:00.000000+00:00");
        let later = at + chrono::Duration::nanoseconds(1_234_567);
        assert_eq!(timestamp(later), "2026-12-06T16:00:00.001234+00:00");
    }

    #[test]
    fn entity_ids_follow_home_assistants_rule() {
        for valid in ["light.room_101_main", "climate.room_200", "a.b", "sensor.x2"] {
            assert!(is_valid_entity_id(valid), "{valid}");
        }
        for invalid in [
            "light",
            "light.",
            ".main",
            "Light.main",
            "light.main_",
            "light._main",
            "li__ght.main",
            "light.room-101",
            "light.room.101",
        ] {
            assert!(!is_valid_entity_id(invalid), "{invalid}");
        }
    }

    #[test]
    fn domains_are_the_part_before_the_dot() {
        assert_eq!(domain_of("cover.room_101_blinds"), "cover");
        assert_eq!(domain_of("nodot"), "nodot");
    }
}
