//! The issuer's memory of what it handed out: authorization codes and refresh tokens.
//!
//! Both live only in this process (a restart of the local stack signs everyone out, as a fresh
//! user pool would). Expired entries are dropped whenever a new one is stored, so the maps stay
//! as small as the number of live grants.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng as _;

/// What an authorization code stands for: the sign-in and the request it answered. Redeeming the
/// code must present the same client, redirect URI and a verifier of the same challenge.
#[derive(Debug, Clone)]
pub(crate) struct CodeGrant {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) code_challenge: String,
    pub(crate) nonce: Option<String>,
    pub(crate) session: Session,
}

/// A signed-in user, as a refresh token remembers them.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) email: String,
    pub(crate) client_id: String,
    /// The granted scopes, space-separated, as the access token's `scope` claim carries them.
    pub(crate) scope: String,
    /// When the user typed their password: refreshed tokens keep it (OpenID Connect Core §12.2).
    pub(crate) auth_time: i64,
}

struct Entry<T> {
    value: T,
    expires_at: Instant,
}

impl<T> Entry<T> {
    fn is_live(&self, now: Instant) -> bool {
        now < self.expires_at
    }
}

/// Codes and refresh tokens, each behind its own lock (the two are never held together).
#[derive(Default)]
pub(crate) struct GrantStore {
    codes: Mutex<HashMap<String, Entry<CodeGrant>>>,
    refresh_tokens: Mutex<HashMap<String, Entry<Session>>>,
}

impl GrantStore {
    /// Stores `grant` under a new random code, valid for `ttl`.
    pub(crate) fn issue_code(&self, grant: CodeGrant, ttl: Duration) -> String {
        insert(&self.codes, grant, ttl)
    }

    /// Removes and returns the grant of `code` if it is live. The code is gone either way, so a
    /// code is redeemed at most once, whatever the outcome of the redemption.
    pub(crate) fn take_code(&self, code: &str) -> Option<CodeGrant> {
        let entry = lock(&self.codes).remove(code)?;
        entry.is_live(Instant::now()).then_some(entry.value)
    }

    /// Stores `session` under a new random refresh token, valid for `ttl`.
    pub(crate) fn issue_refresh_token(&self, session: Session, ttl: Duration) -> String {
        insert(&self.refresh_tokens, session, ttl)
    }

    /// The session of a live refresh token. Not removed: like Cognito without rotation, a refresh
    /// token is reused until it expires.
    pub(crate) fn session_of(&self, refresh_token: &str) -> Option<Session> {
        let mut tokens = lock(&self.refresh_tokens);
        let now = Instant::now();
        match tokens.get(refresh_token) {
            Some(entry) if entry.is_live(now) => Some(entry.value.clone()),
            Some(_) => {
                tokens.remove(refresh_token);
                None
            }
            None => None,
        }
    }
}

fn insert<T>(map: &Mutex<HashMap<String, Entry<T>>>, value: T, ttl: Duration) -> String {
    let now = Instant::now();
    let key = random_token();
    let expires_at = now
        .checked_add(ttl)
        .unwrap_or(now + Duration::from_secs(86_400 * 365));
    let mut map = lock(map);
    map.retain(|_, entry| entry.is_live(now));
    map.insert(key.clone(), Entry { value, expires_at });
    key
}

/// A lock that survives a panic elsewhere: the maps hold no invariant a half-done update could
/// break (every update is one insert or one remove).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// 256 random bits, base64url: unguessable, and safe in a URL query without escaping.
fn random_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            email: "kay@example.com".into(),
            client_id: "client".into(),
            scope: "openid".into(),
            auth_time: 0,
        }
    }

    fn grant() -> CodeGrant {
        CodeGrant {
            client_id: "client".into(),
            redirect_uri: "http://localhost:3000/".into(),
            code_challenge: "c".into(),
            nonce: None,
            session: session(),
        }
    }

    #[test]
    fn a_code_is_taken_once() {
        let store = GrantStore::default();
        let code = store.issue_code(grant(), Duration::from_secs(60));
        assert_eq!(code.len(), 43);
        assert!(store.take_code(&code).is_some());
        assert!(store.take_code(&code).is_none());
    }

    #[test]
    fn an_expired_code_or_refresh_token_is_refused_and_dropped() {
        let store = GrantStore::default();
        let code = store.issue_code(grant(), Duration::ZERO);
        assert!(store.take_code(&code).is_none());
        let token = store.issue_refresh_token(session(), Duration::ZERO);
        assert!(store.session_of(&token).is_none());
        assert!(lock(&store.refresh_tokens).is_empty());
    }

    #[test]
    fn a_refresh_token_is_reused_until_it_expires() {
        let store = GrantStore::default();
        let token = store.issue_refresh_token(session(), Duration::from_secs(60));
        assert!(store.session_of(&token).is_some());
        assert!(store.session_of(&token).is_some());
        assert!(store.session_of("unknown").is_none());
    }

    #[test]
    fn storing_drops_expired_entries() {
        let store = GrantStore::default();
        store.issue_code(grant(), Duration::ZERO);
        store.issue_code(grant(), Duration::from_secs(60));
        assert_eq!(lock(&store.codes).len(), 1);
    }
}
