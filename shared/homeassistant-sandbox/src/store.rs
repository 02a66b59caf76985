//! The entities, in the order Home Assistant would list them, and the one way they change.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::context::ContextIds;
use crate::entity::Entity;
use crate::seed;

/// Every entity the sandbox serves, and the ids of the contexts that change them.
#[derive(Debug)]
pub(crate) struct Store {
    entities: Vec<Entity>,
    by_id: HashMap<String, usize>,
    contexts: ContextIds,
}

impl Store {
    /// The hotel's devices as seeded, all stamped `now`.
    pub fn seeded(now: DateTime<Utc>) -> Self {
        let mut store = Store {
            entities: Vec::new(),
            by_id: HashMap::new(),
            contexts: ContextIds::default(),
        };
        store.reseed(now);
        store
    }

    /// Back to the seeded devices. Context ids keep counting, so none is ever handed out twice.
    pub fn reseed(&mut self, now: DateTime<Utc>) {
        self.entities.clear();
        self.by_id.clear();
        let context = self.contexts.next(now);
        for (entity_id, state, attributes) in seed::devices() {
            self.write(&entity_id, state, attributes, &context, now);
        }
    }

    pub fn get(&self, entity_id: &str) -> Option<&Entity> {
        self.by_id.get(entity_id).and_then(|i| self.entities.get(*i))
    }

    pub fn all(&self) -> &[Entity] {
        &self.entities
    }

    /// A fresh context id for one service call or direct write.
    pub fn new_context(&mut self, now: DateTime<Utc>) -> String {
        self.contexts.next(now)
    }

    /// Sets an entity's state and attributes (creating it if new), as Home Assistant's state
    /// machine does: nothing happens when both are as they were; otherwise `last_updated` and the
    /// context move to `now`/`context`, and `last_changed` too when the state string differs.
    /// Returns the entity when it changed.
    pub fn write(
        &mut self,
        entity_id: &str,
        state: String,
        attributes: Map<String, Value>,
        context: &str,
        now: DateTime<Utc>,
    ) -> Option<&Entity> {
        let Some(&index) = self.by_id.get(entity_id) else {
            let mut entity = Entity {
                entity_id: entity_id.to_owned(),
                state,
                attributes: Map::new(),
                last_changed: now,
                last_updated: now,
                context_id: context.to_owned(),
                remembered: Map::new(),
            };
            remember(&mut entity.remembered, &attributes);
            entity.attributes = attributes;
            self.by_id.insert(entity_id.to_owned(), self.entities.len());
            self.entities.push(entity);
            return self.entities.last();
        };
        let entity = self.entities.get_mut(index)?;
        if entity.state == state && entity.attributes == attributes {
            return None;
        }
        if entity.state != state {
            entity.last_changed = now;
        }
        remember(&mut entity.remembered, &attributes);
        entity.state = state;
        entity.attributes = attributes;
        entity.last_updated = now;
        entity.context_id = context.to_owned();
        Some(entity)
    }
}

/// Keeps each non-null attribute's value as the entity's last known one.
fn remember(remembered: &mut Map<String, Value>, attributes: &Map<String, Value>) {
    for (name, value) in attributes {
        if !value.is_null() {
            remembered.insert(name.clone(), value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attributes(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn writes_follow_home_assistants_timestamp_rules() {
        let start = Utc::now();
        let mut store = Store::seeded(start);
        let id = "cover.room_105_blinds";
        let seeded = store.get(id).cloned().expect("seeded");
        let later = start + chrono::Duration::seconds(1);
        let same = store.write(id, seeded.state.clone(), seeded.attributes.clone(), "C1", later);
        assert!(same.is_none(), "nothing changed, nothing written");
        assert_eq!(store.get(id), Some(&seeded));

        let mut moved = seeded.attributes.clone();
        moved.insert("current_position".into(), json!(0.5));
        let written = store
            .write(id, "closed".into(), moved, "C2", later)
            .cloned()
            .expect("written");
        assert_eq!((written.last_changed, written.last_updated), (start, later));
        assert_eq!(written.context_id, "C2");

        let even_later = later + chrono::Duration::seconds(1);
        let opened = store
            .write(id, "open".into(), written.attributes, "C3", even_later)
            .cloned();
        let opened = opened.expect("written");
        assert_eq!(
            (opened.last_changed, opened.last_updated),
            (even_later, even_later)
        );
    }

    #[test]
    fn attributes_are_remembered_through_nulls_and_reseeding_keeps_counting_contexts() {
        let now = Utc::now();
        let mut store = Store::seeded(now);
        let id = "light.room_101_main";
        let off = attributes(json!({"brightness": null, "hs_color": null}));
        let light = store
            .write(id, "off".into(), off, "C1", now)
            .cloned()
            .expect("written");
        assert_eq!(light.remembered.get("brightness"), Some(&json!(180)));
        let created = store.write(
            "light.lobby",
            "on".into(),
            attributes(json!({"brightness": 9})),
            "C2",
            now,
        );
        assert_eq!(created.map(|e| e.state.clone()), Some("on".into()));
        assert_eq!(store.all().len(), 101);

        let before = store.new_context(now);
        store.reseed(now);
        assert_eq!(store.all().len(), 100);
        assert!(store.get("light.lobby").is_none());
        assert_eq!(store.get(id).map(|e| e.state.as_str()), Some("on"));
        assert!(store.new_context(now) > before);
    }
}
