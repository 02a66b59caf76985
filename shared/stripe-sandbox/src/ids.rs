//! Object ids in Stripe's shape: a type prefix and random base-62 characters.

use rand::Rng;
use rand::distr::Alphanumeric;

/// `{prefix}_` followed by `len` random letters and digits, e.g. `pi_3Mtw...`.
pub(crate) fn new_id(prefix: &str, len: usize) -> String {
    let suffix: String = rand::rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect();
    format!("{prefix}_{suffix}")
}

/// A customer id: `cus_` and 14 characters.
pub(crate) fn customer() -> String {
    new_id("cus", 14)
}

/// A PaymentIntent id: `pi_` and 24 characters.
pub(crate) fn payment_intent() -> String {
    new_id("pi", 24)
}

/// A charge id: `ch_` and 24 characters.
pub(crate) fn charge() -> String {
    new_id("ch", 24)
}

/// A refund id: `re_` and 24 characters.
pub(crate) fn refund() -> String {
    new_id("re", 24)
}

/// A request id, sent in the `Request-Id` header of every response.
pub(crate) fn request() -> String {
    new_id("req", 14)
}

/// A PaymentIntent's client secret: `{id}_secret_` and 25 characters.
pub(crate) fn client_secret(payment_intent: &str) -> String {
    new_id(&format!("{payment_intent}_secret"), 25)
}

/// Seconds since the Unix epoch, Stripe's `created`.
pub(crate) fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_have_stripes_shape() {
        let pi = super::payment_intent();
        assert!(pi.starts_with("pi_") && pi.len() == 27, "{pi}");
        assert!(pi[3..].chars().all(|c| c.is_ascii_alphanumeric()));
        let secret = super::client_secret(&pi);
        assert!(secret.starts_with(&format!("{pi}_secret_")));
        assert_ne!(super::customer(), super::customer());
    }
}
