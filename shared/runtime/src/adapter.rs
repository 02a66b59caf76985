//! The MCP-adapter Lambda: the persona MCP servers behind API Gateway, verifying the caller's token
//! and invoking each tool's own function.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `AUTH_ISSUER` | the token issuer, e.g. `https://cognito-idp.<region>.amazonaws.com/<pool id>` | from `COGNITO_USER_POOL_ID` and `AWS_REGION` |
//! | `AUTH_JWKS_URL` | where the issuer's keys are | `<issuer>/.well-known/jwks.json` |
//! | `AUTH_CLIENT_IDS` | accepted app clients (Cognito access tokens carry `client_id`, not `aud`), comma-separated | required |
//! | `AUTH_REQUIRED_SCOPE` | a scope every token must carry | none |
//! | `TOOL_FUNCTION_PREFIX` | tool functions are named `<prefix><tool>` | empty |
//! | `MCP_RESOURCE_BASE_URL` | the public base URL (RFC 9728 metadata, challenges) | required |
//! | `MCP_ALLOWED_HOSTS` | accepted `Host` headers (DNS-rebinding protection), comma-separated | the host of `MCP_RESOURCE_BASE_URL` |
//! | `MCP_ALLOWED_ORIGINS` | accepted browser origins, comma-separated | none (non-browser clients only) |
//! | `RATE_LIMIT_TABLE`, `RATE_LIMIT_*` | the per-user rate limits, checked here for every MCP tool call (see [`crate::config`]) | in memory; 300, 60, 10 a minute |
//! | `CONFIRMATION_KEY_SECRET_ID` | the secret (`{"key": "…"}`) sealing the money-move questions' states | a key made at random for this process |
//! | `IDEMPOTENCY_TABLE` | where a confirmation is redeemed once | in memory |
//! | `UNCONFIRMABLE_MONEY_MOVES` | `refuse` or `allow-audited`: a money move from a client that cannot ask its person | `refuse` |
//!
//! `AWS_ENDPOINT_URL_LAMBDA` points the Lambda client elsewhere, e.g. at `cargo lambda watch`.

use crate::config::ConfigError;
use crate::invoke::LambdaInvoke;
use crate::request::MAX_BODY_BYTES;
use dewy_auth::{Audience, Verifier, VerifierConfig};
use dewy_mcp::McpConfig;
use dewy_tool::DynTool;
use std::sync::Arc;
use std::time::Duration;

/// How long a tool invocation may take (API Gateway's own limit is 30 s).
const TOOL_BUDGET: Duration = Duration::from_secs(29);

/// Runs the adapter as a Lambda function serving `tools`, each through its own function.
pub async fn run(tools: &'static [&'static dyn DynTool]) -> Result<(), lambda_http::Error> {
    crate::logging::init_lambda();
    let mut config = config_from_env(crate::config::aws::lambda(), tools)?;
    config.rate_limiter = Some(crate::config::rate_limiter_from_env().await?);
    config.confirmations = Some(crate::config::confirmations_from_env().await?);
    lambda_http::run(dewy_mcp::router(config)).await
}

/// The adapter's configuration from the environment, listing `tools` and dispatching through
/// `lambda`.
pub fn config_from_env(
    lambda: aws_sdk_lambda::Client,
    tools: &'static [&'static dyn DynTool],
) -> Result<McpConfig, ConfigError> {
    let issuer = match var("AUTH_ISSUER") {
        Some(issuer) => issuer,
        None => format!(
            "https://cognito-idp.{}.amazonaws.com/{}",
            required("AWS_REGION")?,
            required("COGNITO_USER_POOL_ID")?
        ),
    };
    let jwks_url = var("AUTH_JWKS_URL").unwrap_or_else(|| format!("{issuer}/.well-known/jwks.json"));
    let verifier = Verifier::new(
        VerifierConfig {
            issuer: issuer.clone(),
            jwks_url: parse_url("AUTH_JWKS_URL", &jwks_url)?,
            audience: Audience::ClientId(list(&required("AUTH_CLIENT_IDS")?)),
            required_scope: var("AUTH_REQUIRED_SCOPE"),
            token_use: Some("access".to_owned()),
            leeway: dewy_auth::DEFAULT_LEEWAY,
        },
        dewy_connector::http_client(),
    );
    let base = required("MCP_RESOURCE_BASE_URL")?;
    let base_host = parse_url("MCP_RESOURCE_BASE_URL", &base)?
        .host_str()
        .unwrap_or_default()
        .to_owned();
    Ok(McpConfig {
        tools,
        dispatch: Arc::new(LambdaInvoke::new(
            lambda,
            var("TOOL_FUNCTION_PREFIX").unwrap_or_default(),
            TOOL_BUDGET,
        )),
        authenticate: Arc::new(verifier),
        allowed_hosts: var("MCP_ALLOWED_HOSTS")
            .map(|h| list(&h))
            .unwrap_or_else(|| vec![base_host]),
        allowed_origins: var("MCP_ALLOWED_ORIGINS").map(|o| list(&o)).unwrap_or_default(),
        max_body_bytes: MAX_BODY_BYTES,
        resource_base_url: base,
        authorization_servers: vec![issuer],
        scopes: var("AUTH_REQUIRED_SCOPE").into_iter().collect(),
        server_name: "dewy-resort".to_owned(),
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        rate_limiter: None,
        confirmations: None,
    })
}

fn var(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn required(name: &'static str) -> Result<String, ConfigError> {
    var(name).ok_or(ConfigError::Missing(name))
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_url(name: &'static str, value: &str) -> Result<url::Url, ConfigError> {
    value.parse().map_err(|e: url::ParseError| ConfigError::Invalid {
        name,
        why: e.to_string(),
    })
}
