//! SMS: the outbox tools queue texts on, and the Twilio account the notifier sends them with.

use super::{ConfigError, optional, read_secret, required};

use dewy_connector::Secret;
use dewy_idempotency::IdempotencyStore;
use dewy_notifier::{LocalOutbox, Notifier, Outbox, SqsOutbox};
use dewy_tool::Sms;
use dewy_twilio::{AccountSid, Credentials, E164, SenderId, Twilio, TwilioConfig};
use std::sync::Arc;

#[derive(serde::Deserialize)]
struct StoredAccount {
    account_sid: String,
    auth_token: String,
    from: String,
}

/// A tool function's SMS: texts queued on `SMS_QUEUE_URL` (the deployed shape: the function holds
/// no Twilio credentials), or else delivered from this process when Twilio is configured here
/// (local runs), or `None`: notifications are then reported as skipped.
pub(super) async fn sms_from_env(
    http: &reqwest::Client,
    store: &Arc<dyn IdempotencyStore>,
) -> Result<Option<Sms>, ConfigError> {
    let on_call = optional("SMS_ON_CALL_NUMBER")
        .map(|n| E164::parse(&n).map_err(|e| invalid("SMS_ON_CALL_NUMBER", e.to_string())))
        .transpose()?;
    let outbox: Arc<dyn Outbox> = match optional("SMS_QUEUE_URL") {
        Some(queue_url) => Arc::new(SqsOutbox::new(super::aws::sqs(), queue_url)),
        None => match twilio_from_env(http).await? {
            Some(twilio) => {
                tracing::warn!("SMS_QUEUE_URL is not set: texts are delivered from this process");
                Arc::new(LocalOutbox::start(Notifier::new(twilio, Arc::clone(store))))
            }
            None => return Ok(None),
        },
    };
    Ok(Some(Sms { outbox, on_call }))
}

/// Twilio from `TWILIO_SECRET_ID` (or `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_FROM`), or
/// `None` when neither is set.
pub(crate) async fn twilio_from_env(http: &reqwest::Client) -> Result<Option<Twilio>, ConfigError> {
    let account = match (optional("TWILIO_SECRET_ID"), optional("TWILIO_ACCOUNT_SID")) {
        (Some(secret_id), _) => {
            read_secret::<StoredAccount>("TWILIO_SECRET_ID", &secret_id, "{account_sid, auth_token, from}")
                .await?
        }
        (None, Some(account_sid)) => StoredAccount {
            account_sid,
            auth_token: required("TWILIO_AUTH_TOKEN")?,
            from: required("TWILIO_FROM")?,
        },
        (None, None) => return Ok(None),
    };
    let account_sid =
        AccountSid::parse(&account.account_sid).map_err(|e| invalid("TWILIO_ACCOUNT_SID", e.to_string()))?;
    let from = E164::parse(&account.from).map_err(|e| invalid("TWILIO_FROM", e.to_string()))?;
    let base = optional("TWILIO_API_BASE").unwrap_or_else(|| TwilioConfig::DEFAULT_BASE_URL.to_owned());
    let base_url = base
        .parse()
        .map_err(|e: url::ParseError| invalid("TWILIO_API_BASE", e.to_string()))?;
    let auth = Credentials::AuthToken {
        account_sid: account_sid.clone(),
        auth_token: Secret::new(account.auth_token),
    };
    let config = TwilioConfig::new(base_url, account_sid, auth, SenderId::Number(from));
    Ok(Some(Twilio::new(config, http.clone())))
}

fn invalid(name: &'static str, why: String) -> ConfigError {
    ConfigError::Invalid { name, why }
}
