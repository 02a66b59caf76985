//! `select.select_option`: the option must be one of the select's `options`.

use serde_json::Value;

use super::NewState;
use super::schema::{Data, required};
use crate::entity::Entity;

/// A select service with its data read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    SelectOption(String),
}

/// The select service named `service`, its data read; `None` if there is no such service.
pub(crate) fn parse(service: &str, data: &Data) -> Option<Result<Action, String>> {
    if service != "select_option" {
        return None;
    }
    let action = data.allow_only(&["option"]).and_then(|()| {
        let option = required("option", data.string("option")?)?;
        Ok(Action::SelectOption(option.to_owned()))
    });
    Some(action)
}

/// What `action` makes of `select`, or why it refuses.
pub(crate) fn propose(action: &Action, select: &Entity) -> Result<NewState, String> {
    let Action::SelectOption(option) = action;
    let options: Vec<&str> = select
        .attribute("options")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !options.contains(&option.as_str()) {
        return Err(format!(
            "Option {option} is not valid for entity {}; valid options are {}",
            select.entity_id,
            options.join(", ")
        ));
    }
    Ok(NewState {
        state: option.clone(),
        attributes: select.attributes.clone(),
    })
}
