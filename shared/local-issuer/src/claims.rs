//! The claims of the issuer's tokens, shaped like Cognito's.

use std::time::Duration;

use rand::Rng as _;
use serde_json::json;

use super::{DemoUser, LocalIssuer, SCOPE};

impl LocalIssuer {
    /// The claims of an access token for `user`: Cognito's access-token claims plus `email`.
    /// Public so tests can alter one claim and [`sign`](Self::sign) the result.
    pub fn access_claims(&self, user: &DemoUser, ttl: Duration) -> serde_json::Value {
        let (now, exp) = now_and_exp(ttl);
        let sub = user.subject();
        json!({
            "sub": sub,
            "cognito:groups": user.groups,
            "iss": self.issuer(),
            "version": 2,
            "client_id": self.client_id(),
            "origin_jti": random_uuid(),
            "event_id": random_uuid(),
            "token_use": "access",
            "scope": SCOPE,
            "auth_time": now,
            "exp": exp,
            "iat": now,
            "jti": random_uuid(),
            "username": sub,
            "email": user.email,
        })
    }

    /// The claims of an id token for `user`, as Cognito issues them.
    pub fn id_claims(&self, user: &DemoUser, ttl: Duration) -> serde_json::Value {
        let (now, exp) = now_and_exp(ttl);
        let sub = user.subject();
        json!({
            "sub": sub,
            "aud": self.client_id(),
            "email_verified": true,
            "cognito:groups": user.groups,
            "iss": self.issuer(),
            "cognito:username": sub,
            "origin_jti": random_uuid(),
            "event_id": random_uuid(),
            "token_use": "id",
            "auth_time": now,
            "exp": exp,
            "iat": now,
            "jti": random_uuid(),
            "email": user.email,
        })
    }
}

pub(crate) fn now_and_exp(ttl: Duration) -> (i64, i64) {
    let now = chrono::Utc::now().timestamp();
    let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
    (now, now.saturating_add(ttl))
}

/// A random version-4 UUID, for `jti`, `origin_jti` and `event_id`.
fn random_uuid() -> String {
    format_uuid(rand::rng().random())
}

/// Formats 16 bytes as a version-4, RFC 4122-variant UUID (the bits are overwritten), like Cognito's ids.
pub(crate) fn format_uuid(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
