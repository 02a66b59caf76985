//! Service calls: `POST /api/services/<domain>/<service>` with its data, as Home Assistant runs
//! one. The service is looked up, its data checked against the service's schema, the targets
//! resolved, and every target asked what the call makes of it before any is changed: a call that
//! one target refuses changes none. The answer is the state objects that changed.
//!
//! Targets are the `entity_id` of the data: one id, ids separated by commas, a list of ids, `all`
//! (every entity of the domain) or `none`. Ids that do not exist, or are of another domain, are
//! left out without complaint, as Home Assistant leaves them out; no `entity_id` targets nothing.

mod climate;
mod color;
mod cover;
mod light;
mod schema;
mod select;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::entity::{Entity, domain_of, is_valid_entity_id};
use crate::store::Store;
use schema::Data;

/// What a service makes of one entity: its new state and attributes (maybe the same as before).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewState {
    pub state: String,
    pub attributes: Map<String, Value>,
}

/// A service of one of the sandbox's domains, its data read.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Light(light::Action),
    Climate(climate::Action),
    Cover(cover::Action),
    Select(select::Action),
}

impl Action {
    /// `domain.service` with its data read; `None` if there is no such service.
    fn parse(domain: &str, service: &str, data: &Data) -> Option<Result<Action, String>> {
        match domain {
            "light" => light::parse(service, data).map(|r| r.map(Action::Light)),
            "climate" => climate::parse(service, data).map(|r| r.map(Action::Climate)),
            "cover" => cover::parse(service, data).map(|r| r.map(Action::Cover)),
            "select" => select::parse(service, data).map(|r| r.map(Action::Select)),
            _ => None,
        }
    }

    fn propose(&self, entity: &Entity) -> Result<NewState, String> {
        match self {
            Action::Light(action) => light::propose(action, entity),
            Action::Climate(action) => climate::propose(action, entity),
            Action::Cover(action) => Ok(cover::propose(*action, entity)),
            Action::Select(action) => select::propose(action, entity),
        }
    }
}

/// Runs `domain.service` with `data` on the store: the state objects of the entities it changed
/// (all sharing the call's context), or the message of the 400 that refuses it, nothing changed.
pub(crate) fn call(
    store: &mut Store,
    domain: &str,
    service: &str,
    mut data: Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<Vec<Value>, String> {
    let target = data.remove("entity_id");
    let action = Action::parse(domain, service, &Data::new(data))
        .ok_or_else(|| format!("Service {domain}.{service} not found."))??;
    let mut proposals = Vec::new();
    for entity_id in targets(target.as_ref(), domain, store)? {
        if let Some(entity) = store.get(&entity_id) {
            proposals.push((entity_id, action.propose(entity)?));
        }
    }
    let context = store.new_context(now);
    let changed = proposals
        .into_iter()
        .filter_map(|(id, new)| {
            let written = store.write(&id, new.state, new.attributes, &context, now);
            written.map(Entity::render)
        })
        .collect();
    Ok(changed)
}

/// The existing entities of `domain` that `entity_id` names, each once, in the order named.
fn targets(entity_id: Option<&Value>, domain: &str, store: &Store) -> Result<Vec<String>, String> {
    let named: Vec<String> = match entity_id {
        None => Vec::new(),
        Some(Value::String(none)) if none == "none" => Vec::new(),
        Some(Value::String(all)) if all == "all" => {
            return Ok(store
                .all()
                .iter()
                .filter(|e| e.domain() == domain)
                .map(|e| e.entity_id.clone())
                .collect());
        }
        Some(Value::String(ids)) => ids.split(',').map(|id| id.trim().to_lowercase()).collect(),
        Some(Value::Array(ids)) => ids
            .iter()
            .map(|id| {
                id.as_str()
                    .map(str::to_lowercase)
                    .ok_or_else(|| entity_id_error("expected str"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(entity_id_error("expected str")),
    };
    if let Some(invalid) = named.iter().find(|id| !is_valid_entity_id(id)) {
        return Err(entity_id_error(&format!(
            "Entity ID {invalid} is an invalid entity ID"
        )));
    }
    let mut targets: Vec<String> = Vec::new();
    for id in named {
        if domain_of(&id) == domain && store.get(&id).is_some() && !targets.contains(&id) {
            targets.push(id);
        }
    }
    Ok(targets)
}

fn entity_id_error(problem: &str) -> String {
    format!("{problem} for dictionary value @ data['entity_id']")
}
