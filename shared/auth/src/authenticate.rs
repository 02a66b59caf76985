//! The JWT verifier as the transports' authentication hook.

use crate::error::AuthError;
use crate::verify::Verifier;
use dewy_tool::dispatch::BoxFuture;
use dewy_tool::{AuthFailure, Authenticate, Caller};

impl Authenticate for Verifier {
    fn authenticate<'a>(
        &'a self,
        authorization: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Caller, AuthFailure>> {
        Box::pin(async move {
            self.verify_header(authorization)
                .await
                .map(|token| token.caller())
                .map_err(|error| failure(&error))
        })
    }
}

/// The transport-neutral refusal for a verification error.
pub fn failure(error: &AuthError) -> AuthFailure {
    // RFC 6750: no error code when no credentials were presented, nor for an outage.
    let code = match error {
        AuthError::MissingToken | AuthError::KeysUnavailable => None,
        other => Some(other.oauth_error().to_owned()),
    };
    AuthFailure {
        status: error.status(),
        www_authenticate_error: code,
        description: error.description(),
        scope: match error {
            AuthError::InsufficientScope { required } => Some(required.clone()),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_keep_status_code_and_scope() {
        let missing = failure(&AuthError::MissingToken);
        assert_eq!((missing.status, missing.www_authenticate_error), (401, None));
        let expired = failure(&AuthError::Expired);
        assert_eq!(
            (expired.status, expired.www_authenticate_error.as_deref()),
            (401, Some("invalid_token"))
        );
        let scope = failure(&AuthError::InsufficientScope {
            required: "dewy-resort/mcp".into(),
        });
        assert_eq!(
            (scope.status, scope.scope.as_deref()),
            (403, Some("dewy-resort/mcp"))
        );
        assert_eq!(failure(&AuthError::KeysUnavailable).status, 503);
    }
}
