//! SMS through Twilio, when configured.

use super::{ConfigError, optional, read_secret, required};
use dewy_connector::Secret;
use dewy_tool::Sms;
use dewy_twilio::{AccountSid, Credentials, E164, SenderId, Twilio, TwilioConfig};

#[derive(serde::Deserialize)]
struct StoredAccount {
    account_sid: String,
    auth_token: String,
    from: String,
}

/// SMS from `TWILIO_SECRET_ID` (or `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_FROM`), or
/// `None` when neither is set.
pub(super) async fn sms_from_env(http: &reqwest::Client) -> Result<Option<Sms>, ConfigError> {
    let account = match (optional("TWILIO_SECRET_ID"), optional("TWILIO_ACCOUNT_SID")) {
        (Some(secret_id), _) => {
            read_secret::<StoredAccount>(&secret_id, "{account_sid, auth_token, from}").await?
        }
        (None, Some(account_sid)) => StoredAccount {
            account_sid,
            auth_token: required("TWILIO_AUTH_TOKEN")?,
            from: required("TWILIO_FROM")?,
        },
        (None, None) => return Ok(None),
    };
    let invalid = |name: &'static str| move |why: String| ConfigError::Invalid { name, why };
    let account_sid =
        AccountSid::parse(&account.account_sid).map_err(|e| invalid("TWILIO_ACCOUNT_SID")(e.to_string()))?;
    let from = E164::parse(&account.from).map_err(|e| invalid("TWILIO_FROM")(e.to_string()))?;
    let on_call = optional("SMS_ON_CALL_NUMBER")
        .map(|n| E164::parse(&n).map_err(|e| invalid("SMS_ON_CALL_NUMBER")(e.to_string())))
        .transpose()?;
    let base = optional("TWILIO_API_BASE").unwrap_or_else(|| TwilioConfig::DEFAULT_BASE_URL.to_owned());
    let base_url = base
        .parse()
        .map_err(|e: url::ParseError| invalid("TWILIO_API_BASE")(e.to_string()))?;
    let auth = Credentials::AuthToken {
        account_sid: account_sid.clone(),
        auth_token: Secret::new(account.auth_token),
    };
    let config = TwilioConfig::new(base_url, account_sid, auth, SenderId::Number(from));
    Ok(Some(Sms {
        twilio: Twilio::new(config, http.clone()),
        on_call,
    }))
}
