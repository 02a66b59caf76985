//! Stripe's idempotency keys.
//!
//! A POST with an `Idempotency-Key` claims the key (per API key) before it runs. The first response
//! is saved and replayed, byte for byte, to every later request with the same key and the same
//! parameters (with `Idempotent-Replayed: true`). The same key with another endpoint or other
//! parameters is a 400 `idempotency_error`; the same key while the first request is still running
//! is a 409 `idempotency_key_in_use`. Nothing is saved for a request that failed validation or never
//! ran (a fault injected before handling), so a retry of it runs afresh.

use std::collections::HashMap;

use serde_json::Value;

use crate::error::{ErrorType, SandboxError};

/// What makes two requests "the same": endpoint and parameters (in any order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    endpoint: String,
    params: Vec<(String, String)>,
}

impl Fingerprint {
    /// The fingerprint of `method path` with the decoded form `pairs`.
    pub fn new(method: &str, path: &str, mut params: Vec<(String, String)>) -> Self {
        // Stripe compares parameters, not their order on the wire.
        params.sort();
        Self {
            endpoint: format!("{method} {path}"),
            params,
        }
    }
}

/// A response as first sent, kept for replays.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredResponse {
    pub status: u16,
    pub body: Value,
}

#[derive(Debug, Clone)]
enum Entry {
    InFlight(Fingerprint),
    Done(Fingerprint, StoredResponse),
}

impl Entry {
    fn fingerprint(&self) -> &Fingerprint {
        match self {
            Entry::InFlight(f) | Entry::Done(f, _) => f,
        }
    }
}

/// The outcome of claiming a key.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Claim {
    /// First use: run the request, then [`IdempotencyStore::complete`] or [`IdempotencyStore::release`].
    Proceed,
    /// Seen before with the same parameters: send this again.
    Replay(StoredResponse),
    /// Refused: other endpoint or parameters (400), or the first request is still running (409).
    Refused(SandboxError),
}

/// The keys seen, per API key. Keys do not expire (Stripe forgets them after 24 hours; no test or
/// local session lives that long).
#[derive(Debug, Default)]
pub(crate) struct IdempotencyStore {
    entries: HashMap<(String, String), Entry>,
}

impl IdempotencyStore {
    /// Claims `key` of API key `scope` for a request with `fingerprint`.
    pub fn claim(&mut self, scope: &str, key: &str, fingerprint: &Fingerprint) -> Claim {
        let slot = (scope.to_owned(), key.to_owned());
        let Some(entry) = self.entries.get(&slot) else {
            self.entries.insert(slot, Entry::InFlight(fingerprint.clone()));
            return Claim::Proceed;
        };
        let first = entry.fingerprint();
        if first.endpoint != fingerprint.endpoint {
            return Claim::Refused(mismatch(format!(
                "Keys for idempotent requests can only be used for the same endpoint they were first \
                 used for ('{}' vs '{}'). Try using a key other than '{key}' if you meant to execute a \
                 different request.",
                first.endpoint, fingerprint.endpoint
            )));
        }
        if first.params != fingerprint.params {
            return Claim::Refused(mismatch(format!(
                "Keys for idempotent requests can only be used with the same parameters they were first \
                 used with. Try using a key other than '{key}' if you meant to execute a different \
                 request."
            )));
        }
        match entry {
            Entry::Done(_, response) => Claim::Replay(response.clone()),
            Entry::InFlight(_) => Claim::Refused(
                SandboxError::new(
                    409,
                    ErrorType::Idempotency,
                    "There is currently another in-progress request using this Stripe Idempotency-Key. \
                     Please try again later.",
                )
                .code("idempotency_key_in_use"),
            ),
        }
    }

    /// Saves the response of a claimed key, for replays.
    pub fn complete(&mut self, scope: &str, key: &str, response: StoredResponse) {
        let slot = (scope.to_owned(), key.to_owned());
        if let Some(entry) = self.entries.get_mut(&slot) {
            *entry = Entry::Done(entry.fingerprint().clone(), response);
        }
    }

