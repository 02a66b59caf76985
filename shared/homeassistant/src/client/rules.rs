//! The rules of the request path: what is retried, what counts against the breaker, and what a
//! transport error means.

use crate::HomeAssistantError;
use dewy_connector::{Permit, RawResponse, RetryDecision};
use std::time::Duration;

/// A failed attempt: the error, and how long the server asked to wait before the next one.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) error: HomeAssistantError,
    pub(super) retry_after: Option<Duration>,
}

impl From<HomeAssistantError> for Failure {
    fn from(error: HomeAssistantError) -> Self {
        Failure {
            error,
            retry_after: None,
        }
    }
}

/// Whether to try again. Every request this connector makes is safe to repeat (reads, and service
/// calls that set an absolute state), so whatever left HA unavailable is retried: a connect failure,
/// a broken connection, a timeout, a 5xx, a 429 (after its `Retry-After`). A 4xx says the request
/// itself is wrong and is never retried; nor is an open breaker or a passed deadline, which waiting
/// cannot fix.
pub(super) fn retry_decision<T>(result: &Result<T, Failure>) -> RetryDecision {
    match result {
        Err(Failure {
            error: HomeAssistantError::Unavailable { .. },
            retry_after,
        }) => RetryDecision::Retry {
            retry_after: *retry_after,
        },
        _ => RetryDecision::Done,
    }
}

/// Tells the breaker how the exchange went. Only unavailability (5xx, 429, timeout, connection)
/// counts against HA; any other answer, a 4xx included, shows it is alive. A passed deadline says
/// nothing about HA (the caller's budget ran out), so the permit is dropped unreported.
pub(super) fn report_health(permit: Permit, result: &Result<RawResponse, HomeAssistantError>) {
    match result {
        Ok(reply) if reply.status == 429 || reply.status >= 500 => permit.failure(),
        Ok(_) => permit.success(),
        Err(HomeAssistantError::Unavailable { .. }) => permit.failure(),
        Err(_) => drop(permit),
    }
}

/// Maps a transport error: unavailability, unless the request could not even be built.
pub(super) fn classify(error: &reqwest::Error) -> HomeAssistantError {
    let chain = dewy_connector::error_chain(error);
    if error.is_builder() {
        return HomeAssistantError::InvalidConfig(chain);
    }
    let message = if error.is_connect() {
        format!("could not connect: {chain}")
    } else {
        format!("connection failed: {chain}")
    };
    HomeAssistantError::Unavailable {
        status: None,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(error: HomeAssistantError, retry_after: Option<Duration>) -> Result<(), Failure> {
        Err(Failure { error, retry_after })
    }

    /// Unavailability is retried (after `Retry-After` when given); refusals and the rest are not.
    #[test]
    fn only_unavailability_is_retried() {
        let wait = Some(Duration::from_secs(1));
        let unavailable = |status| HomeAssistantError::Unavailable {
            status,
            message: "down".into(),
        };
        assert_eq!(
            retry_decision(&failure(unavailable(Some(503)), None)),
            RetryDecision::Retry { retry_after: None }
        );
        assert_eq!(
            retry_decision(&failure(unavailable(Some(429)), wait)),
            RetryDecision::Retry { retry_after: wait }
        );
        assert_eq!(
            retry_decision(&failure(unavailable(None), None)),
            RetryDecision::Retry { retry_after: None }
        );
        for done in [
            HomeAssistantError::Unauthorized,
            HomeAssistantError::NotFound,
            HomeAssistantError::BadRequest { message: "no".into() },
            HomeAssistantError::Rejected {
                status: 403,
                message: "banned".into(),
            },
            HomeAssistantError::DeadlineExceeded,
            HomeAssistantError::CircuitOpen,
            HomeAssistantError::Decode("odd".into()),
        ] {
            assert_eq!(
                retry_decision(&failure(done.clone(), None)),
                RetryDecision::Done,
                "{done:?}"
            );
        }
        assert_eq!(retry_decision(&Ok::<(), Failure>(())), RetryDecision::Done);
    }
}
