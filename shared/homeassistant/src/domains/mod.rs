//! Typed views of the four domains the hotel drives: [`Light`], [`Climate`], [`Cover`], [`Select`].
//!
//! Each view is read from an [`EntityState`](crate::EntityState)'s state and attributes by the
//! accessor of its name (`state.light()`, …), which is `None` when the entity is of another domain
//! or unavailable. Attributes of an unexpected type read as absent rather than failing: one odd
//! attribute must not hide the rest of a room from the tools.

mod climate;
mod cover;
mod light;
mod select;

pub use climate::{Climate, HvacMode};
pub use cover::{Cover, CoverState};
pub use light::Light;
pub use select::Select;

use serde_json::Value;

/// A number attribute (HA writes temperatures as integers or floats alike).
fn number(value: &Value) -> Option<f64> {
    value.as_f64()
}

/// A 0-255 (brightness) or 0-100 (position) attribute; a float is rounded, as HA itself rounds.
fn small_count(value: &Value) -> Option<u8> {
    let number = number(value)?.round();
    (0.0..=255.0)
        .contains(&number)
        // In range and rounded, so the cast is exact.
        .then_some(number as u8)
}

/// A list-of-strings attribute (`supported_color_modes`, `effect_list`, `options`); absent or of
/// another type reads as empty, and non-string items are skipped.
fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! State objects of the four domains, shaped as the hotel's Home Assistant answers them.

    use crate::EntityState;
    use serde_json::{Value, json};

    /// A state object for `entity_id` with `state` and `attributes`.
    pub fn state(entity_id: &str, state: &str, attributes: Value) -> EntityState {
        serde_json::from_value(json!({
            "entity_id": entity_id, "state": state, "attributes": attributes,
            "last_changed": "2026-12-06T16:00:00.000000+00:00",
            "last_updated": "2026-12-06T16:00:00.000000+00:00",
            "context": {"id": "01JEXAMPLE0000000000000000", "parent_id": null, "user_id": null}
        }))
        .expect("a well-formed state object")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attribute_readers_tolerate_odd_values() {
        assert_eq!(small_count(&json!(180)), Some(180));
        assert_eq!(small_count(&json!(179.6)), Some(180));
        assert_eq!(small_count(&json!(256)), None);
        assert_eq!(small_count(&json!(-1)), None);
        assert_eq!(small_count(&json!("180")), None);
        assert_eq!(strings(Some(&json!(["hs", 3, "xy"]))), ["hs", "xy"]);
        assert!(strings(Some(&json!("hs"))).is_empty());
        assert!(strings(None).is_empty());
    }
}
