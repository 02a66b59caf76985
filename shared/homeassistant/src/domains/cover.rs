//! [`Cover`]: blinds, and how far open they are.

use super::small_count;
use crate::EntityState;
use serde::{Deserialize, Serialize};

/// A cover's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverState {
    /// Open, fully or partly.
    Open,
    /// Closed.
    Closed,
    /// Moving towards open.
    Opening,
    /// Moving towards closed.
    Closing,
}

impl CoverState {
    /// HA's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverState::Open => "open",
            CoverState::Closed => "closed",
            CoverState::Opening => "opening",
            CoverState::Closing => "closing",
        }
    }

    fn parse(state: &str) -> Option<CoverState> {
        [
            CoverState::Open,
            CoverState::Closed,
            CoverState::Opening,
            CoverState::Closing,
        ]
        .into_iter()
        .find(|candidate| candidate.as_str() == state)
    }
}

impl std::fmt::Display for CoverState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `cover.*` entity (a room's blinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cover {
    /// Open, closed, or moving.
    pub state: CoverState,
    /// `current_position`, 0 (closed) to 100 (open), for covers that report it.
    pub position: Option<u8>,
}

impl EntityState {
    /// The entity as a [`Cover`]; `None` unless it is an available `cover.*` in a known state.
    pub fn cover(&self) -> Option<Cover> {
        if !self.viewable_as("cover") {
            return None;
        }
        Some(Cover {
            state: CoverState::parse(&self.state)?,
            position: self.attribute("current_position").and_then(small_count),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::fixtures::state;
    use serde_json::json;

    #[test]
    fn blinds_open_and_closed() {
        let attributes = |position| {
            json!({"current_position": position, "supported_features": 15,
                   "friendly_name": "Room 101 Blinds"})
        };
        let open = state("cover.room_101_blinds", "open", attributes(100)).cover();
        assert_eq!(
            open,
            Some(Cover {
                state: CoverState::Open,
                position: Some(100)
            })
        );
        let closed = state("cover.room_105_blinds", "closed", attributes(0)).cover();
        assert_eq!(
            closed.map(|c| (c.state, c.position)),
            Some((CoverState::Closed, Some(0)))
        );
        let moving = state("cover.room_105_blinds", "closing", json!({})).cover();
        assert_eq!(
            moving.map(|c| (c.state, c.position)),
            Some((CoverState::Closing, None))
        );
    }

    #[test]
    fn unknown_states_and_other_domains_have_no_cover_view() {
        assert!(
            state("cover.room_101_blinds", "unknown", json!({}))
                .cover()
                .is_none()
        );
        assert!(
            state("cover.room_101_blinds", "unavailable", json!({}))
                .cover()
                .is_none()
        );
        assert!(state("light.room_101_main", "open", json!({})).cover().is_none());
        assert_eq!(CoverState::Opening.to_string(), "opening");
    }
}
