//! The connector's errors, and decoding of Stripe's error bodies.

mod decode;

pub(crate) use decode::api_error;

use crate::PaymentIntent;

/// What can go wrong talking to Stripe. No variant ever holds the secret key or card data (the hub
/// only ever sends PaymentMethod ids, never card numbers).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StripeError {
    /// 402 `card_error`: the card was declined or could not be charged. Final for this payment
    /// method; the customer may try another.
    #[error("card error {code} ({}): {message}", decline_code.as_deref().unwrap_or("no decline code"))]
    Card {
        /// `card_declined`, `expired_card`, `incorrect_cvc`, `processing_error`, ...
        code: String,
        /// The issuer's reason, e.g. `generic_decline`, `insufficient_funds`, `lost_card`.
        decline_code: Option<String>,
        /// Stripe's message, fit to show the customer ("Your card was declined.").
        message: String,
        /// The PaymentIntent after the failed attempt (status `requires_payment_method`, with
        /// `last_payment_error`), which Stripe includes in the error.
        payment_intent: Option<Box<PaymentIntent>>,
    },
    /// 400 or 404 `invalid_request_error`: bad parameters (`amount_too_small`, `parameter_missing`),
    /// a missing object (`resource_missing`), a wrong state (`payment_intent_unexpected_state`,
    /// `charge_already_refunded`), ...
    #[error("Stripe refused the request ({status}, {}): {message}", code.as_deref().unwrap_or("no code"))]
    InvalidRequest {
        /// The HTTP status.
        status: u16,
        /// Stripe's error code, if any.
        code: Option<String>,
        /// Stripe's message.
        message: String,
        /// The parameter at fault, if any.
        param: Option<String>,
        /// The PaymentIntent concerned, when Stripe includes it (unexpected-state errors).
        payment_intent: Option<Box<PaymentIntent>>,
    },
    /// 400 `idempotency_error`: the key was first used with another endpoint or other parameters.
    /// A caller bug (or a token reused for a different request), never transient.
    #[error("idempotency key reused with different parameters: {message}")]
    IdempotencyConflict {
        /// Stripe's message.
        message: String,
    },
    /// 409 `idempotency_key_in_use`: another request with the same key is still running (retried
    /// by the connector; this is what remains when the retries ran out).
    #[error("idempotency key in use by a concurrent request: {message}")]
    IdempotencyKeyInUse {
        /// Stripe's message.
        message: String,
    },
    /// 401 (or 403): the secret key is missing, wrong, revoked or lacks a permission.
    #[error("Stripe refused the API key ({status}): {message}")]
    Authentication {
        /// 401 or 403.
        status: u16,
        /// Stripe's message (which shows at most a masked key).
        message: String,
    },
    /// 429: too many requests (after the connector's retries).
    #[error("Stripe is rate-limiting requests: {message}")]
    RateLimited {
        /// Stripe's message.
        message: String,
    },
    /// Any other error status, 5xx above all (after the connector's retries).
    #[error("Stripe answered {status}: {message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// Stripe's message, or an excerpt of a body in another shape.
        message: String,
    },
    /// One call took longer than its timeout.
    #[error("Stripe did not answer in time")]
    Timeout,
    /// The caller's deadline has passed (or passed while waiting), so no (further) request was made.
    #[error("the deadline passed before Stripe answered")]
    DeadlineExceeded,
    /// The connection could not be made or broke (refused, reset, dropped).
    #[error("connection to Stripe failed: {0}")]
    Connection(String),
    /// Stripe failed repeatedly, so the circuit breaker refuses calls for a while; no request was
    /// made. Trying again later is safe (nothing was sent).
    #[error("Stripe is unavailable: too many consecutive failures, calls are paused briefly")]
    CircuitOpen,
    /// A response could not be decoded into the expected shape.
    #[error("unexpected response from Stripe: {0}")]
    Decode(String),
    /// A request this connector refuses to send, e.g. an object id that cannot go into a URL path,
    /// or an empty email (which Stripe's list filter would read as "every customer"); no request
    /// was made.
    #[error("invalid Stripe request: {0}")]
    InvalidInput(String),
}

impl StripeError {
    /// The HTTP status Stripe answered, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            StripeError::Card { .. } => Some(402),
            StripeError::InvalidRequest { status, .. }
            | StripeError::Authentication { status, .. }
            | StripeError::Api { status, .. } => Some(*status),
            StripeError::IdempotencyConflict { .. } => Some(400),
            StripeError::IdempotencyKeyInUse { .. } => Some(409),
            StripeError::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed: timeouts, connection failures, 429,
    /// 5xx, a key still in use, an open breaker. The connector has already retried what it could
    /// within the deadline; this tells the caller whether to report "try again shortly".
    pub fn is_retryable(&self) -> bool {
        match self {
            StripeError::Timeout
            | StripeError::Connection(_)
            | StripeError::RateLimited { .. }
            | StripeError::IdempotencyKeyInUse { .. }
            | StripeError::CircuitOpen => true,
            StripeError::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// The issuer's decline code of a card error (`generic_decline`, `insufficient_funds`, ...).
    pub fn decline_code(&self) -> Option<&str> {
        match self {
            StripeError::Card { decline_code, .. } => decline_code.as_deref(),
            _ => None,
        }
    }

    /// Stripe's error code: `card_declined`, `amount_too_small`, `resource_missing`, ...
    pub fn code(&self) -> Option<&str> {
        match self {
            StripeError::Card { code, .. } => Some(code),
            StripeError::InvalidRequest { code, .. } => code.as_deref(),
            StripeError::IdempotencyConflict { .. } => Some("idempotency_error"),
            StripeError::IdempotencyKeyInUse { .. } => Some("idempotency_key_in_use"),
            StripeError::RateLimited { .. } => Some("rate_limit"),
            _ => None,
        }
    }

    /// The PaymentIntent Stripe included in the error (card errors, unexpected states).
    pub fn payment_intent(&self) -> Option<&PaymentIntent> {
        match self {
            StripeError::Card { payment_intent, .. } | StripeError::InvalidRequest { payment_intent, .. } => {
                payment_intent.as_deref()
            }
            _ => None,
        }
    }

    /// Whether the object does not exist (`resource_missing`).
    pub fn is_not_found(&self) -> bool {
        self.code() == Some("resource_missing")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_codes_and_retryability() {
        let declined = StripeError::Card {
            code: "card_declined".into(),
            decline_code: Some("insufficient_funds".into()),
            message: "Your card has insufficient funds.".into(),
            payment_intent: None,
        };
        assert_eq!(declined.status(), Some(402));
        assert_eq!(declined.decline_code(), Some("insufficient_funds"));
        assert!(!declined.is_retryable());
        assert!(declined.to_string().contains("insufficient_funds"));
        assert!(
            StripeError::Api {
                status: 503,
                message: String::new()
            }
            .is_retryable()
        );
        assert!(
            !StripeError::Api {
                status: 409,
                message: String::new()
            }
            .is_retryable()
        );
        assert!(StripeError::CircuitOpen.is_retryable() && StripeError::CircuitOpen.status().is_none());
        assert!(!StripeError::DeadlineExceeded.is_retryable());
        let conflict = StripeError::IdempotencyConflict {
            message: String::new(),
        };
        assert_eq!((conflict.status(), conflict.is_retryable()), (Some(400), false));
    }
}
