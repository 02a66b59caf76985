//! The connector's errors, and decoding of Home Assistant's error answers.

mod decode;

pub(crate) use decode::api_error;

/// What can go wrong talking to Home Assistant. No variant ever holds the access token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HomeAssistantError {
    /// HA refused the access token (401): missing, mistyped, or revoked. A configuration fault.
    #[error("Home Assistant refused the access token (401)")]
    Unauthorized,
    /// No such entity (404 from `GET /api/states/<entity_id>`).
    #[error("Home Assistant has no such entity (404)")]
    NotFound,
    /// HA refused the request (400): an unknown service, or data the service's schema refuses (an
    /// option the select lacks, a colour for a light without colour). Also answered, without a
    /// request, for a call whose entity is not of the service's domain.
    #[error("Home Assistant refused the request (400): {message}")]
    BadRequest {
        /// HA's message, e.g. `Service light.blink not found.`
        message: String,
    },
    /// Any other 4xx, e.g. 403 once HA has banned this address after failed logins.
    #[error("Home Assistant refused the request ({status}): {message}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// HA's message, or an excerpt of the body.
        message: String,
    },
    /// HA could not be reached or could not answer: a connect failure, a broken connection, no
    /// answer within the request timeout, a 5xx (HA restarting, or a proxy or HA's cloud relay in
    /// front of it that cannot reach it), or a 429. Retried within the deadline before it is
    /// returned, and counted by the circuit breaker.
    #[error("Home Assistant is unavailable{}: {message}", status_suffix(*status))]
    Unavailable {
        /// The HTTP status, when something answered.
        status: Option<u16>,
        /// What happened.
        message: String,
    },
    /// The caller's deadline passed (before the call, or while waiting for it).
    #[error("the deadline passed before Home Assistant answered")]
    DeadlineExceeded,
    /// HA failed repeatedly, so the circuit breaker refuses calls for a while; nothing was sent.
    #[error("Home Assistant is unavailable: too many consecutive failures, calls are paused briefly")]
    CircuitOpen,
    /// A success answer could not be decoded into the expected shape.
    #[error("unexpected answer from Home Assistant: {0}")]
    Decode(String),
    /// The configured base URL cannot carry an API path (e.g. `mailto:`); nothing was sent.
    #[error("invalid Home Assistant configuration: {0}")]
    InvalidConfig(String),
}

fn status_suffix(status: Option<u16>) -> String {
    status.map(|s| format!(" ({s})")).unwrap_or_default()
}

impl HomeAssistantError {
    /// The HTTP status HA (or what stands in front of it) answered, if it answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            HomeAssistantError::Unauthorized => Some(401),
            HomeAssistantError::NotFound => Some(404),
            HomeAssistantError::BadRequest { .. } => Some(400),
            HomeAssistantError::Rejected { status, .. } => Some(*status),
            HomeAssistantError::Unavailable { status, .. } => *status,
            _ => None,
        }
    }

    /// Whether the same call may succeed later: HA was unavailable, or the breaker is open. The
    /// connector has already retried what it could within the deadline; a 4xx never is.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            HomeAssistantError::Unavailable { .. } | HomeAssistantError::CircuitOpen
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_retryability() {
        let down = HomeAssistantError::Unavailable {
            status: Some(503),
            message: "Service Unavailable".into(),
        };
        assert_eq!(down.status(), Some(503));
        assert!(down.is_retryable());
        assert_eq!(
            down.to_string(),
            "Home Assistant is unavailable (503): Service Unavailable"
        );
        let refused = HomeAssistantError::Unavailable {
            status: None,
            message: "connection refused".into(),
        };
        assert_eq!((refused.status(), refused.is_retryable()), (None, true));
        assert!(!refused.to_string().contains("()"));
        let bad = HomeAssistantError::BadRequest {
            message: "Service light.blink not found.".into(),
        };
        assert_eq!((bad.status(), bad.is_retryable()), (Some(400), false));
        assert_eq!(HomeAssistantError::Unauthorized.status(), Some(401));
        assert_eq!(HomeAssistantError::NotFound.status(), Some(404));
        assert!(HomeAssistantError::CircuitOpen.is_retryable());
        assert!(!HomeAssistantError::DeadlineExceeded.is_retryable());
        assert!(!HomeAssistantError::Decode("x".into()).is_retryable());
        assert_eq!(HomeAssistantError::DeadlineExceeded.status(), None);
    }
}
