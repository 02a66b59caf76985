//! Proof Key for Code Exchange (RFC 7636), S256 only.
//!
//! The portal is a public client (no secret), so the proof is what stops a stolen authorization
//! code from being redeemed by anyone but the browser session that asked for it. `plain` would send
//! the secret itself through the browser and is refused.

use aws_lc_rs::{constant_time, digest};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The one challenge method accepted.
pub(crate) const S256: &str = "S256";

/// Whether `challenge` can be an S256 challenge: BASE64URL (no padding) of a SHA-256 digest is
/// always 43 characters of the URL-safe alphabet. Refusing anything else at the authorization
/// endpoint tells the client about its bug there, not only when the code fails to redeem.
pub(crate) fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43 && challenge.bytes().all(is_base64url)
}

/// Whether `verifier` is a well-formed code verifier: 43 to 128 characters of the unreserved set
/// `A-Z a-z 0-9 - . _ ~` (RFC 7636 §4.1).
pub(crate) fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Whether `verifier` is well formed and BASE64URL(SHA256(verifier)) equals `challenge`.
pub(crate) fn verifier_matches(verifier: &str, challenge: &str) -> bool {
    if !is_valid_verifier(verifier) {
        return false;
    }
    let computed = challenge_of(verifier);
    // Constant-time, though both values have crossed the wire already: it costs nothing.
    constant_time::verify_slices_are_equal(computed.as_bytes(), challenge.as_bytes()).is_ok()
}

/// The S256 challenge of `verifier`: what a client sends to the authorization endpoint.
pub(crate) fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()))
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_example_verifies() {
        // RFC 7636 Appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(challenge_of(verifier), challenge);
        assert!(is_s256_challenge(challenge));
        assert!(verifier_matches(verifier, challenge));
        assert!(!verifier_matches(&verifier.replace('d', "e"), challenge));
    }

    #[test]
    fn verifiers_are_43_to_128_unreserved_characters() {
        assert!(!is_valid_verifier(&"a".repeat(42)));
        assert!(is_valid_verifier(&"a".repeat(43)));
        assert!(is_valid_verifier(&"~._-".repeat(32)));
        assert!(!is_valid_verifier(&"a".repeat(129)));
        assert!(!is_valid_verifier(&format!("{}+", "a".repeat(43))));
        // A verifier that is too short is refused even when its challenge matches.
        let short = "a".repeat(42);
        assert!(!verifier_matches(&short, &challenge_of(&short)));
    }

    #[test]
    fn challenges_are_43_base64url_characters() {
        assert!(!is_s256_challenge(&"a".repeat(42)));
        assert!(!is_s256_challenge(&format!("{}=", "a".repeat(42))));
        assert!(!is_s256_challenge(&format!("{}+", "a".repeat(42))));
    }
}
