//! `cover.open_cover`, `cover.close_cover`, `cover.set_cover_position` and `cover.stop_cover`.
//! The sandbox's blinds move at once, so a cover is never `opening` or `closing` and stopping one
//! changes nothing.

use serde_json::json;

use super::NewState;
use super::schema::{Data, required};
use crate::entity::Entity;

/// A cover service with its data read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Open,
    Close,
    /// 0 (closed) to 100 (open).
    SetPosition(i64),
    Stop,
}

/// The cover service named `service`, its data read; `None` if there is no such service.
pub(crate) fn parse(service: &str, data: &Data) -> Option<Result<Action, String>> {
    let no_data = |action| data.allow_only(&[]).map(|()| action);
    let action = match service {
        "open_cover" => no_data(Action::Open),
        "close_cover" => no_data(Action::Close),
        "stop_cover" => no_data(Action::Stop),
        "set_cover_position" => data.allow_only(&["position"]).and_then(|()| {
            let position = required("position", data.int("position", 0, 100)?)?;
            Ok(Action::SetPosition(position))
        }),
        _ => return None,
    };
    Some(action)
}

/// What `action` makes of `cover`.
pub(crate) fn propose(action: Action, cover: &Entity) -> NewState {
    let position = match action {
        Action::Open => 100,
        Action::Close => 0,
        Action::SetPosition(position) => position,
        Action::Stop => {
            return NewState {
                state: cover.state.clone(),
                attributes: cover.attributes.clone(),
            };
        }
    };
    let mut attributes = cover.attributes.clone();
    attributes.insert("current_position".into(), json!(position));
    let state = if position > 0 { "open" } else { "closed" };
    NewState {
        state: state.into(),
        attributes,
    }
}
