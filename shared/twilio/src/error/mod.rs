//! The connector's errors, and decoding of Twilio's error bodies.

mod decode;

pub(crate) use decode::api_error;

use std::time::Duration;

/// Twilio's error codes the hub tells apart. Twilio documents each at
/// `https://www.twilio.com/docs/errors/{code}`.
pub mod codes {
    /// Bad credentials (401).
    pub const AUTHENTICATE: u32 = 20003;
    /// The resource does not exist (404).
    pub const NOT_FOUND: u32 = 20404;
    /// Too many requests (429).
    pub const TOO_MANY_REQUESTS: u32 = 20429;
    /// The `To` number is not a valid phone number.
    pub const INVALID_TO: u32 = 21211;
    /// The `To` number cannot be reached.
    pub const TO_UNREACHABLE: u32 = 21214;
    /// SMS to the `To` number's region is not enabled on the account.
    pub const REGION_NOT_ENABLED: u32 = 21408;
    /// The body is missing (also used for an empty body refused before sending).
    pub const BODY_REQUIRED: u32 = 21602;
    /// A trial account may only text verified numbers.
    pub const UNVERIFIED_TRIAL_RECIPIENT: u32 = 21608;
    /// The recipient replied STOP: Twilio refuses to text them until they reply START.
    pub const UNSUBSCRIBED: u32 = 21610;
    /// The `To` number cannot be reached from the `From` number.
    pub const CANNOT_ROUTE: u32 = 21612;
    /// The `To` number cannot receive SMS (a landline).
    pub const NOT_SMS_CAPABLE: u32 = 21614;
    /// The body is longer than 1600 characters (also used when refused before sending).
    pub const BODY_TOO_LONG: u32 = 21617;
}

/// What can go wrong talking to Twilio. No variant ever holds a credential or a message body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TwilioError {
    /// Twilio refused the request (400 and the other 4xx not below), e.g. 21211 invalid `To`,
    /// 21610 unsubscribed recipient, 21608 unverified number on a trial account. Repeating it
    /// cannot help.
    #[error("Twilio refused the request ({status}{}): {message}", code_suffix(*code))]
    InvalidRequest {
        /// The HTTP status.
        status: u16,
        /// Twilio's error code, if the body had one.
        code: Option<u32>,
        /// Twilio's message (it may quote the `To` number).
        message: String,
    },
    /// Twilio refused the credentials (401, code 20003): a configuration fault, not the caller's.
    #[error("Twilio refused the credentials{}: {message}", code_suffix(*code))]
    Authentication {
        /// Twilio's error code, normally 20003.
        code: Option<u32>,
        /// Twilio's message.
        message: String,
    },
    /// The resource does not exist (404, code 20404), e.g. an unknown message SID.
    #[error("not found at Twilio{}: {message}", code_suffix(*code))]
    NotFound {
        /// Twilio's error code, normally 20404.
        code: Option<u32>,
        /// Twilio's message.
        message: String,
    },
    /// Too many requests (429, code 20429).
    #[error("Twilio is rate limiting{}: {message}", code_suffix(*code))]
    RateLimited {
        /// Twilio's error code, normally 20429.
        code: Option<u32>,
        /// Twilio's message.
        message: String,
        /// How long Twilio asked to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },
    /// Twilio failed (5xx), or answered a status this connector does not expect.
    #[error("Twilio answered {status}{}: {message}", code_suffix(*code))]
    Api {
        /// The HTTP status.
        status: u16,
        /// Twilio's error code, if the body had one.
        code: Option<u32>,
        /// Twilio's message, or an excerpt of a body of another shape.
        message: String,
    },
    /// The body is empty; refused before any request (Twilio would answer 21602).
    #[error("an SMS body must not be empty")]
    EmptyBody,
    /// The body is longer than [`MAX_BODY_CHARS`](crate::MAX_BODY_CHARS); refused before any
    /// request (Twilio would answer 21617).
    #[error("an SMS body has at most 1600 characters, this one has {chars}")]
    BodyTooLong {
        /// The body's length in characters.
        chars: usize,
    },
    /// One call took longer than its timeout. A send may or may not have gone out.
    #[error("Twilio did not answer in time")]
    Timeout,
    /// The caller's deadline has passed (before the call, or while waiting for it).
    #[error("the deadline passed before Twilio answered")]
    DeadlineExceeded,
    /// No connection could be made (refused, DNS, TLS or connect timeout): the request was never
    /// sent, so even a send may be repeated.
    #[error("could not connect to Twilio: {0}")]
    Connect(String),
    /// The connection broke after the request may have been sent (reset, closed without an
    /// answer). A send may or may not have gone out.
    #[error("connection to Twilio failed: {0}")]
    Connection(String),
    /// Twilio failed repeatedly, so the circuit breaker refuses calls for a while; nothing was sent.
    #[error("Twilio is unavailable: too many consecutive failures, calls are paused briefly")]
    CircuitOpen,
    /// An answer could not be decoded into the expected shape.
    #[error("unexpected response from Twilio: {0}")]
    Decode(String),
    /// The configured base URL cannot carry an API path (e.g. `mailto:`); nothing was sent.
    #[error("invalid Twilio configuration: {0}")]
    InvalidConfig(String),
}

