//! A tool's sample event, rendered from its [`Sample`]: the API Gateway HTTP API v2 event its
//! route receives when the sample's caller sends the sample's arguments, on the day `on`.
//!
//! The event's request time is 10:00 UTC on that day and the sample's dates are relative to it,
//! so the day can be read back from a committed event (`requestContext.timeEpoch`) to render it
//! again for comparison.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use dewy_local_issuer::DemoUser;
use dewy_tool::{DynTool, Sample};
use serde_json::{Value, json};

/// The API Gateway's made-up identity, as in AWS's own sample events.
const API_ID: &str = "abcdef1234";
const ACCOUNT_ID: &str = "123456789012";
const USER_AGENT: &str = "curl/8.5.0";
const SOURCE_IP: &str = "203.0.113.10";

/// The time of the request in an event rendered on `on`.
fn request_time(on: NaiveDate) -> DateTime<Utc> {
    on.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default())
        .and_utc()
}

/// The day an event was rendered on, from its request time; `None` when it has none.
pub fn rendered_on(event: &Value) -> Option<NaiveDate> {
    let millis = event["requestContext"]["timeEpoch"].as_i64()?;
    Some(DateTime::from_timestamp_millis(millis)?.date_naive())
}

/// The text of `events/<tool>.json` rendered on `on`.
pub fn event_text(tool: &dyn DynTool, on: NaiveDate) -> String {
    let mut text =
        serde_json::to_string_pretty(&event(tool, &tool.sample(on), on)).expect("an event is JSON");
    text.push('\n');
    text
}

/// The event of `sample`, a call of `tool`, on `on`.
fn event(tool: &dyn DynTool, sample: &Sample, on: NaiveDate) -> Value {
    let path = tool.spec().rest_path();
    let route_key = format!("POST {path}");
    let body = sample.arguments.to_string();
    let at = request_time(on);
    let host = format!("{API_ID}.execute-api.us-east-1.amazonaws.com");
    json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "accept": "application/json",
            // API Gateway has checked the token and passes its claims below; the token itself is
            // not needed to invoke the function.
            "authorization": "Bearer eyJraWQiOiJsb2NhbCIsImFsZyI6IlJTMjU2In0.redacted.redacted",
            "content-length": body.len().to_string(),
            "content-type": "application/json",
            "host": host,
            "user-agent": USER_AGENT,
            "x-amzn-trace-id": format!("Root=1-{:08x}-{}", at.timestamp(), "3f0e5b7a1c2d4e6f8a9b0c1d"),
            "x-forwarded-for": SOURCE_IP,
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
        },
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "authorizer": { "jwt": { "claims": claims(sample, at), "scopes": ["dewy-resort/mcp"] } },
            "domainName": host,
            "domainPrefix": API_ID,
            "http": {
                "method": "POST",
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": SOURCE_IP,
                "userAgent": USER_AGENT,
            },
            "requestId": "BQ7hZjexIAMEVbw=",
            "routeKey": route_key,
            "stage": "$default",
            "time": at.format("%d/%b/%Y:%H:%M:%S %z").to_string(),
            "timeEpoch": at.timestamp_millis(),
        },
        "body": body,
        "isBase64Encoded": false,
    })
}

/// The claims API Gateway's JWT authorizer passes for the sample's caller: a Cognito access token's,
/// with the caller's group and the subject the local issuer gives the same user.
fn claims(sample: &Sample, at: DateTime<Utc>) -> Value {
    let group = sample.persona.group();
    let sub = DemoUser::new(sample.email, &[group]).subject();
    let issued = at - TimeDelta::minutes(5);
    json!({
        "auth_time": issued.timestamp().to_string(),
        "client_id": "4q8k1example0client0id0abc",
        "cognito:groups": format!("[{group}]"),
        "email": sample.email,
        "exp": (issued + TimeDelta::hours(1)).timestamp().to_string(),
        "iat": issued.timestamp().to_string(),
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example12",
        "jti": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
        "scope": "dewy-resort/mcp",
        "sub": sub,
        "token_use": "access",
        "username": sub,
    })
}
