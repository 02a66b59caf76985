//! Bearer authentication in front of the MCP endpoints, and the OAuth protected-resource metadata
//! (RFC 9728) that tells clients where to get a token.

use crate::endpoint::Endpoint;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dewy_domain::ErrorBody;
pub use dewy_tool::auth::{AuthFailure, Authenticate};
use serde_json::{Value, json};

/// What the auth layer needs to answer refusals and serve metadata.
pub(crate) struct AuthSettings {
    pub resource_base_url: String,
    pub authorization_servers: Vec<String>,
    pub scopes: Vec<String>,
    pub server_name: String,
}

impl AuthSettings {
    /// The protected resource's identifier, e.g. `https://api.example.com/mcp/guest`.
    pub fn resource(&self, endpoint: Endpoint) -> String {
        format!("{}{}", self.base(), endpoint.path())
    }

    /// Where the RFC 9728 metadata for `endpoint` lives.
    pub fn metadata_url(&self, endpoint: Endpoint) -> String {
        format!("{}{}", self.base(), metadata_path(endpoint))
    }

    fn base(&self) -> &str {
        self.resource_base_url.trim_end_matches('/')
    }

    /// The RFC 9728 document for `endpoint`.
    pub fn metadata(&self, endpoint: Endpoint) -> Value {
        json!({
            "resource": self.resource(endpoint),
            "authorization_servers": self.authorization_servers,
            "scopes_supported": self.scopes,
            "bearer_methods_supported": ["header"],
            "resource_name": format!("{} ({} tools)", self.server_name, endpoint.name()),
        })
    }

    /// The refusal for `failure` on `endpoint`: status, `WWW-Authenticate` and an error body.
    pub fn refuse(&self, endpoint: Endpoint, failure: &AuthFailure) -> Response {
        let status = match failure.status {
            401 | 403 | 503 => StatusCode::from_u16(failure.status).unwrap_or(StatusCode::UNAUTHORIZED),
            // An Authenticate implementation answering anything else is a bug; fail closed.
            _ => StatusCode::UNAUTHORIZED,
        };
        let error_code = match status {
            StatusCode::FORBIDDEN => "FORBIDDEN",
            StatusCode::SERVICE_UNAVAILABLE => "SERVICE_UNAVAILABLE",
            _ => "UNAUTHORIZED",
        };
        let body = ErrorBody {
            success: false,
            error_code: error_code.to_owned(),
            error_message: failure.description.clone(),
            details: Value::Null,
        };
        let mut response = (status, axum::Json(body)).into_response();
        if status != StatusCode::SERVICE_UNAVAILABLE {
            let challenge = self.challenge(endpoint, failure);
            response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }

    /// The 403 for a valid caller without the endpoint's persona.
    pub fn insufficient_scope(&self, endpoint: Endpoint) -> Response {
        let failure = AuthFailure {
            status: 403,
            www_authenticate_error: Some("insufficient_scope".to_owned()),
            description: format!("Your sign-in does not include the {} role.", endpoint.name()),
            scope: (!self.scopes.is_empty()).then(|| self.scopes.join(" ")),
        };
        self.refuse(endpoint, &failure)
    }

    /// `Bearer error="…", error_description="…", scope="…", resource_metadata="…"`.
    fn challenge(&self, endpoint: Endpoint, failure: &AuthFailure) -> HeaderValue {
        let mut params = Vec::new();
        if let Some(error) = &failure.www_authenticate_error {
            params.push(format!("error=\"{}\"", quoted(error)));
            // Descriptions go only with an error code (RFC 6750 §3: no error details when the
            // request carried no credentials).
            params.push(format!("error_description=\"{}\"", quoted(&failure.description)));
        }
        if let Some(scope) = &failure.scope {
            params.push(format!("scope=\"{}\"", quoted(scope)));
        }
        params.push(format!(
            "resource_metadata=\"{}\"",
            quoted(&self.metadata_url(endpoint))
        ));
        let value = format!("Bearer {}", params.join(", "));
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("Bearer"))
    }
}

/// The path of `endpoint`'s metadata: the RFC 9728 well-known prefix inserted before its path.
pub(crate) fn metadata_path(endpoint: Endpoint) -> String {
    format!("/.well-known/oauth-protected-resource{}", endpoint.path())
}

/// Text safe inside a quoted-string: printable ASCII without `"` or `\`.
fn quoted(text: &str) -> String {
    text.chars()
        .filter(|c| (' '..='~').contains(c) && *c != '"' && *c != '\\')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> AuthSettings {
        AuthSettings {
            resource_base_url: "https://api.example.com/".to_owned(),
            authorization_servers: vec!["https://issuer.example.com".to_owned()],
            scopes: vec!["openid".to_owned(), "email".to_owned()],
            server_name: "Dewy Resort".to_owned(),
        }
    }

    #[test]
    fn challenges_name_the_metadata_and_never_break_the_header() {
        let settings = settings();
        let refused = settings.refuse(Endpoint::Guest, &AuthFailure::invalid_token("bad \"sig\"\n\\ é"));
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            refused.headers()[header::WWW_AUTHENTICATE],
            "Bearer error=\"invalid_token\", error_description=\"bad sig \", \
             resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource/mcp/guest\""
        );
        let odd = AuthFailure {
            status: 200,
            ..AuthFailure::missing_token()
        };
        assert_eq!(
            settings.refuse(Endpoint::Staff, &odd).status(),
            StatusCode::UNAUTHORIZED
        );
        let forbidden = settings.insufficient_scope(Endpoint::Staff);
        let challenge = forbidden.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap_or("");
        assert!(challenge.contains("error=\"insufficient_scope\""), "{challenge}");
        assert!(challenge.contains("scope=\"openid email\""), "{challenge}");
        assert_eq!(
            settings.metadata(Endpoint::Staff)["resource"],
            "https://api.example.com/mcp/staff"
        );
    }
}
