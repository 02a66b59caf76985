//! [`EntityId`]: Home Assistant's name for one device's entity, `<domain>.<object_id>`.
//!
//! Checked once, when parsed, with Home Assistant's own rule, so that an id reaching a URL path is
//! known to be one path segment, and a mistyped id fails before any request.

/// A value that is not what it claims to be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {reason}")]
pub struct ParseError {
    /// What was being parsed, e.g. `entity id`.
    pub what: &'static str,
    /// Why it was refused.
    pub reason: &'static str,
}

/// An entity id such as `light.room_101_main`: a domain (`light`, `climate`, `cover`, `select`, …),
/// a dot, and an object id.
///
/// Both parts are lowercase ASCII letters, digits and `_`, neither starts nor ends with `_`, and
/// the domain has no `__` (Home Assistant's own rule: it refuses anything else, so nothing else can
/// name an entity). Serialized as the string itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId {
    id: String,
    /// Where the `.` is: the domain is before it, the object id after it.
    dot: usize,
}

/// Home Assistant's longest entity id.
const MAX_LEN: usize = 255;

impl EntityId {
    /// Parses `<domain>.<object_id>`, refusing any other shape.
    pub fn parse(value: &str) -> Result<EntityId, ParseError> {
        let error = |reason| ParseError {
            what: "entity id",
            reason,
        };
        if value.len() > MAX_LEN {
            return Err(error("an entity id has at most 255 characters"));
        }
        let Some((domain, object_id)) = value.split_once('.') else {
            return Err(error("an entity id is <domain>.<object_id>"));
        };
        check_slug(domain).map_err(error)?;
        check_slug(object_id).map_err(error)?;
        if domain.contains("__") {
            return Err(error("a domain has no double underscore"));
        }
        Ok(EntityId {
            id: value.to_owned(),
            dot: domain.len(),
        })
    }

    /// The part before the dot, e.g. `light`: which services apply to it.
    pub fn domain(&self) -> &str {
        &self.id[..self.dot]
    }

    /// The part after the dot, e.g. `room_101_main`.
    pub fn object_id(&self) -> &str {
        &self.id[self.dot + 1..]
    }

    /// The whole id, as Home Assistant spells it.
    pub fn as_str(&self) -> &str {
        &self.id
    }
}

/// One part of an id: lowercase letters, digits and `_`, not at either end. A second dot fails here.
fn check_slug(part: &str) -> Result<(), &'static str> {
    if part.is_empty() {
        return Err("an entity id is <domain>.<object_id>, both non-empty");
    }
    if !part
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err("an entity id has only lowercase letters, digits, '_' and one '.'");
    }
    if part.starts_with('_') || part.ends_with('_') {
        return Err("no part of an entity id starts or ends with '_'");
    }
    Ok(())
}

impl std::fmt::Display for EntityId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.id)
    }
}

impl AsRef<str> for EntityId {
    fn as_ref(&self) -> &str {
        &self.id
    }
}

impl std::str::FromStr for EntityId {
    type Err = ParseError;
    fn from_str(value: &str) -> Result<EntityId, ParseError> {
        EntityId::parse(value)
    }
}

impl serde::Serialize for EntityId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.id)
    }
}

impl<'de> serde::Deserialize<'de> for EntityId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        EntityId::parse(&value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entity_id_splits_into_domain_and_object_id() {
        let id = EntityId::parse("light.room_101_main").expect("valid");
        assert_eq!((id.domain(), id.object_id()), ("light", "room_101_main"));
        assert_eq!(id.as_str(), "light.room_101_main");
        assert_eq!(id.to_string(), "light.room_101_main");
        let thermostat: EntityId = "climate.room_204".parse().expect("valid");
        assert_eq!(thermostat.domain(), "climate");
        assert!(EntityId::parse("input_select.a1").is_ok());
    }

    #[test]
    fn anything_home_assistant_would_refuse_is_refused() {
        for bad in [
            "",
            "light",
            "light.",
            ".room_101",
            "Light.room_101",
            "light.Room_101",
            "light.room-101",
            "light.room 101",
            "light.room.101",
            "light._room",
            "light.room_",
            "_light.room",
            "my__domain.room",
            "light.room_101/../../api/config",
            "light.room%2F101",
            "light.pièce",
        ] {
            assert!(EntityId::parse(bad).is_err(), "{bad}");
        }
        // A double underscore is fine in an object id, as in Home Assistant.
        assert!(EntityId::parse("sensor.a__b").is_ok());
        let long = format!("light.{}", "a".repeat(250));
        assert!(EntityId::parse(&long).is_err());
        assert!(EntityId::parse(&long[..255]).is_ok());
    }

    #[test]
    fn entity_ids_travel_as_their_string() {
        let id: EntityId = serde_json::from_str("\"cover.room_101_blinds\"").expect("decodes");
        assert_eq!(id.object_id(), "room_101_blinds");
        assert_eq!(
            serde_json::to_string(&id).expect("encodes"),
            "\"cover.room_101_blinds\""
        );
        let bad: Result<EntityId, _> = serde_json::from_str("\"cover.Room\"");
        assert!(bad.is_err());
    }
}