    /// Frees a claimed key without saving anything (the request failed validation or never ran).
    pub fn release(&mut self, scope: &str, key: &str) {
        let slot = (scope.to_owned(), key.to_owned());
        if matches!(self.entries.get(&slot), Some(Entry::InFlight(_))) {
            self.entries.remove(&slot);
        }
    }

    /// Forgets every key.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

fn mismatch(message: String) -> SandboxError {
    SandboxError::new(400, ErrorType::Idempotency, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fingerprint(path: &str, params: &[(&str, &str)]) -> Fingerprint {
        let pairs = params.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        Fingerprint::new("POST", path, pairs)
    }

    fn stored() -> StoredResponse {
        StoredResponse {
            status: 200,
            body: json!({"id": "pi_1"}),
        }
    }

    /// The first response is replayed for the same key and parameters, in any order.
    #[test]
    fn a_completed_key_replays_its_response() {
        let mut store = IdempotencyStore::default();
        let first = fingerprint("/v1/payment_intents", &[("amount", "5000"), ("currency", "usd")]);
        assert_eq!(store.claim("sk_test_a", "k1", &first), Claim::Proceed);
        store.complete("sk_test_a", "k1", stored());
        let reordered = fingerprint("/v1/payment_intents", &[("currency", "usd"), ("amount", "5000")]);
        assert_eq!(
            store.claim("sk_test_a", "k1", &reordered),
            Claim::Replay(stored())
        );
    }

    /// Other parameters or another endpoint with the same key are a 400 idempotency_error.
    #[test]
    fn reuse_with_other_parameters_or_endpoint_is_refused() {
        let mut store = IdempotencyStore::default();
        let first = fingerprint("/v1/payment_intents", &[("amount", "5000")]);
        assert_eq!(store.claim("sk", "k", &first), Claim::Proceed);
        store.complete("sk", "k", stored());
        let Claim::Refused(error) = store.claim(
            "sk",
            "k",
            &fingerprint("/v1/payment_intents", &[("amount", "6000")]),
        ) else {
            panic!("refused");
        };
        assert_eq!((error.status, error.error_type), (400, ErrorType::Idempotency));
        assert!(error.message.contains("same parameters"), "{}", error.message);
        let Claim::Refused(error) =
            store.claim("sk", "k", &fingerprint("/v1/refunds", &[("amount", "5000")]))
        else {
            panic!("refused");
        };
        assert!(error.message.contains("same endpoint"), "{}", error.message);
    }

    /// A key whose first request is still running is refused with 409; once released (nothing
    /// saved), it can be claimed again.
    #[test]
    fn a_key_in_flight_is_in_use_until_released() {
        let mut store = IdempotencyStore::default();
        let f = fingerprint("/v1/customers", &[("email", "a@b.c")]);
        assert_eq!(store.claim("sk", "k", &f), Claim::Proceed);
        let Claim::Refused(error) = store.claim("sk", "k", &f) else {
            panic!("in use");
        };
        assert_eq!(error.status, 409);
        assert_eq!(error.code, Some("idempotency_key_in_use"));
        store.release("sk", "k");
        assert_eq!(store.claim("sk", "k", &f), Claim::Proceed);
        // Releasing a completed key does not forget its response.
        store.complete("sk", "k", stored());
        store.release("sk", "k");
        assert_eq!(store.claim("sk", "k", &f), Claim::Replay(stored()));
    }

    /// Keys are scoped to the API key: another account's identical key is a different key.
    #[test]
    fn keys_are_scoped_to_the_api_key() {
        let mut store = IdempotencyStore::default();
        let f = fingerprint("/v1/customers", &[]);
        assert_eq!(store.claim("sk_test_a", "k", &f), Claim::Proceed);
        store.complete("sk_test_a", "k", stored());
        let other = fingerprint("/v1/customers", &[("email", "x@y.z")]);
        assert_eq!(store.claim("sk_test_b", "k", &other), Claim::Proceed);
        store.clear();
        assert_eq!(store.claim("sk_test_a", "k", &other), Claim::Proceed);
    }
}
