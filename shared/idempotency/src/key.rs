//! Record ids and payload hashes: SHA-256 over a canonical JSON form.
//!
//! The canonical form sorts object keys recursively and is written by hand, not by `serde_json`:
//! `serde_json`'s map order depends on whether some crate in the build enables its
//! `preserve_order` feature, and a hash must not change because of an unrelated dependency.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt;

/// The id of one idempotency record: `"<tool>#<sha256 hex of the canonical key material>"`.
///
/// The tool name is part of the id so that the same key sent to two tools never collides
/// (Powertools prefixes its hash with the function name for the same reason).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey {
    id: String,
}

impl IdempotencyKey {
    /// Builds the record id for `tool` from `key_material` (typically the client's idempotency key,
    /// or the arguments that identify the operation).
    pub fn new(tool: &str, key_material: &Value) -> Self {
        Self {
            id: format!("{tool}#{}", payload_hash(key_material)),
        }
    }

    /// The record id, as stored in the table's partition key.
    pub fn as_str(&self) -> &str {
        &self.id
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl AsRef<str> for IdempotencyKey {
    fn as_ref(&self) -> &str {
        &self.id
    }
}

/// SHA-256 (lower-case hex) of the canonical JSON of `payload`.
///
/// Equal JSON values hash equal whatever their key order. Numbers are hashed as `serde_json`
/// prints them, so `1` and `1.0` differ: clients that resend the same request send the same text.
pub fn payload_hash(payload: &Value) -> String {
    let mut hasher = Sha256::new();
    write_canonical(&mut hasher, payload);
    to_hex(&hasher.finalize())
}

/// The canonical JSON text of `value` (sorted keys, no whitespace). Exposed for debugging and
/// tests; [`payload_hash`] hashes exactly these bytes.
pub fn canonical_json(value: &Value) -> String {
    let mut out = Vec::new();
    write_canonical(&mut out, value);
    // Every byte written comes from `&str`s, so the buffer is valid UTF-8; lossy is a no-op here.
    String::from_utf8_lossy(&out).into_owned()
}

/// Where canonical bytes go: a hasher (no intermediate allocation) or a buffer.
trait Sink {
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

fn write_canonical(sink: &mut impl Sink, value: &Value) {
    match value {
        Value::Null => sink.put(b"null"),
        Value::Bool(true) => sink.put(b"true"),
        Value::Bool(false) => sink.put(b"false"),
        Value::Number(n) => sink.put(n.to_string().as_bytes()),
        Value::String(s) => write_string(sink, s),
        Value::Array(items) => {
            sink.put(b"[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    sink.put(b",");
                }
                write_canonical(sink, item);
            }
            sink.put(b"]");
        }
        Value::Object(map) => {
            // Sort by the raw key (byte order), independent of the map's own iteration order.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            sink.put(b"{");
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    sink.put(b",");
                }
                write_string(sink, key);
                sink.put(b":");
                write_canonical(sink, item);
            }
            sink.put(b"}");
        }
    }
}

/// Writes a JSON string literal with the minimal escapes of RFC 8259.
fn write_string(sink: &mut impl Sink, s: &str) {
    sink.put(b"\"");
    let mut start = 0;
    for (i, byte) in s.bytes().enumerate() {
        let escape: Option<&[u8]> = match byte {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            _ => None,
        };
        if escape.is_none() && byte >= 0x20 {
            continue;
        }
        sink.put(&s.as_bytes()[start..i]);
        match escape {
            Some(e) => sink.put(e),
            None => sink.put(format!("\\u{byte:04x}").as_bytes()),
        }
        start = i + 1;
    }
    sink.put(&s.as_bytes()[start..]);
    sink.put(b"\"");
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_does_not_change_the_hash() {
        let a: Value =
            serde_json::from_str(r#"{"b":1,"a":{"y":[1,{"q":2,"p":3}],"x":null}}"#).unwrap_or_default();
        let b: Value =
            serde_json::from_str(r#"{"a":{"x":null,"y":[1,{"p":3,"q":2}]},"b":1}"#).unwrap_or_default();
        assert_ne!(a, Value::Null);
        assert_eq!(payload_hash(&a), payload_hash(&b));
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"x":null,"y":[1,{"p":3,"q":2}]},"b":1}"#
        );
    }

    #[test]
    fn different_payloads_hash_differently() {
        assert_ne!(payload_hash(&json!({"a": 1})), payload_hash(&json!({"a": 2})));
        assert_ne!(payload_hash(&json!([1, 2])), payload_hash(&json!([2, 1])));
        assert_ne!(payload_hash(&json!("1")), payload_hash(&json!(1)));
    }

    #[test]
    fn canonical_text_is_valid_json_with_escapes() {
        let v = json!({"k\"\n": "tab\there \u{1} é \\"});
        let text = canonical_json(&v);
        let back: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, v);
    }

    #[test]
    fn hash_is_sha256_hex_of_the_canonical_text() {
        // sha256("{}") — a known vector.
        assert_eq!(
            payload_hash(&json!({})),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn key_id_is_tool_hash() {
        let key = IdempotencyKey::new("create_booking", &json!({"k": "abc"}));
        let expected = format!("create_booking#{}", payload_hash(&json!({"k": "abc"})));
        assert_eq!(key.as_str(), expected);
        assert_eq!(key.to_string(), expected);
    }
}
