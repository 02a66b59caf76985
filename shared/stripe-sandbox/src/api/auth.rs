//! Who is calling: the secret key, as Stripe takes it (Bearer, or Basic with the key as user name).

use http::HeaderMap;

use super::header_str;
use crate::error::SandboxError;
use crate::state::Shared;

/// The caller's secret key, if the sandbox accepts it.
pub(super) fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<String, SandboxError> {
    let Some(value) = header_str(headers, "authorization") else {
        return Err(SandboxError::authentication(
            "You did not provide an API key. You need to provide your API key in the Authorization \
             header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See \
             https://stripe.com/docs/api#authentication for details, or we can help at \
             https://support.stripe.com/.",
        ));
    };
    // Bearer, or Basic with the key as the user name (`curl -u sk_test_...:` in Stripe's docs).
    let key = match value.split_once(' ') {
        Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") => key.trim().to_owned(),
        Some((scheme, encoded)) if scheme.eq_ignore_ascii_case("basic") => {
            basic_user(encoded.trim()).unwrap_or_default()
        }
        _ => String::new(),
    };
    let key = key.as_str();
    if shared.config.accepts(key) {
        return Ok(key.to_owned());
    }
    if key.starts_with("sk_live_") || key.starts_with("rk_live_") {
        return Err(SandboxError::authentication(
            "This is a sandbox: it accepts test-mode keys (sk_test_...) only, never live keys.",
        ));
    }
    // Like Stripe, show only enough of the key to recognise it.
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Err(SandboxError::authentication(format!(
        "Invalid API Key provided: {}****{tail}",
        key.chars().take(8).collect::<String>()
    )))
}

/// The user name of a Basic credential (`base64(user:password)`).
fn basic_user(encoded: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in encoded.bytes().take_while(|&c| c != b'=') {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push(u8::try_from((bits >> count) & 0xff).ok()?);
        }
    }
    let text = String::from_utf8(bytes).ok()?;
    Some(match text.split_once(':') {
        Some((user, _)) => user.to_owned(),
        None => text,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn basic_credentials_yield_the_user_name() {
        // base64("sk_test_dewy_sandbox:")
        assert_eq!(
            super::basic_user("c2tfdGVzdF9kZXd5X3NhbmRib3g6").as_deref(),
            Some("sk_test_dewy_sandbox")
        );
        assert_eq!(super::basic_user("YTpi").as_deref(), Some("a")); // "a:b"
        assert_eq!(super::basic_user("!!"), None);
    }
}
