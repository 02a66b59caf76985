//! How a sandbox is started: the long-lived access token clients must present.

/// The sandbox's configuration. The default is fixed, so a local stack can hard-code it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeAssistantConfig {
    /// The long-lived access token: every `/api/*` request must send `Authorization: Bearer <token>`.
    pub token: String,
}

impl HomeAssistantConfig {
    /// The default token.
    pub const DEFAULT_TOKEN: &'static str = "dewy-local-home-assistant-token";
}

impl Default for HomeAssistantConfig {
    fn default() -> Self {
        Self {
            token: Self::DEFAULT_TOKEN.into(),
        }
    }
}
