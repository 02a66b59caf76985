//! Connector settings from the environment; credentials from Secrets Manager in AWS.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `SALESFORCE_LOGIN_URL` | the OAuth host (`https://login.salesforce.com`, a My Domain, or a sandbox) | required |
//! | `SALESFORCE_API_VERSION` | REST API version | `62.0` |
//! | `SALESFORCE_TIMEOUT_MS` | cap on one Salesforce request | `10000` |
//! | `SALESFORCE_SECRET_ID` | Secrets Manager secret (name or ARN) holding `{"client_id", "client_secret", "refresh_token"?}` | — |
//! | `SALESFORCE_CLIENT_ID`, `SALESFORCE_CLIENT_SECRET`, `SALESFORCE_REFRESH_TOKEN` | credentials, when no secret is named (local runs) | — |
//! | `STRIPE_SECRET_ID` | Secrets Manager secret holding `{"api_key"}`, in the functions that take payments | — |
//! | `STRIPE_API_KEY` | the key, when no secret is named (local runs) | Stripe not configured |
//! | `STRIPE_API_BASE` | Stripe's base URL (a sandbox locally) | `https://api.stripe.com` |
//! | `HOME_ASSISTANT_URL` | Home Assistant's base URL, in the room-control functions (a sandbox locally) | room controls not configured |
//! | `HOME_ASSISTANT_SECRET_ID` | Secrets Manager secret holding `{"token"}`, Home Assistant's long-lived access token | — |
//! | `HOME_ASSISTANT_TOKEN` | the token, when no secret is named (local runs) | — |
//! | `TWILIO_SECRET_ID` | Secrets Manager secret holding `{"account_sid", "auth_token", "from"}` (the notifier's; a tool function needs it only without `SMS_QUEUE_URL`) | — |
//! | `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_FROM` | the same, when no secret is named | SMS not configured |
//! | `TWILIO_API_BASE` | Twilio's base URL | `https://api.twilio.com` |
//! | `SMS_ON_CALL_NUMBER` | the number maintenance requests are texted to (E.164) | none |
//! | `SMS_QUEUE_URL` | the SQS queue texts are queued on for the `sms_notifier` function (`AWS_ENDPOINT_URL_SQS` for an emulator) | texts sent from this process, if Twilio is configured here |
//! | `IDEMPOTENCY_TABLE` | the DynamoDB idempotency table (`AWS_ENDPOINT_URL_DYNAMODB` for an emulator) | in-memory store |
//! | `RATE_LIMIT_TABLE` | the DynamoDB table rate-limit windows are counted in (the idempotency table, `rate#` ids) | in-memory windows |
//! | `RATE_LIMIT_READS`, `RATE_LIMIT_WRITES`, `RATE_LIMIT_PAYMENTS` | calls per user per minute of each class (docs/rate-limits.md) | `300`, `60`, `10` |
//!
//! With `SALESFORCE_SECRET_ID` set the credentials are read once per container from Secrets Manager
//! (`AWS_ENDPOINT_URL` points the SDK at an emulator in tests). A refresh token, when present, selects
//! the refresh-token flow; otherwise the client-credentials flow is used.
//!
//! Without `IDEMPOTENCY_TABLE` the idempotency records live in the container's memory: correct for one
//! process (local runs, `cargo lambda watch`), but Lambda runs many containers, so the SAM template
//! always sets the table. Likewise without `SMS_QUEUE_URL` texts are sent by a task of the same
//! process, which a frozen Lambda environment would hold back: the template always sets the queue.

use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
use dewy_connector::Secret;
use dewy_idempotency::{DynamoStore, IdempotencyStore, MemoryStore, RateStore};
use dewy_mcp::{Confirmations, Unconfirmable};
use dewy_salesforce::{Credentials, Salesforce, SalesforceConfig};
use dewy_tool::{Backends, RateLimiter, RateLimits};

pub mod aws;
mod home_assistant;
mod payments;
mod sms;
pub(crate) use sms::twilio_from_env;
use std::sync::Arc;
use std::time::Duration;

/// A setting is missing or malformed: the function cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A required variable is unset.
    #[error("environment variable {0} must be set")]
    Missing(&'static str),
    /// A variable holds something unusable.
    #[error("environment variable {name} is invalid: {why}")]
    Invalid {
        /// The variable.
        name: &'static str,
        /// What is wrong with it.
        why: String,
    },
    /// A secret could not be read or parsed.
    #[error("a secret could not be read: {0}")]
    Secret(String),
}

