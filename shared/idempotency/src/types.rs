//! The outcomes of the state machine and its errors.

use serde::{Deserialize, Serialize};

/// A tool's response as stored in a COMPLETED record and replayed to a retry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredResponse {
    /// The HTTP status the first execution answered with.
    pub status: u16,
    /// The response body, replayed verbatim.
    pub body: serde_json::Value,
}

/// The outcome of [`crate::IdempotencyStore::begin`] when the call may proceed.
#[derive(Debug, Clone, PartialEq)]
pub enum Begin {
    /// The INPROGRESS lock was taken: run the tool, then `complete` (or `abandon` on failure).
    Started,
    /// A COMPLETED, unexpired record with the same payload hash exists: answer with it and do not
    /// run the tool again.
    Replay(StoredResponse),
}

/// Why a call may not proceed.
///
/// Deliberately independent of `dewy-domain`'s `ErrorCode` so this crate stays a leaf; the caller
/// maps it, using [`IdempotencyError::code`] and [`IdempotencyError::http_status`] as the contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdempotencyError {
    /// Another execution with this key holds a live INPROGRESS lock. Safe to retry after a short
    /// wait (Stripe: 409 `idempotency_key_in_use`; Powertools: `IdempotencyAlreadyInProgressError`).
    #[error("a request with this idempotency key is already in progress; retry shortly")]
    InProgress,
    /// The key was already used with a different payload (Powertools:
    /// `IdempotencyValidationError`; IETF draft: 422). Retrying will not help: the client must mint
    /// a new key or resend the original payload.
    #[error("this idempotency key was already used with a different payload")]
    KeyReused,
    /// The store itself failed (network, throttling, a malformed record). Nothing was executed.
    #[error("idempotency store failed: {0}")]
    Store(String),
}

impl IdempotencyError {
    /// The wire error code the caller (`dewy_tool::idempotent`) maps it to.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InProgress => "IDEMPOTENCY_IN_PROGRESS",
            Self::KeyReused => "IDEMPOTENCY_KEY_REUSED",
            Self::Store(_) => "SERVICE_UNAVAILABLE",
        }
    }

    /// The HTTP status for [`Self::code`]: 409, 422, or 503 for a store failure (transient from the
    /// client's point of view; the tool did not run).
    pub fn http_status(&self) -> u16 {
        match self {
            Self::InProgress => 409,
            Self::KeyReused => 422,
            Self::Store(_) => 503,
        }
    }

    /// Whether the same request may succeed if simply sent again.
    pub fn is_retryable(&self) -> bool {
        !matches!(self, Self::KeyReused)
    }
}
