//! The connector's errors, and decoding of Salesforce's error bodies.

mod decode;

pub(crate) use decode::{api_error, decode_errors};

use serde::Deserialize;

/// One error as Salesforce reports it: an element of the `[{message, errorCode, fields}]` body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    /// The human-readable message.
    #[serde(default)]
    pub message: String,
    /// The machine-readable code, e.g. `NOT_FOUND`, `INVALID_FIELD`, `DUPLICATE_VALUE`.
    #[serde(rename = "errorCode", default)]
    pub error_code: String,
    /// The fields the error concerns, if any.
    #[serde(default)]
    pub fields: Vec<String>,
}

impl ApiError {
    /// Whether a decoded object carried a code or a message (and was not just any JSON object).
    fn is_meaningful(&self) -> bool {
        !self.error_code.is_empty() || !self.message.is_empty()
    }
}

/// The `errorCode` given to a body that is not in Salesforce's error shape (an HTML error page, an
/// empty body, a proxy's text); the message then holds an excerpt of that body.
pub const UNEXPECTED_RESPONSE: &str = "UNEXPECTED_RESPONSE";

/// The code Salesforce gives to the subrequests of an `allOrNone` composite that were rolled back (or
/// never run) because another subrequest failed.
pub const PROCESSING_HALTED: &str = "PROCESSING_HALTED";

/// One failed subrequest of a composite request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositeFailure {
    /// The subrequest's `referenceId`.
    pub reference_id: String,
    /// Its HTTP status.
    pub status: u16,
    /// Its errors.
    pub errors: Vec<ApiError>,
}

/// What can go wrong talking to Salesforce. No variant ever holds a credential or a token.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SalesforceError {
    /// Salesforce answered with an error status.
    #[error("Salesforce answered {status}: {}", describe(errors))]
    Api {
        /// The HTTP status.
        status: u16,
        /// The errors of the body (one `UNEXPECTED_RESPONSE` error if the body had another shape).
        errors: Vec<ApiError>,
    },
    /// The token endpoint refused the credentials (`{error, error_description}`).
    #[error("Salesforce authentication failed: {error}: {description}")]
    Auth {
        /// The OAuth error, e.g. `invalid_client`, `invalid_grant`.
        error: String,
        /// Salesforce's description of it.
        description: String,
    },
    /// An `allOrNone` composite request was rolled back because some subrequests failed.
    #[error("Salesforce composite request rolled back: {}", describe_failures(failures))]
    CompositeFailed {
        /// The subrequests that failed for a reason of their own (the cause of the rollback).
        failures: Vec<CompositeFailure>,
        /// The subrequests rolled back or skipped because of those (`PROCESSING_HALTED`).
        halted: Vec<CompositeFailure>,
    },
    /// One call took longer than its timeout.
    #[error("Salesforce did not answer in time")]
    Timeout,
    /// The caller's deadline has passed (or passed while waiting), so no (further) request was made.
    #[error("the deadline passed before Salesforce answered")]
    DeadlineExceeded,
    /// The connection could not be made or broke (refused, reset, dropped).
    #[error("connection to Salesforce failed: {0}")]
    Connection(String),
    /// A response could not be decoded into the expected shape.
    #[error("unexpected response from Salesforce: {0}")]
    Decode(String),
    /// Salesforce failed repeatedly, so the circuit breaker refuses calls for a while; no request was
    /// made. Trying again later is safe (nothing was sent).
    #[error("Salesforce is unavailable: too many consecutive failures, calls are paused briefly")]
    CircuitOpen,
    /// A record id or external id value that cannot be used in a URL path; no request was made.
    #[error("invalid record id: {0}")]
    InvalidId(String),
    /// A request this connector refuses to send (too many composite subrequests, a bad name, a body
    /// that does not serialize); no request was made.
    #[error("invalid Salesforce request: {0}")]
    InvalidRequest(String),
}

/// HTTP statuses after which trying again may succeed.
fn is_transient_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

/// Error codes after which trying again may succeed (a row lock held by another transaction).
fn is_transient_code(code: &str) -> bool {
    matches!(code, "UNABLE_TO_LOCK_ROW" | "SERVER_UNAVAILABLE")
}