/// The Salesforce credentials as stored in Secrets Manager (or given in the environment).
#[derive(serde::Deserialize)]
struct StoredCredentials {
    client_id: String,
    client_secret: String,
    #[serde(default)]
    refresh_token: Option<String>,
}

impl StoredCredentials {
    fn into_credentials(self) -> Credentials {
        let client_secret = Secret::new(self.client_secret);
        match self.refresh_token.filter(|t| !t.is_empty()) {
            Some(token) => Credentials::RefreshToken {
                client_id: self.client_id,
                client_secret,
                refresh_token: Secret::new(token),
            },
            None => Credentials::ClientCredentials {
                client_id: self.client_id,
                client_secret,
            },
        }
    }
}

/// Builds the container's backends from the environment (and Secrets Manager when configured).
pub async fn backends_from_env() -> Result<Backends, ConfigError> {
    let credentials = match optional("SALESFORCE_SECRET_ID") {
        Some(secret_id) => {
            read_secret(
                "SALESFORCE_SECRET_ID",
                &secret_id,
                "{client_id, client_secret, refresh_token?}",
            )
            .await?
        }
        None => StoredCredentials {
            client_id: required("SALESFORCE_CLIENT_ID")?,
            client_secret: required("SALESFORCE_CLIENT_SECRET")?,
            refresh_token: optional("SALESFORCE_REFRESH_TOKEN"),
        },
    };
    let login_url = required("SALESFORCE_LOGIN_URL")?;
    let config = SalesforceConfig {
        login_url: login_url
            .parse()
            .map_err(|e: url::ParseError| ConfigError::Invalid {
                name: "SALESFORCE_LOGIN_URL",
                why: e.to_string(),
            })?,
        api_version: optional("SALESFORCE_API_VERSION").unwrap_or_else(|| "62.0".to_owned()),
        credentials: credentials.into_credentials(),
        request_timeout: Duration::from_millis(number("SALESFORCE_TIMEOUT_MS", 10_000)?),
        retry: dewy_connector::RetryPolicy::default(),
        breaker: dewy_connector::BreakerConfig::default(),
    };
    let http = dewy_connector::http_client();
    let store = idempotency_store().await;
    let mut backends = Backends::new(Salesforce::new(config, http.clone()), Arc::clone(&store))
        .with_rate_limiter(rate_limiter_from_env().await?);
    if let Some(stripe) = payments::stripe_from_env(&http).await? {
        backends = backends.with_stripe(stripe);
    }
    if let Some(sms) = sms::sms_from_env(&http, &store).await? {
        backends = backends.with_sms(sms);
    }
    if let Some(home_assistant) = home_assistant::home_assistant_from_env(&http).await? {
        backends = backends.with_home_assistant(home_assistant);
    }
    Ok(backends)
}

/// The DynamoDB store on `IDEMPOTENCY_TABLE`, or memory when no table is configured (see
/// [`warn_if_records_in_memory`]).
pub(crate) async fn idempotency_store() -> Arc<dyn IdempotencyStore> {
    match optional("IDEMPOTENCY_TABLE") {
        Some(table) => Arc::new(DynamoStore::new(aws::dynamodb(), table)),
        None => Arc::new(MemoryStore::new()),
    }
}

/// The per-user rate limits: windows counted on `RATE_LIMIT_TABLE` (in memory without it), limits
/// from `RATE_LIMIT_READS`, `RATE_LIMIT_WRITES` and `RATE_LIMIT_PAYMENTS`.
pub async fn rate_limiter_from_env() -> Result<RateLimiter, ConfigError> {
    let defaults = RateLimits::default();
    let limit = |name, default: u32| -> Result<u32, ConfigError> {
        u32::try_from(number(name, u64::from(default))?).map_err(|_| ConfigError::Invalid {
            name,
            why: "too large".to_owned(),
        })
    };
    let limits = RateLimits {
        reads: limit("RATE_LIMIT_READS", defaults.reads)?,
        writes: limit("RATE_LIMIT_WRITES", defaults.writes)?,
        payments: limit("RATE_LIMIT_PAYMENTS", defaults.payments)?,
    };
    let store: Arc<dyn RateStore> = match optional("RATE_LIMIT_TABLE") {
        Some(table) => Arc::new(DynamoStore::new(aws::dynamodb(), table)),
        None => {
            tracing::warn!("RATE_LIMIT_TABLE is not set: rate limits are counted in this process's memory");
            Arc::new(MemoryStore::new())
        }
    };
    Ok(RateLimiter::new(store, limits))
}

