//! Stripe, for the functions that take payments.

use super::{ConfigError, optional, read_secret};
use dewy_connector::Secret;
use dewy_stripe::{Stripe, StripeConfig};

#[derive(serde::Deserialize)]
struct StoredKey {
    api_key: String,
}

/// Stripe from `STRIPE_SECRET_ID` (or `STRIPE_API_KEY` locally), or `None` when neither is set.
pub(super) async fn stripe_from_env(http: &reqwest::Client) -> Result<Option<Stripe>, ConfigError> {
    let api_key = match (optional("STRIPE_SECRET_ID"), optional("STRIPE_API_KEY")) {
        (Some(secret_id), _) => {
            read_secret::<StoredKey>("STRIPE_SECRET_ID", &secret_id, "{api_key}")
                .await?
                .api_key
        }
        (None, Some(key)) => key,
        (None, None) => return Ok(None),
    };
    let base = optional("STRIPE_API_BASE").unwrap_or_else(|| StripeConfig::DEFAULT_BASE_URL.to_owned());
    let base_url = base.parse().map_err(|e: url::ParseError| ConfigError::Invalid {
        name: "STRIPE_API_BASE",
        why: e.to_string(),
    })?;
    let config = StripeConfig::new(base_url, Secret::new(api_key));
    Ok(Some(Stripe::new(config, http.clone())))
}
