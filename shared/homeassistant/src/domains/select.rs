//! [`Select`]: an entity whose state is one of a list of options.

use super::strings;
use crate::EntityState;
use serde::Serialize;

/// A `select.*` entity, e.g. the music-mode effect of a room's Govee light.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Select {
    /// The current option (the entity's state; `unknown` while none is chosen).
    pub option: String,
    /// The options `select.select_option` accepts (`options`).
    pub options: Vec<String>,
}

impl EntityState {
    /// The entity as a [`Select`]; `None` unless it is an available `select.*`.
    pub fn select(&self) -> Option<Select> {
        if !self.viewable_as("select") {
            return None;
        }
        Some(Select {
            option: self.state.clone(),
            options: strings(self.attribute("options")),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::domains::fixtures::state;
    use serde_json::json;

    #[test]
    fn a_music_mode_select() {
        let music = state(
            "select.room_105_main_music",
            "Energic",
            json!({"options": ["Energic", "Rhythm", "Day & Night"],
                   "friendly_name": "Room 105 Main Light Music Mode"}),
        );
        let select = music.select().expect("a select");
        assert_eq!(select.option, "Energic");
        assert_eq!(select.options, ["Energic", "Rhythm", "Day & Night"]);
        assert_eq!(music.friendly_name(), Some("Room 105 Main Light Music Mode"));
        assert!(music.light().is_none());
        assert!(state("select.x", "unavailable", json!({})).select().is_none());
        assert!(
            state("light.room_105_main", "Energic", json!({}))
                .select()
                .is_none()
        );
    }
}
