//! How a sandbox is started: which secret keys it accepts.

/// The sandbox's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeSandboxConfig {
    /// The secret key clients must send (`Authorization: Bearer ...`). It must be a test-mode key
    /// (`sk_test_...`): the sandbox refuses anything that looks like a live key.
    pub api_key: String,
    /// Further accepted keys, standing for other accounts. Data is shared, but idempotency keys are
    /// scoped per API key, as on Stripe.
    pub additional_api_keys: Vec<String>,
}

impl StripeSandboxConfig {
    /// The sandbox's default key.
    pub const DEFAULT_API_KEY: &'static str = "sk_test_dewy_sandbox";

    /// Whether `key` is accepted.
    pub fn accepts(&self, key: &str) -> bool {
        key.starts_with("sk_test_")
            && (key == self.api_key || self.additional_api_keys.iter().any(|k| k == key))
    }
}

impl Default for StripeSandboxConfig {
    fn default() -> Self {
        Self {
            api_key: Self::DEFAULT_API_KEY.into(),
            additional_api_keys: Vec::new(),
        }
    }
}