fn code_suffix(code: Option<u32>) -> String {
    code.map(|c| format!(", code {c}")).unwrap_or_default()
}

impl TwilioError {
    /// The HTTP status Twilio answered, if it answered with an error status.
    pub fn status(&self) -> Option<u16> {
        match self {
            TwilioError::InvalidRequest { status, .. } | TwilioError::Api { status, .. } => Some(*status),
            TwilioError::Authentication { .. } => Some(401),
            TwilioError::NotFound { .. } => Some(404),
            TwilioError::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// Twilio's error code; for a body refused before sending, the code Twilio would have answered.
    pub fn code(&self) -> Option<u32> {
        match self {
            TwilioError::InvalidRequest { code, .. }
            | TwilioError::Authentication { code, .. }
            | TwilioError::NotFound { code, .. }
            | TwilioError::RateLimited { code, .. }
            | TwilioError::Api { code, .. } => *code,
            TwilioError::EmptyBody => Some(codes::BODY_REQUIRED),
            TwilioError::BodyTooLong { .. } => Some(codes::BODY_TOO_LONG),
            _ => None,
        }
    }

    /// Whether the failure is transient, so that the same call may succeed later: 429, 5xx,
    /// timeouts, connection failures, an open breaker.
    ///
    /// A hint, not a licence: a *send* that failed this way may already have gone out (see
    /// [`TwilioError::may_have_been_sent`]), and Twilio has no idempotency key, so repeating it may
    /// text the guest twice. The connector itself repeats a send only after [`TwilioError::Connect`].
    pub fn is_retryable(&self) -> bool {
        match self {
            TwilioError::RateLimited { .. }
            | TwilioError::Timeout
            | TwilioError::Connect(_)
            | TwilioError::Connection(_)
            | TwilioError::CircuitOpen => true,
            TwilioError::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// Whether a failed send may nonetheless have been delivered: the request may have reached
    /// Twilio and the answer been lost (timeout, broken connection, a 5xx after the fact, an
    /// undecodable answer). When unsure it says yes; report such an SMS as "unknown", not "failed".
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            TwilioError::Timeout
            | TwilioError::DeadlineExceeded
            | TwilioError::Connection(_)
            | TwilioError::Decode(_) => true,
            TwilioError::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// Whether Twilio refused the recipient (invalid, unreachable, unsubscribed, a landline, a
    /// region not enabled, unverified on a trial account): the guest's number needs fixing, Twilio
    /// is fine.
    pub fn is_recipient_rejected(&self) -> bool {
        matches!(
            self,
            TwilioError::InvalidRequest { code: Some(code), .. } if matches!(
                *code,
                codes::INVALID_TO
                    | codes::TO_UNREACHABLE
                    | codes::REGION_NOT_ENABLED
                    | codes::UNVERIFIED_TRIAL_RECIPIENT
                    | codes::UNSUBSCRIBED
                    | codes::CANNOT_ROUTE
                    | codes::NOT_SMS_CAPABLE
            )
        )
    }

    /// How long Twilio asked to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            TwilioError::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_codes_and_retryability() {
        let invalid = TwilioError::InvalidRequest {
            status: 400,
            code: Some(codes::UNSUBSCRIBED),
            message: "Attempt to send to unsubscribed recipient".into(),
        };
        assert_eq!((invalid.status(), invalid.code()), (Some(400), Some(21610)));
        assert!(invalid.is_recipient_rejected() && !invalid.is_retryable());
        assert!(!invalid.may_have_been_sent());
        assert_eq!(
            invalid.to_string(),
            "Twilio refused the request (400, code 21610): Attempt to send to unsubscribed recipient"
        );
        let down = TwilioError::Api {
            status: 503,
            code: None,
            message: "Service Unavailable".into(),
        };
        assert!(down.is_retryable() && down.may_have_been_sent() && !down.is_recipient_rejected());
        assert!(TwilioError::Connect("refused".into()).is_retryable());
        assert!(!TwilioError::Connect("refused".into()).may_have_been_sent());
        assert!(TwilioError::Timeout.may_have_been_sent());
        assert!(!TwilioError::DeadlineExceeded.is_retryable());
        assert_eq!(TwilioError::BodyTooLong { chars: 1601 }.code(), Some(21617));
        assert_eq!(TwilioError::EmptyBody.status(), None);
    }
}
