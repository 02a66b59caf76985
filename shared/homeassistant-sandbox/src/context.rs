//! Context ids: the id of the service call (or direct write) that changed an entity.
//!
//! Home Assistant's are ULIDs: 26 Crockford base-32 characters, a millisecond timestamp then 80
//! random bits. The sandbox puts a counter where the random bits go, so ids are unique within a
//! sandbox even within one millisecond, and sort in the order they were made.

use chrono::{DateTime, Utc};

/// Crockford's base-32 alphabet (no I, L, O, U), as ULIDs use.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// A ULID's length in characters: 128 bits, 5 bits a character.
const LENGTH: usize = 26;

/// Hands out context ids.
#[derive(Debug, Default)]
pub(crate) struct ContextIds {
    issued: u64,
}

impl ContextIds {
    /// A new id, stamped with `now`.
    pub fn next(&mut self, now: DateTime<Utc>) -> String {
        self.issued += 1;
        let millis = u128::try_from(now.timestamp_millis()).unwrap_or(0) & ((1 << 48) - 1);
        encode((millis << 80) | u128::from(self.issued))
    }
}

/// A 128-bit value as 26 Crockford base-32 characters, most significant first.
fn encode(value: u128) -> String {
    (0..LENGTH)
        .rev()
        .map(|i| char::from(ALPHABET[((value >> (5 * i)) & 31) as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ids_look_like_ulids_and_never_repeat() {
        let now = Utc
            .with_ymd_and_hms(2026, 12, 6, 16, 0, 0)
            .single()
            .expect("a valid time");
        let mut ids = ContextIds::default();
        let first = ids.next(now);
        let second = ids.next(now);
        assert_eq!(first.len(), 26);
        assert!(first.bytes().all(|b| ALPHABET.contains(&b)), "{first}");
        assert!(first.starts_with("01"), "a ULID of this century: {first}");
        assert_ne!(first, second);
        assert!(first < second, "made later, sorts later");
        assert!(second < ids.next(now + chrono::Duration::milliseconds(1)));
    }

    #[test]
    fn encoding_is_crockford_base32() {
        assert_eq!(encode(0), "0".repeat(26));
        assert_eq!(encode(31), format!("{}Z", "0".repeat(25)));
        assert_eq!(encode(u128::MAX), format!("7{}", "Z".repeat(25)));
    }
}
