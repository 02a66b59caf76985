//! The `Idempotency-Key` every POST carries.

/// A key that makes a POST safe to repeat: Stripe saves the first response under it (per API key,
/// for 24 hours) and replays it to any later request with the same key and parameters.
///
/// Derive it from the caller's own idempotency token (one key per write step, see
/// [`IdempotencyKey::for_step`]), never from a random value per attempt: a key that changes on
/// retry protects nothing.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

/// A string that cannot be an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidIdempotencyKey {
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

impl IdempotencyKey {
    /// Stripe's limit.
    pub const MAX_LEN: usize = 255;

    /// Checks `value`: 1 to 255 printable ASCII characters (spaces allowed inside).
    pub fn parse(value: impl Into<String>) -> Result<Self, InvalidIdempotencyKey> {
        let value = value.into();
        if value.trim().is_empty() {
            return Err(InvalidIdempotencyKey::Empty);
        }
        if value.len() > Self::MAX_LEN {
            return Err(InvalidIdempotencyKey::TooLong(value.len()));
        }
        if !value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) || value.trim() != value {
            return Err(InvalidIdempotencyKey::BadCharacter);
        }
        Ok(IdempotencyKey(value))
    }

    /// The key of one step of a multi-step operation: `{self}:{step}`, e.g. the checkout token's
    /// `:customer` and `:payment` keys. Steps must differ, since Stripe refuses a key reused with
    /// other parameters.
    pub fn for_step(&self, step: &str) -> Result<Self, InvalidIdempotencyKey> {
        Self::parse(format!("{}:{step}", self.0))
    }

    /// The key itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for IdempotencyKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdempotencyKey({:?})", self.0)
    }
}

impl std::fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = InvalidIdempotencyKey;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl TryFrom<&str> for IdempotencyKey {
    type Error = InvalidIdempotencyKey;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_and_steps_derived() {
        let key = IdempotencyKey::parse("3f1c7a52-checkout").unwrap();
        assert_eq!(
            key.for_step("payment").unwrap().as_str(),
            "3f1c7a52-checkout:payment"
        );
        assert_eq!(IdempotencyKey::parse(" "), Err(InvalidIdempotencyKey::Empty));
        assert_eq!(
            IdempotencyKey::parse("k".repeat(256)),
            Err(InvalidIdempotencyKey::TooLong(256))
        );
        assert!(IdempotencyKey::parse("k".repeat(255)).is_ok());
        assert_eq!(
            IdempotencyKey::parse("a\nb"),
            Err(InvalidIdempotencyKey::BadCharacter)
        );
        assert_eq!(
            IdempotencyKey::parse("clé"),
            Err(InvalidIdempotencyKey::BadCharacter)
        );
        assert_eq!(
            IdempotencyKey::parse(" padded"),
            Err(InvalidIdempotencyKey::BadCharacter)
        );
        assert!(
            IdempotencyKey::parse("k".repeat(250))
                .unwrap()
                .for_step("payment")
                .is_err()
        );
    }
}
