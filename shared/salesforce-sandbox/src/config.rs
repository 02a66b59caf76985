//! How a sandbox is started: credentials, its "today", whether to load the demo data.

use chrono::{NaiveDate, Utc};

/// The sandbox's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    /// The connected app's client id, checked by the token endpoint.
    pub client_id: String,
    /// The connected app's client secret.
    pub client_secret: String,
    /// The refresh token the `refresh_token` grant accepts.
    pub refresh_token: String,
    /// The day the org lives in: seed dates and `TODAY`/`LAST_N_DAYS` resolve against it.
    pub today: NaiveDate,
    /// Whether to load the hotel's demo data at start.
    pub seed: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            client_id: "dewy-local-client".into(),
            client_secret: "dewy-local-secret".into(),
            refresh_token: "dewy-local-refresh".into(),
            today: Utc::now().date_naive(),
            seed: true,
        }
    }
}
