//! Why a bearer token was refused, and how to say so over HTTP (RFC 6750, RFC 9728).

/// Why a request's bearer token was not accepted.
///
/// Descriptions never contain token content: they name the failed check only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No `Authorization` header, or an empty one.
    #[error("no bearer token was presented")]
    MissingToken,
    /// The header is not `Bearer <jwt>`, or the token is not a well-formed JWT with the expected claims.
    #[error("the bearer token is malformed")]
    Malformed,
    /// The token's `kid` is not in the issuer's key set, even after refreshing it.
    #[error("the token was signed with an unknown key")]
    UnknownKey,
    /// The signature does not verify, or the token is not signed with RS256.
    #[error("the token signature is invalid")]
    BadSignature,
    /// `exp` is in the past, beyond the allowed clock skew.
    #[error("the token has expired")]
    Expired,
    /// `nbf` is in the future, beyond the allowed clock skew.
    #[error("the token is not valid yet")]
    NotYetValid,
    /// `iss` is not the configured issuer.
    #[error("the token was issued by an untrusted issuer")]
    WrongIssuer,
    /// The token is not meant for this server (`aud` or `client_id`).
    #[error("the token is not intended for this server")]
    WrongAudience,
    /// `token_use` is not the required one (for example an id token where an access token is needed).
    #[error("the token is not an access token of the required kind")]
    WrongTokenUse,
    /// The token lacks the scope this server requires.
    #[error("the token lacks the required scope")]
    InsufficientScope {
        /// The scope that was required.
        required: String,
    },
    /// The issuer's key set could not be fetched, so no token can be checked right now.
    #[error("the token signing keys are temporarily unavailable")]
    KeysUnavailable,
}

impl AuthError {
    /// The HTTP status to answer with: 401, except 403 for a missing scope and 503 when keys are unavailable.
    pub fn status(&self) -> u16 {
        match self {
            AuthError::InsufficientScope { .. } => 403,
            AuthError::KeysUnavailable => 503,
            _ => 401,
        }
    }

    /// The OAuth error code (RFC 6750 §3.1) for a JSON body.
    ///
    /// `KeysUnavailable` is not the token's fault, so it gets RFC 6749's `temporarily_unavailable`.
    pub fn oauth_error(&self) -> &'static str {
        match self {
            AuthError::MissingToken => "invalid_request",
            AuthError::InsufficientScope { .. } => "insufficient_scope",
            AuthError::KeysUnavailable => "temporarily_unavailable",
            _ => "invalid_token",
        }
    }

    /// A human-readable reason that is safe to return to the client (no token content).
    pub fn description(&self) -> String {
        self.to_string()
    }

    /// The `WWW-Authenticate` challenge (RFC 6750 §3, RFC 9728 §5.1).
    ///
    /// Always names the protected-resource metadata so clients can discover the authorization server.
    /// RFC 6750 says a request without credentials should get no error code, so `error` and
    /// `error_description` appear only when a token was presented (and not for an outage, which is
    /// not the token's fault); `scope` is added for `insufficient_scope`.
    pub fn www_authenticate(&self, resource_metadata_url: &str) -> String {
        let mut out = format!("Bearer resource_metadata=\"{}\"", quote(resource_metadata_url));
        if matches!(self, AuthError::MissingToken | AuthError::KeysUnavailable) {
            return out;
        }
        out.push_str(&format!(
            ", error=\"{}\", error_description=\"{}\"",
            self.oauth_error(),
            quote(&self.description())
        ));
        if let AuthError::InsufficientScope { required } = self {
            out.push_str(&format!(", scope=\"{}\"", quote(required)));
        }
        out
    }
}

/// Escapes a value for an HTTP quoted-string (RFC 9110 §5.6.4), dropping control characters that
/// would otherwise let a configured value break the header.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRM: &str = "https://api.example.com/.well-known/oauth-protected-resource/mcp";

    #[test]
    fn challenges_are_exact() {
        assert_eq!(
            AuthError::MissingToken.www_authenticate(PRM),
            format!("Bearer resource_metadata=\"{PRM}\"")
        );
        assert_eq!(
            AuthError::Expired.www_authenticate(PRM),
            format!(
                "Bearer resource_metadata=\"{PRM}\", error=\"invalid_token\", \
                 error_description=\"the token has expired\""
            )
        );
        let scope = AuthError::InsufficientScope {
            required: "dewy-resort/mcp".into(),
        };
        assert_eq!(
            scope.www_authenticate(PRM),
            format!(
                "Bearer resource_metadata=\"{PRM}\", error=\"insufficient_scope\", \
                 error_description=\"the token lacks the required scope\", scope=\"dewy-resort/mcp\""
            )
        );
        assert_eq!(
            AuthError::KeysUnavailable.www_authenticate("a\"b\\c\n"),
            "Bearer resource_metadata=\"a\\\"b\\\\c\""
        );
    }

    #[test]
    fn statuses_and_codes() {
        assert_eq!(AuthError::MissingToken.status(), 401);
        assert_eq!(AuthError::BadSignature.status(), 401);
        assert_eq!(
            AuthError::InsufficientScope { required: "x".into() }.status(),
            403
        );
        assert_eq!(AuthError::KeysUnavailable.status(), 503);
        assert_eq!(AuthError::MissingToken.oauth_error(), "invalid_request");
        assert_eq!(AuthError::Malformed.oauth_error(), "invalid_token");
        assert_eq!(
            AuthError::InsufficientScope { required: "x".into() }.oauth_error(),
            "insufficient_scope"
        );
    }
}
