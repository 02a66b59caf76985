//! HTTP basic auth, as Twilio checks it: the account SID and its auth token, or an API key SID and
//! its secret; and the account in the path must be the one authenticated.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, header};

use crate::config::TwilioSandboxConfig;
use crate::error::ApiError;

/// Whether the request may act on `path_account`; a 401 with code 20003 if not.
pub(crate) fn check(
    headers: &HeaderMap,
    path_account: &str,
    config: &TwilioSandboxConfig,
) -> Result<(), ApiError> {
    let (user, password) = credentials(headers).ok_or_else(ApiError::authenticate)?;
    let known = (user == config.account_sid && password == config.auth_token)
        || (user == config.api_key_sid && password == config.api_key_secret);
    if known && path_account == config.account_sid {
        Ok(())
    } else {
        Err(ApiError::authenticate())
    }
}

/// The user and password of an `Authorization: Basic …` header.
fn credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn basic(user: &str, password: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("Basic {}", STANDARD.encode(format!("{user}:{password}")));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&value).expect("ascii"),
        );
        headers
    }

    #[test]
    fn the_token_or_the_api_key_authenticates_for_the_own_account_only() {
        let config = TwilioSandboxConfig::default();
        let account = config.account_sid.as_str();
        assert!(check(&basic(account, &config.auth_token), account, &config).is_ok());
        assert!(
            check(
                &basic(&config.api_key_sid, &config.api_key_secret),
                account,
                &config
            )
            .is_ok()
        );
        let wrong = check(&basic(account, "nope"), account, &config).expect_err("bad token");
        assert_eq!((wrong.status, wrong.code), (401, 20003));
        let other = "AC0123456789abcdef0123456789abcdef";
        assert!(check(&basic(account, &config.auth_token), other, &config).is_err());
        assert!(check(&HeaderMap::new(), account, &config).is_err());
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert!(check(&bearer, account, &config).is_err());
    }
}
