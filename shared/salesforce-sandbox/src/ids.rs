//! Salesforce record ids: 15-character case-sensitive ids and their 18-character case-safe form.
//!
//! An id is a 3-character key prefix (which object), then 12 base-62 characters. The 18-character
//! form appends a 3-character checksum that encodes which of the first 15 characters are upper
//! case, so the id survives case-insensitive systems. Salesforce accepts either form everywhere;
//! the sandbox stores and returns the 18-character form.

/// The checksum alphabet: a 5-bit value per character.
const CHECKSUM_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The 3-character case-safe suffix of a 15-character id.
pub(crate) fn checksum(id15: &str) -> String {
    id15.as_bytes()
        .chunks(5)
        .map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_uppercase())
                .fold(0usize, |acc, (i, _)| acc | (1 << i));
            char::from(CHECKSUM_ALPHABET[bits & 31])
        })
        .collect()
}

/// A new 18-character id: key prefix, a pod-like "Dn0" and the counter in base 62.
///
/// The counter is spread with a multiplier so consecutive ids mix upper and lower case, which
/// exercises the checksum the way real ids do.
pub(crate) fn make_id(key_prefix: &str, counter: u64) -> String {
    let mut n = counter.wrapping_mul(2_654_435_761).wrapping_add(916_132_832) % 62u64.pow(9);
    let mut digits = [b'0'; 9];
    for slot in digits.iter_mut().rev() {
        // `n % 62` is below 62, so the index is in range.
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    let mut id15 = String::with_capacity(18);
    id15.push_str(key_prefix);
    id15.push_str("Dn0");
    id15.extend(digits.iter().map(|b| char::from(*b)));
    let suffix = checksum(&id15);
    id15 + &suffix
}

/// The canonical 18-character form of a 15- or 18-character id, or `None` if it is not an id.
///
/// An 18-character id may arrive in any case: its suffix says which letters are upper case, so
/// the case of the first 15 characters is restored from it (as Salesforce does).
pub(crate) fn normalize(raw: &str) -> Option<String> {
    if !raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    match raw.len() {
        15 => Some(format!("{raw}{}", checksum(raw))),
        18 => {
            let suffix = raw[15..].to_ascii_uppercase();
            let mut restored = String::with_capacity(18);
            for (chunk_index, s) in suffix.bytes().enumerate() {
                let bits = CHECKSUM_ALPHABET.iter().position(|c| *c == s)?;
                for i in 0..5 {
                    let b = raw.as_bytes()[chunk_index * 5 + i];
                    let upper = bits & (1 << i) != 0;
                    if upper && !b.is_ascii_alphabetic() {
                        return None;
                    }
                    let c = if upper {
                        b.to_ascii_uppercase()
                    } else {
                        b.to_ascii_lowercase()
                    };
                    restored.push(char::from(c));
                }
            }
            restored.push_str(&suffix);
            Some(restored)
        }
        _ => None,
    }
}

/// The key prefix (first 3 characters) of an id.
pub(crate) fn key_prefix(id: &str) -> &str {
    id.get(..3).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_known_ids() {
        // Known pairs from Salesforce documentation and orgs.
        assert_eq!(checksum("001D000000IqhSL"), "IAZ");
        assert_eq!(checksum("00190000001pPvH"), "AAU");
    }

    #[test]
    fn normalize_accepts_both_forms_and_restores_case() {
        let id18 = "001D000000IqhSLIAZ";
        let canonical = normalize("001D000000IqhSL").unwrap();
        assert_eq!(canonical.len(), 18);
        assert_eq!(normalize(&canonical).unwrap(), canonical);
        assert_eq!(normalize(&canonical.to_ascii_lowercase()).unwrap(), canonical);
        assert_eq!(normalize(&canonical.to_ascii_uppercase()).unwrap(), canonical);
        assert!(normalize(id18).is_some());
        assert_eq!(normalize("short"), None);
        assert_eq!(normalize("001D000000IqhS!"), None);
        assert_eq!(normalize("001D000000IqhSLIA?"), None);
    }

    #[test]
    fn made_ids_are_valid_and_distinct() {
        let a = make_id("003", 1);
        let b = make_id("003", 2);
        assert_ne!(a, b);
        assert_eq!(a.len(), 18);
        assert!(a.starts_with("003"));
        assert_eq!(normalize(&a).unwrap(), a);
        assert_eq!(normalize(&a[..15]).unwrap(), a);
    }

    /// The hub refuses an 18-character id whose suffix is not the checksum of its first 15; every
    /// id the sandbox makes (seeded or created) must pass that check, or the hub would refuse it.
    #[test]
    fn made_ids_pass_the_hubs_record_id_check() {
        for key_prefix in ["001", "003", "006", "500", "a01", "a02"] {
            for counter in 0..2_000 {
                let id = make_id(key_prefix, counter);
                let parsed = dewy_domain::input::RecordId::parse(&id);
                assert_eq!(parsed.map(|id| id.to_string()).ok(), Some(id.clone()), "{id}");
            }
        }
    }
}
