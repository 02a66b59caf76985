//! OAuth: the token endpoint and the sessions it issues.

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{HeaderMap, StatusCode, header};
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::json;

use crate::state::{Shared, lock};

/// The access tokens issued and not revoked.
#[derive(Debug, Default)]
pub(crate) struct Sessions {
    tokens: HashSet<String>,
}

impl Sessions {
    /// Issues a new access token, shaped like Salesforce's (`00D...!...`).
    pub fn issue(&mut self) -> String {
        let secret: String = rand::rng()
            .sample_iter(Alphanumeric)
            .take(96)
            .map(char::from)
            .collect();
        let token = format!("00DDn0000001dEw!{secret}");
        self.tokens.insert(token.clone());
        token
    }

    /// Whether a request's `Authorization` header carries a live token (`Bearer` or `OAuth`).
    pub fn authorized(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("OAuth "))
            .unwrap_or_default();
        self.tokens.contains(token.trim())
    }

    /// Revokes every token.
    pub fn expire_all(&mut self) {
        self.tokens.clear();
    }
}

fn oauth_error(error: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// `POST /services/oauth2/token`: the client-credentials and refresh-token grants.
///
/// Parameters come form-encoded in the body (or, as Salesforce also allows, in the query string).
pub(crate) async fn token(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let mut params: Vec<(String, String)> =
        url::form_urlencoded::parse(query.as_deref().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    params.extend(url::form_urlencoded::parse(&body).into_owned());
    // The body is read last, so its values win.
    let param = |name: &str| {
        params
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let config = &shared.config;
    let client_ok = param("client_id") == Some(config.client_id.as_str())
        && param("client_secret") == Some(config.client_secret.as_str());
    match param("grant_type") {
        Some("client_credentials") if !client_ok => {
            return oauth_error("invalid_client", "invalid client credentials");
        }
        Some("refresh_token") if !client_ok => {
            return oauth_error("invalid_client", "invalid client credentials");
        }
        Some("refresh_token") if param("refresh_token") != Some(config.refresh_token.as_str()) => {
            return oauth_error("invalid_grant", "expired access/refresh token");
        }
        Some("client_credentials" | "refresh_token") => {}
        _ => return oauth_error("unsupported_grant_type", "grant type not supported"),
    }
    let access_token = lock(&shared.sessions).issue();
    let signature: String = rand::rng()
        .sample_iter(Alphanumeric)
        .take(43)
        .map(char::from)
        .collect();
    let issued_at = chrono::Utc::now().timestamp_millis().to_string();
    let base = &shared.base_url;
    axum::Json(json!({
        "access_token": access_token,
        "instance_url": base,
        "id": format!("{base}/id/00DDn0000001dEwMAI/005Dn000001SbXqIAK"),
        "token_type": "Bearer",
        "issued_at": issued_at,
        "signature": format!("{signature}="),
        "scope": "api",
    }))
    .into_response()
}