/// How people confirm the money a tool call moves over MCP (docs/confirmations.md): the key that
/// seals the questions' states, from the secret `CONFIRMATION_KEY_SECRET_ID` (JSON `{"key": "…"}`,
/// at least 32 bytes); their single use redeemed in `IDEMPOTENCY_TABLE`; and
/// `UNCONFIRMABLE_MONEY_MOVES`, what a client that cannot ask gets: `refuse` (the default) or
/// `allow-audited`.
///
/// Without the secret (`cargo lambda watch`, local runs) the key is made at random for this
/// process: right for one process, wrong for Lambda's many containers (a question asked by one
/// could not be answered at another), so the template always names the secret.
pub async fn confirmations_from_env() -> Result<Confirmations, ConfigError> {
    #[derive(serde::Deserialize)]
    struct KeySecret {
        key: String,
    }
    let name = "CONFIRMATION_KEY_SECRET_ID";
    let key = match optional(name) {
        Some(secret_id) => {
            let secret: KeySecret = read_secret(name, &secret_id, r#"{"key": "…"}"#).await?;
            secret.key.into_bytes()
        }
        None => {
            tracing::warn!(
                "{name} is not set: money-move confirmations are sealed with a key of this process only"
            );
            rand::random::<[u8; 32]>().to_vec()
        }
    };
    let unconfirmable = match optional("UNCONFIRMABLE_MONEY_MOVES") {
        Some(value) => value.parse().map_err(|why| ConfigError::Invalid {
            name: "UNCONFIRMABLE_MONEY_MOVES",
            why,
        })?,
        None => Unconfirmable::Refuse,
    };
    Confirmations::new(&key, idempotency_store().await, unconfirmable)
        .map_err(|why| ConfigError::Invalid { name, why })
}

/// Reads a JSON secret once; the SDK client is dropped afterwards (no further AWS calls). Errors
/// name the variable and the secret id, so an operator knows which secret to fix; `shape` names the
/// expected fields. They never quote the secret itself.
async fn read_secret<T: serde::de::DeserializeOwned>(
    variable: &'static str,
    secret_id: &str,
    shape: &str,
) -> Result<T, ConfigError> {
    let unreadable = |why: String| ConfigError::Secret(format!("{variable} ({secret_id}): {why}"));
    let client = aws::secrets_manager();
    let output = client
        .get_secret_value()
        .secret_id(secret_id)
        .send()
        .await
        .map_err(|e| {
            // Secrets Manager's own answer (e.g. ResourceNotFoundException) says it all; the SDK's
            // full context, with the raw response, only for failures short of an answer.
            unreadable(match e.as_service_error() {
                Some(refusal) => format!(
                    "{}: {}",
                    refusal.code().unwrap_or("refused"),
                    refusal.message().unwrap_or("no message")
                ),
                None => aws_sdk_secretsmanager::error::DisplayErrorContext(e).to_string(),
            })
        })?;
    let text = output
        .secret_string()
        .ok_or_else(|| unreadable("the secret has no string value".into()))?;
    // The parse error's position only: serde's message could quote part of the secret.
    serde_json::from_str(text).map_err(|e| {
        unreadable(format!(
            "expected JSON {shape} (error at line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

/// Warns, once at start-up, when a function that takes idempotency locks (a side-effecting tool, the
/// notifier) keeps them in its own memory: right for one process, wrong for Lambda's many
/// containers. Read-only tools take none, so the template gives them no table and no warning.
pub(crate) fn warn_if_records_in_memory() {
    if optional("IDEMPOTENCY_TABLE").is_none() {
        tracing::warn!("IDEMPOTENCY_TABLE is not set: idempotency records are kept in this process's memory");
    }
}

pub(crate) fn optional(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

pub(crate) fn required(name: &'static str) -> Result<String, ConfigError> {
    optional(name).ok_or(ConfigError::Missing(name))
}

fn number(name: &'static str, default: u64) -> Result<u64, ConfigError> {
    optional(name)
        .map(|v| {
            v.parse().map_err(|_| ConfigError::Invalid {
                name,
                why: format!("'{v}' is not a whole number"),
            })
        })
        .unwrap_or(Ok(default))
}
