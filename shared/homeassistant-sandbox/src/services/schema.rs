//! A service call's data read the way Home Assistant's service schemas read it, refusing what
//! they refuse with messages worded like theirs (`… for dictionary value @ data['brightness']`).
//!
//! Numbers are what JSON calls numbers: an integer field takes a float and drops its fraction, as
//! Home Assistant's int coercion does, but a string or a boolean is the wrong type.

use serde_json::{Map, Value};

/// A service call's data, the target (`entity_id`) already taken out.
#[derive(Debug, Default)]
pub(crate) struct Data {
    fields: Map<String, Value>,
}

impl Data {
    pub fn new(fields: Map<String, Value>) -> Self {
        Self { fields }
    }

    /// Refuses a key the service does not take (the first, in key order).
    pub fn allow_only(&self, keys: &[&str]) -> Result<(), String> {
        match self.fields.keys().find(|key| !keys.contains(&key.as_str())) {
            Some(extra) => Err(format!("extra keys not allowed @ data['{extra}']")),
            None => Ok(()),
        }
    }

    /// Refuses two keys of one group given together (`brightness` and `brightness_pct`).
    pub fn exclusive(&self, group: &str, keys: &[&str]) -> Result<(), String> {
        if keys.iter().filter(|key| self.fields.contains_key(**key)).count() > 1 {
            return Err(format!(
                "two or more values in the same group of exclusion '{group}' @ data[<{group}>]"
            ));
        }
        Ok(())
    }

    /// An integer from `min` to `max`.
    pub fn int(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, String> {
        let Some(value) = self.fields.get(key) else {
            return Ok(None);
        };
        let n = as_int(value).ok_or_else(|| invalid(key, "expected int"))?;
        in_range(n as f64, min as f64, max as f64).map_err(|e| invalid(key, &e))?;
        Ok(Some(n))
    }

    /// A number from `min` to `max`.
    pub fn float(&self, key: &str, min: f64, max: f64) -> Result<Option<f64>, String> {
        let Some(value) = self.fields.get(key) else {
            return Ok(None);
        };
        let n = as_float(value).ok_or_else(|| invalid(key, "expected float"))?;
        in_range(n, min, max).map_err(|e| invalid(key, &e))?;
        Ok(Some(n))
    }

    /// A string.
    pub fn string(&self, key: &str) -> Result<Option<&str>, String> {
        match self.fields.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(invalid(key, "expected str")),
        }
    }

    /// A string among `choices`, as an enum coercion reads it: anything else (another string, or
    /// not a string) is `expected <type_name> or one of 'a', 'b'…`.
    pub fn one_of(&self, key: &str, choices: &[&str], type_name: &str) -> Result<Option<&str>, String> {
        let Some(value) = self.fields.get(key) else {
            return Ok(None);
        };
        match value.as_str() {
            Some(choice) if choices.contains(&choice) => Ok(Some(choice)),
            _ => {
                let quoted: Vec<String> = choices.iter().map(|c| format!("'{c}'")).collect();
                let problem = format!("expected {type_name} or one of {}", quoted.join(", "));
                Err(invalid(key, &problem))
            }
        }
    }

    /// A list of exactly `ranges.len()` numbers, each in its range (`hs_color`, `rgb_color`).
    /// With `integers`, each is an integer (the fraction dropped).
    pub fn numbers(
        &self,
        key: &str,
        ranges: &[(f64, f64)],
        integers: bool,
    ) -> Result<Option<Vec<f64>>, String> {
        let Some(value) = self.fields.get(key) else {
            return Ok(None);
        };
        let items = value
            .as_array()
            .filter(|items| items.len() == ranges.len())
            .ok_or_else(|| invalid(key, &format!("expected a list of {} numbers", ranges.len())))?;
        let mut numbers = Vec::with_capacity(items.len());
        for (i, (item, &(min, max))) in items.iter().zip(ranges).enumerate() {
            let at = |problem: &str| format!("{problem} @ data['{key}'][{i}]");
            let n = if integers {
                as_int(item).map(|n| n as f64).ok_or_else(|| at("expected int"))?
            } else {
                as_float(item).ok_or_else(|| at("expected float"))?
            };
            in_range(n, min, max).map_err(|e| at(&e))?;
            numbers.push(n);
        }
        Ok(Some(numbers))
    }
}

/// A required key's value, or Home Assistant's message for its absence.
pub(crate) fn required<T>(key: &str, value: Option<T>) -> Result<T, String> {
    value.ok_or_else(|| format!("required key not provided @ data['{key}']"))
}

fn invalid(key: &str, problem: &str) -> String {
    format!("{problem} for dictionary value @ data['{key}']")
}

fn as_float(value: &Value) -> Option<f64> {
    value.as_f64().filter(|n| n.is_finite())
}

fn as_int(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| as_float(value).map(|n| n.trunc() as i64))
}

fn in_range(n: f64, min: f64, max: f64) -> Result<(), String> {
    if n < min {
        Err(format!("value must be at least {}", bound(min)))
    } else if n > max {
        Err(format!("value must be at most {}", bound(max)))
    } else {
        Ok(())
    }
}

/// A range's bound as a schema prints it: `255`, not `255.0`.
fn bound(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data(value: Value) -> Data {
        Data::new(value.as_object().cloned().unwrap_or_default())
    }

    #[test]
    fn integers_are_coerced_from_numbers_only_and_range_checked() {
        let d = data(json!({"a": 127.9, "b": "128", "c": 256, "d": -1, "e": true}));
        assert_eq!(d.int("a", 0, 255), Ok(Some(127)));
        assert_eq!(d.int("missing", 0, 255), Ok(None));
        assert_eq!(
            d.int("b", 0, 255),
            Err("expected int for dictionary value @ data['b']".to_owned())
        );
        assert_eq!(
            d.int("c", 0, 255),
            Err("value must be at most 255 for dictionary value @ data['c']".to_owned())
        );
        assert_eq!(
            d.int("d", 0, 255),
            Err("value must be at least 0 for dictionary value @ data['d']".to_owned())
        );
        assert!(d.int("e", 0, 255).is_err());
    }

    #[test]
    fn sequences_check_their_length_and_each_item() {
        let d = data(json!({"hs": [400, 50], "short": [1], "rgb": [255, 0.5, 300]}));
        let hs = [(0.0, 360.0), (0.0, 100.0)];
        assert_eq!(
            d.numbers("hs", &hs, false),
            Err("value must be at most 360 @ data['hs'][0]".to_owned())
        );
        assert!(
            d.numbers("short", &hs, false)
                .is_err_and(|e| e.contains("a list of 2 numbers"))
        );
        let rgb = [(0.0, 255.0); 3];
        assert_eq!(
            d.numbers("rgb", &rgb, true),
            Err("value must be at most 255 @ data['rgb'][2]".to_owned())
        );
    }

    #[test]
    fn extra_and_exclusive_keys_are_refused() {
        let d = data(json!({"brightness": 1, "brightness_pct": 2}));
        assert_eq!(d.allow_only(&["brightness", "brightness_pct"]), Ok(()));
        assert_eq!(
            d.allow_only(&["brightness"]),
            Err("extra keys not allowed @ data['brightness_pct']".to_owned())
        );
        assert!(
            d.exclusive("Brightness descriptors", &["brightness", "brightness_pct"])
                .is_err_and(|e| e.contains("group of exclusion 'Brightness descriptors'"))
        );
        assert_eq!(
            required("option", None::<&str>),
            Err("required key not provided @ data['option']".to_owned())
        );
    }
}