impl SalesforceError {
    /// Whether the failure is transient, so that trying the same call again may succeed: timeouts,
    /// connection failures, 429, 5xx and row-lock contention (an `allOrNone` composite that failed that
    /// way was rolled back, so it too may be repeated).
    ///
    /// A hint for the caller's retry policy, which must still only repeat calls that are safe to
    /// repeat: reads, upserts, updates and deletes. A create that timed out may have been applied.
    pub fn is_retry_safe(&self) -> bool {
        match self {
            SalesforceError::Timeout | SalesforceError::Connection(_) => true,
            // Nothing was sent, and the breaker lets a probe through after its cool-down.
            SalesforceError::CircuitOpen => true,
            SalesforceError::Api { status, errors } => {
                is_transient_status(*status) || errors.iter().any(|e| is_transient_code(&e.error_code))
            }
            SalesforceError::CompositeFailed { failures, .. } => {
                !failures.is_empty()
                    && failures.iter().all(|f| {
                        is_transient_status(f.status)
                            || f.errors.iter().any(|e| is_transient_code(&e.error_code))
                    })
            }
            _ => false,
        }
    }

    /// The HTTP status: of the response, or of the first real failure of a composite request.
    pub fn status(&self) -> Option<u16> {
        match self {
            SalesforceError::Api { status, .. } => Some(*status),
            SalesforceError::CompositeFailed { failures, .. } => failures.first().map(|f| f.status),
            _ => None,
        }
    }

    /// Every error of the answer (of the real failures, for a composite request).
    pub fn api_errors(&self) -> &[ApiError] {
        match self {
            SalesforceError::Api { errors, .. } => errors,
            SalesforceError::CompositeFailed { failures, .. } => {
                failures.first().map_or(&[], |f| f.errors.as_slice())
            }
            _ => &[],
        }
    }

    /// The first error code: Salesforce's `errorCode` (of the first real failure for a composite
    /// request), or the OAuth `error` of an authentication failure.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            SalesforceError::Api { errors, .. } => errors.first().map(|e| e.error_code.as_str()),
            SalesforceError::CompositeFailed { failures, .. } => failures
                .first()
                .and_then(|f| f.errors.first())
                .map(|e| e.error_code.as_str()),
            SalesforceError::Auth { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether the record (or resource) does not exist: a 404 or `NOT_FOUND`, also inside a composite.
    pub fn is_not_found(&self) -> bool {
        let not_found = |status: u16, errors: &[ApiError]| {
            status == 404 || errors.iter().any(|e| e.error_code == "NOT_FOUND")
        };
        match self {
            SalesforceError::Api { status, errors } => not_found(*status, errors),
            SalesforceError::CompositeFailed { failures, .. } => {
                failures.iter().any(|f| not_found(f.status, &f.errors))
            }
            _ => false,
        }
    }
}

fn describe(errors: &[ApiError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| {
            if e.fields.is_empty() {
                format!("{}: {}", e.error_code, e.message)
            } else {
                format!(
                    "{}: {} (fields: {})",
                    e.error_code,
                    e.message,
                    e.fields.join(", ")
                )
            }
        })
        .collect();
    parts.join("; ")
}

fn describe_failures(failures: &[CompositeFailure]) -> String {
    let parts: Vec<String> = failures
        .iter()
        .map(|f| {
            format!(
                "subrequest '{}' answered {}: {}",
                f.reference_id,
                f.status,
                describe(&f.errors)
            )
        })
        .collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Composite failures report the real cause, and retry safety follows it.
    #[test]
    fn composite_failures_expose_the_real_cause() {
        let lock = ApiError {
            message: "locked".into(),
            error_code: "UNABLE_TO_LOCK_ROW".into(),
            fields: vec![],
        };
        let error = SalesforceError::CompositeFailed {
            failures: vec![CompositeFailure {
                reference_id: "room".into(),
                status: 400,
                errors: vec![lock],
            }],
            halted: vec![],
        };
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.error_code(), Some("UNABLE_TO_LOCK_ROW"));
        assert!(error.is_retry_safe());
        assert!(error.to_string().contains("subrequest 'room' answered 400"));
        assert!(SalesforceError::Timeout.is_retry_safe());
        assert!(!SalesforceError::DeadlineExceeded.is_retry_safe());
        assert!(SalesforceError::CircuitOpen.is_retry_safe());
        assert_eq!(SalesforceError::CircuitOpen.status(), None);
    }
}
