//! What every device command does around its own service calls: read the caller's rooms and the
//! device in parallel, refuse a device the caller may not control exactly as one that does not
//! exist, make the calls, and answer the device's new state with an audit record of the change.

use super::access;
use super::devices::{Device, effects_companion};
use dewy_domain::ToolError;
use dewy_domain::input::DeviceId;
use dewy_homeassistant::{EntityId, EntityState, HomeAssistantError, ServiceCall};
use dewy_tool::{Context, backend_error};

/// A device as read before a command: its HA state, and its effects companion's for a light.
pub(super) struct Target {
    pub(super) id: EntityId,
    pub(super) state: EntityState,
    pub(super) companion: Option<EntityState>,
}

impl Target {
    /// The device as the tools show it.
    pub(super) fn device(&self) -> Option<Device> {
        Device::read(&self.state, self.companion.as_ref())
    }
}

/// The device `device_id`, read for a command by this caller, or the refusal:
/// `DEVICE_NOT_FOUND` alike for a device of another room and one that does not exist.
pub(super) async fn target(ctx: &Context, device_id: &DeviceId) -> Result<Target, ToolError> {
    let ha = ctx.home_assistant()?;
    let id = EntityId::parse(device_id.as_str()).map_err(|_| access::device_not_found(device_id))?;
    let companion_id = (device_id.kind() == "light")
        .then(|| effects_companion(&id))
        .flatten();
    let companion = async {
        match &companion_id {
            Some(companion) => Some(ha.state(companion).await),
            None => None,
        }
    };
    let (access, state, companion) = tokio::join!(access::of_caller(ctx), ha.state(&id), companion);
    let allowed = access.map(|access| access.allows(device_id));
    ctx.audit().check_on(
        "device_in_callers_room",
        device_id.as_str(),
        match allowed {
            Ok(true) => Ok(()),
            Ok(false) => Err(access::device_not_found(device_id)),
            Err(error) => Err(error),
        },
    )?;
    let state = state.map_err(|error| home_assistant_error(device_id, error))?;
    let companion = match companion {
        Some(Ok(state)) => Some(state),
        Some(Err(HomeAssistantError::NotFound)) | None => None,
        Some(Err(error)) => return Err(home_assistant_error(device_id, error)),
    };
    Ok(Target { id, state, companion })
}

/// Makes `calls` (at once: each sets its own entity) and answers the device's new state, from
/// Home Assistant's answers (read again only when an answer cannot be trusted to show it), recording
/// the change on the audit trail (who: the caller; which device, in which room: its id; before →
/// after).
pub(super) async fn apply(
    ctx: &Context,
    device_id: &DeviceId,
    target: Target,
    calls: Vec<ServiceCall>,
) -> Result<Device, ToolError> {
    let ha = ctx.home_assistant()?;
    let before = target.device();
    let answers = futures::future::join_all(calls.iter().map(|call| ha.call(call))).await;
    let mut state = target.state.clone();
    let mut companion = target.companion.clone();
    let mut unconfirmed = false;
    for (call, answer) in calls.iter().zip(answers) {
        let changed = answer.map_err(|error| home_assistant_error(device_id, error))?;
        let entity = call.entity_id();
        match changed.into_iter().find(|s| &s.entity_id == entity) {
            Some(new) if new.entity_id == target.id => state = new,
            Some(new) => companion = Some(new),
            // No change reported: the entity already was as asked, or the call was repeated
            // after its first answer was lost (then the state must be read to be known).
            None => {
                let read = if *entity == target.id {
                    Some(&state)
                } else {
                    companion.as_ref()
                };
                unconfirmed |= !read.is_some_and(|read| call.is_shown_by(read));
            }
        }
    }
    if unconfirmed {
        let (read, read_companion) = tokio::join!(ha.state(&target.id), async {
            match &companion {
                Some(c) => Some(ha.state(&c.entity_id).await),
                None => None,
            }
        });
        state = read.map_err(|error| home_assistant_error(device_id, error))?;
        if let Some(read) = read_companion {
            companion = Some(read.map_err(|error| home_assistant_error(device_id, error))?);
        }
    }
    let after = Device::read(&state, companion.as_ref()).ok_or_else(ToolError::internal)?;
    let summary = |device: &Device| serde_json::to_string(&device.state).unwrap_or_default();
    ctx.audit().changed(
        object_of(device_id.kind()),
        device_id.as_str(),
        Some("state"),
        before.as_ref().map(summary).as_deref(),
        &summary(&after),
    );
    Ok(after)
}

/// The audit trail's object for a device kind.
fn object_of(kind: &str) -> &'static str {
    match kind {
        "light" => "light",
        "climate" => "climate",
        _ => "cover",
    }
}

/// A Home Assistant failure about `device_id`: an unknown entity is `DEVICE_NOT_FOUND` like any
/// device the caller may not control; the rest as `backend_error::home_assistant` maps them.
fn home_assistant_error(device_id: &DeviceId, error: HomeAssistantError) -> ToolError {
    match error {
        HomeAssistantError::NotFound => access::device_not_found(device_id),
        error => backend_error::home_assistant(error),
    }
}
