//! How many SMS segments a body takes, as Twilio counts (and bills) them.
//!
//! A body written entirely in the GSM-7 alphabet fits 160 characters in one segment, 153 per
//! segment once split (the rest carries the concatenation header); the extension characters
//! (`{}[]~\^|€` and the form feed) take two. Any other character switches the whole body to UCS-2:
//! 70 UTF-16 units in one segment, 67 per segment once split.

/// The GSM-7 basic character set.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                         ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The GSM-7 extension table: each takes an escape plus itself.
const GSM_EXTENDED: &str = "\u{c}^{}\\[~]|€";

/// The number of segments `body` is sent as (at least 1).
pub(crate) fn count(body: &str) -> u32 {
    let septets: Option<usize> = body
        .chars()
        .map(|c| {
            if GSM_BASIC.contains(c) {
                Some(1)
            } else if GSM_EXTENDED.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .sum();
    let (units, single, split) = match septets {
        Some(septets) => (septets, 160, 153),
        None => (body.encode_utf16().count(), 70, 67),
    };
    let segments = if units <= single { 1 } else { units.div_ceil(split) };
    u32::try_from(segments).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsm_and_unicode_bodies_are_split_as_twilio_splits_them() {
        assert_eq!(count("Your room 204 is ready."), 1);
        assert_eq!(count(&"a".repeat(160)), 1);
        assert_eq!(count(&"a".repeat(161)), 2);
        assert_eq!(count(&"a".repeat(306)), 2);
        assert_eq!(count(&"a".repeat(307)), 3);
        // Extension characters count twice.
        assert_eq!(count(&"{".repeat(80)), 1);
        assert_eq!(count(&"{".repeat(81)), 2);
        // One emoji makes the whole body UCS-2 (and takes two UTF-16 units itself).
        assert_eq!(count(&format!("{}🙂", "a".repeat(68))), 1);
        assert_eq!(count(&format!("{}🙂", "a".repeat(69))), 2);
    }
}
