//! Home Assistant, for the room-control functions.

use super::{ConfigError, optional, read_secret, required};
use dewy_connector::Secret;
use dewy_homeassistant::{HomeAssistant, HomeAssistantConfig};

#[derive(serde::Deserialize)]
struct StoredToken {
    token: String,
}

/// Home Assistant at `HOME_ASSISTANT_URL` with the long-lived token from `HOME_ASSISTANT_SECRET_ID`
/// (or `HOME_ASSISTANT_TOKEN` locally), or `None` when no URL is set.
pub(super) async fn home_assistant_from_env(
    http: &reqwest::Client,
) -> Result<Option<HomeAssistant>, ConfigError> {
    let Some(url) = optional("HOME_ASSISTANT_URL") else {
        return Ok(None);
    };
    let token = match optional("HOME_ASSISTANT_SECRET_ID") {
        Some(secret_id) => {
            read_secret::<StoredToken>("HOME_ASSISTANT_SECRET_ID", &secret_id, "{token}")
                .await?
                .token
        }
        None => required("HOME_ASSISTANT_TOKEN")?,
    };
    let base_url = url.parse().map_err(|e: url::ParseError| ConfigError::Invalid {
        name: "HOME_ASSISTANT_URL",
        why: e.to_string(),
    })?;
    let config = HomeAssistantConfig::new(base_url, Secret::new(token));
    Ok(Some(HomeAssistant::new(config, http.clone())))
}
