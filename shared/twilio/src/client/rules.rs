//! The rules of the request path: which failures are retried, which count against the breaker,
//! and what a transport error says about whether the request left.

use crate::{Message, TwilioError};
use dewy_connector::{Permit, RawResponse, RetryDecision};

/// Whether a request may be sent again after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Repeat {
    /// A read: after any transient failure.
    Safe,
    /// A create: only if it never left this host.
    OnlyIfUnsent,
}

/// Whether to try again. A connect failure sent nothing, so any request may be repeated after it.
/// Otherwise only reads are repeated, after transient failures other than an open breaker or a
/// passed deadline (waiting cannot help those).
pub(super) fn retry_decision(repeat: Repeat, result: &Result<Message, TwilioError>) -> RetryDecision {
    match result {
        Ok(_) => RetryDecision::Done,
        Err(TwilioError::Connect(_)) => RetryDecision::Retry { retry_after: None },
        Err(TwilioError::CircuitOpen | TwilioError::DeadlineExceeded) => RetryDecision::Done,
        Err(error) if repeat == Repeat::Safe && error.is_retryable() => RetryDecision::Retry {
            retry_after: error.retry_after(),
        },
        Err(_) => RetryDecision::Done,
    }
}

/// Tells the breaker how the exchange went. Only transient failures (5xx, 429, timeout, connection)
/// count against Twilio; any other answer, a 4xx included, shows it is alive. An expired deadline
/// says nothing about Twilio (the caller's budget ran out), so the permit is dropped.
pub(super) fn report_health(permit: Permit, result: &Result<RawResponse, TwilioError>) {
    match result {
        Ok(reply) if reply.status == 429 || reply.status >= 500 => permit.failure(),
        Ok(_) => permit.success(),
        Err(TwilioError::Timeout | TwilioError::Connect(_) | TwilioError::Connection(_)) => {
            permit.failure();
        }
        Err(_) => drop(permit),
    }
}

/// Maps a transport error. A connect failure is told apart first: it is the one failure after which
/// the request certainly never left, even when it was a connect *timeout*.
pub(super) fn classify(error: &reqwest::Error) -> TwilioError {
    if error.is_connect() {
        return TwilioError::Connect(dewy_connector::error_chain(error));
    }
    if error.is_timeout() {
        return TwilioError::Timeout;
    }
    if error.is_builder() {
        return TwilioError::InvalidConfig(dewy_connector::error_chain(error));
    }
    TwilioError::Connection(dewy_connector::error_chain(error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A send is repeated only after a connect failure; a read after any transient failure.
    #[test]
    fn only_reads_and_unsent_creates_are_repeated() {
        let failure = |e: TwilioError| Err::<Message, _>(e);
        let connect = failure(TwilioError::Connect("refused".into()));
        let five_hundred = failure(TwilioError::Api {
            status: 500,
            code: Some(20500),
            message: "internal".into(),
        });
        let wait = Some(Duration::from_secs(1));
        let limited = failure(TwilioError::RateLimited {
            code: None,
            message: "slow down".into(),
            retry_after: wait,
        });
        let retry = |retry_after| RetryDecision::Retry { retry_after };
        assert_eq!(retry_decision(Repeat::OnlyIfUnsent, &connect), retry(None));
        assert_eq!(
            retry_decision(Repeat::OnlyIfUnsent, &five_hundred),
            RetryDecision::Done
        );
        assert_eq!(
            retry_decision(Repeat::OnlyIfUnsent, &failure(TwilioError::Timeout)),
            RetryDecision::Done
        );
        assert_eq!(
            retry_decision(Repeat::OnlyIfUnsent, &limited),
            RetryDecision::Done
        );
        assert_eq!(retry_decision(Repeat::Safe, &five_hundred), retry(None));
        assert_eq!(retry_decision(Repeat::Safe, &limited), retry(wait));
        assert_eq!(
            retry_decision(Repeat::Safe, &failure(TwilioError::CircuitOpen)),
            RetryDecision::Done
        );
        assert_eq!(
            retry_decision(Repeat::Safe, &failure(TwilioError::EmptyBody)),
            RetryDecision::Done
        );
    }
}
