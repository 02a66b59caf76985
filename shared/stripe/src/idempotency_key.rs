//! The `Idempotency-Key` every POST carries.

/// A key that makes a POST safe to repeat: Stripe saves the first response under it (per API key,
/// for 24 hours) and replays it to any later request with the same key and parameters.
///
/// Derive it from the caller's own idempotency token (one key per write step, see
/// [`StripeIdempotencyKey::for_step`]), never from a random value per attempt: a key that changes on
/// retry protects nothing.
///
/// Named for Stripe because the hub has an idempotency key of its own
/// (`dewy_idempotency::IdempotencyKey`, the record a tool call is replayed from): this one is only
/// the header Stripe reads, derived from that one step by step.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct StripeIdempotencyKey(String);

/// A string that cannot be an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidStripeIdempotencyKey {
    /// Empty (or only whitespace).
    #[error("an idempotency key must not be empty")]
    Empty,
    /// Longer than Stripe's 255 characters.
    #[error("an idempotency key has at most 255 characters, this one has {0}")]
    TooLong(usize),
    /// Characters that cannot travel in an HTTP header (controls, non-ASCII).
    #[error("an idempotency key may only hold printable ASCII characters")]
    BadCharacter,
}

impl StripeIdempotencyKey {
    /// Stripe's limit.
    pub const MAX_LEN: usize = 255;

    /// Checks `value`: 1 to 255 printable ASCII characters (spaces allowed inside).
    pub fn parse(value: impl Into<String>) -> Result<Self, InvalidStripeIdempotencyKey> {
        let value = value.into();
        if value.trim().is_empty() {
            return Err(InvalidStripeIdempotencyKey::Empty);
        }
        if value.len() > Self::MAX_LEN {
            return Err(InvalidStripeIdempotencyKey::TooLong(value.len()));
        }
        if !value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) || value.trim() != value {
            return Err(InvalidStripeIdempotencyKey::BadCharacter);
        }
        Ok(StripeIdempotencyKey(value))
    }

    /// The key of one step of a multi-step operation: `{self}:{step}`, e.g. the checkout token's
    /// `:customer` and `:payment` keys. Steps must differ, since Stripe refuses a key reused with
    /// other parameters.
    pub fn for_step(&self, step: &str) -> Result<Self, InvalidStripeIdempotencyKey> {
        Self::parse(format!("{}:{step}", self.0))
    }

    /// The key itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for StripeIdempotencyKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for StripeIdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StripeIdempotencyKey({:?})", self.0)
    }
}

impl std::fmt::Display for StripeIdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for StripeIdempotencyKey {
    type Error = InvalidStripeIdempotencyKey;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl TryFrom<&str> for StripeIdempotencyKey {
    type Error = InvalidStripeIdempotencyKey;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_and_steps_derived() {
        let key = StripeIdempotencyKey::parse("3f1c7a52-checkout").unwrap();
        assert_eq!(
            key.for_step("payment").unwrap().as_str(),
            "3f1c7a52-checkout:payment"
        );
        assert_eq!(
            StripeIdempotencyKey::parse(" "),
            Err(InvalidStripeIdempotencyKey::Empty)
        );
        assert_eq!(
            StripeIdempotencyKey::parse("k".repeat(256)),
            Err(InvalidStripeIdempotencyKey::TooLong(256))
        );
        assert!(StripeIdempotencyKey::parse("k".repeat(255)).is_ok());
        assert_eq!(
            StripeIdempotencyKey::parse("a\nb"),
            Err(InvalidStripeIdempotencyKey::BadCharacter)
        );
        assert_eq!(
            StripeIdempotencyKey::parse("clé"),
            Err(InvalidStripeIdempotencyKey::BadCharacter)
        );
        assert_eq!(
            StripeIdempotencyKey::parse(" padded"),
            Err(InvalidStripeIdempotencyKey::BadCharacter)
        );
        assert!(
            StripeIdempotencyKey::parse("k".repeat(250))
                .unwrap()
                .for_step("payment")
                .is_err()
        );
    }
}
