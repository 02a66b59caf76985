//! The issuer's signing keys: fetched lazily, cached, refreshed on an unknown `kid` at a bounded rate.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;
use tokio::sync::{Mutex, RwLock};

use crate::AuthError;

/// A JWKS larger than this is not a key set: refusing it bounds memory on a hostile or broken endpoint.
const MAX_JWKS_BYTES: usize = 256 * 1024;
/// Each JWKS request gets this long; a verifier must not hang a request on a slow key endpoint.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// After a failed fetch, wait this long before trying again, so an outage is not amplified by us.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(2);

/// The cached key set of one issuer.
pub(crate) struct KeyCache {
    url: url::Url,
    http: reqwest::Client,
    min_refetch_interval: Duration,
    keys: RwLock<Arc<HashMap<String, DecodingKey>>>,
    /// Held for the whole of a fetch, so concurrent callers wait for one fetch instead of each making
    /// their own; it guards the time and outcome of the last attempt.
    fetch: Mutex<Option<Attempt>>,
}

#[derive(Clone, Copy)]
struct Attempt {
    at: Instant,
    ok: bool,
}

impl KeyCache {
    pub(crate) fn new(url: url::Url, http: reqwest::Client, min_refetch_interval: Duration) -> Self {
        KeyCache {
            url,
            http,
            min_refetch_interval,
            keys: RwLock::new(Arc::new(HashMap::new())),
            fetch: Mutex::new(None),
        }
    }

    /// The key for `kid`, fetching the key set if it is not cached and the rate limit allows.
    pub(crate) async fn key(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        if let Some(key) = self.keys.read().await.get(kid) {
            return Ok(key.clone());
        }
        let mut last = self.fetch.lock().await;
        // Another caller may have fetched while we waited for the lock.
        if let Some(key) = self.keys.read().await.get(kid) {
            return Ok(key.clone());
        }
        let have_keys = !self.keys.read().await.is_empty();
        if let Some(attempt) = *last {
            let wait = if attempt.ok {
                self.min_refetch_interval
            } else {
                RETRY_AFTER_FAILURE
            };
            if attempt.at.elapsed() < wait {
                // Rate-limited: garbage kids must not make us hammer the key endpoint.
                return Err(if attempt.ok || have_keys {
                    AuthError::UnknownKey
                } else {
                    AuthError::KeysUnavailable
                });
            }
        }
        let fetched = self.fetch_keys().await;
        *last = Some(Attempt {
            at: Instant::now(),
            ok: fetched.is_ok(),
        });
        match fetched {
            Ok(keys) => {
                let found = keys.get(kid).cloned();
                *self.keys.write().await = Arc::new(keys);
                found.ok_or(AuthError::UnknownKey)
            }
            // Keep serving the keys we have; only a verifier that never had keys is unavailable.
            Err(()) if have_keys => Err(AuthError::UnknownKey),
            Err(()) => Err(AuthError::KeysUnavailable),
        }
    }

    async fn fetch_keys(&self) -> Result<HashMap<String, DecodingKey>, ()> {
        let body = match self.fetch_body().await {
            Ok(body) => body,
            Err(reason) => {
                tracing::warn!(jwks_url = %self.url, reason, "could not fetch the token signing keys");
                return Err(());
            }
        };
        let keys = parse_jwks(&body);
        if keys.is_empty() {
            tracing::warn!(jwks_url = %self.url, "the key set has no usable RS256 keys");
            return Err(());
        }
        tracing::debug!(jwks_url = %self.url, keys = keys.len(), "fetched the token signing keys");
        Ok(keys)
    }

    async fn fetch_body(&self) -> Result<Vec<u8>, String> {
        let mut response = self
            .http
            .get(self.url.clone())
            .timeout(FETCH_TIMEOUT)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err("the key set is too large".to_owned());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// The RS256 signing keys of a JWKS document, by `kid`. Keys of other types or uses are skipped
/// rather than failing the set, since issuers may publish several kinds.
pub(crate) fn parse_jwks(body: &[u8]) -> HashMap<String, DecodingKey> {
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(body) else {
        return HashMap::new();
    };
    let Some(keys) = doc.get("keys").and_then(|k| k.as_array()) else {
        return HashMap::new();
    };
    let field =
        |key: &serde_json::Value, name: &str| key.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    keys.iter()
        .filter(|key| field(key, "kty").as_deref() == Some("RSA"))
        .filter(|key| matches!(field(key, "alg").as_deref(), None | Some("RS256")))
        .filter(|key| matches!(field(key, "use").as_deref(), None | Some("sig")))
        .filter_map(|key| {
            let kid = field(key, "kid")?;
            let decoding = DecodingKey::from_rsa_components(&field(key, "n")?, &field(key, "e")?).ok()?;
            Some((kid, decoding))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rs256_signing_keys_are_kept() {
        let body = serde_json::json!({"keys": [
            {"kty": "RSA", "kid": "a", "alg": "RS256", "use": "sig", "n": "AQAB", "e": "AQAB"},
            {"kty": "RSA", "kid": "b", "n": "AQAB", "e": "AQAB"},
            {"kty": "RSA", "kid": "c", "use": "enc", "n": "AQAB", "e": "AQAB"},
            {"kty": "EC", "kid": "d", "crv": "P-256", "x": "AQAB", "y": "AQAB"},
            {"kty": "RSA", "kid": "e", "n": "!!", "e": "AQAB"},
            {"kty": "RSA", "n": "AQAB", "e": "AQAB"},
            "junk"
        ]});
        let keys = parse_jwks(body.to_string().as_bytes());
        let mut kids: Vec<&str> = keys.keys().map(String::as_str).collect();
        kids.sort();
        assert_eq!(kids, ["a", "b"]);
        assert!(parse_jwks(b"not json").is_empty());
        assert!(parse_jwks(b"{\"keys\": 3}").is_empty());
    }
}
