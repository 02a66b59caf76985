//! A sandbox and a plain HTTP client speaking Twilio's wire format to it.

use dewy_twilio_sandbox::{TwilioSandbox, TwilioSandboxConfig};
use serde_json::Value;

pub async fn start() -> TwilioSandbox {
    TwilioSandbox::start(TwilioSandboxConfig::default())
        .await
        .expect("the sandbox starts")
}

/// `{base}/2010-04-01/Accounts/{account}/{tail}` for the sandbox's own account.
pub fn url(sandbox: &TwilioSandbox, tail: &str) -> String {
    format!(
        "{}/2010-04-01/Accounts/{}/{tail}",
        sandbox.base_url(),
        sandbox.config().account_sid
    )
}

/// A request authenticated with the account SID and auth token.
pub fn authed(sandbox: &TwilioSandbox, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    let config = sandbox.config();
    builder.basic_auth(&config.account_sid, Some(&config.auth_token))
}

/// Creates a message; returns the status and the JSON answer.
pub async fn create(sandbox: &TwilioSandbox, form: &[(&str, &str)]) -> (u16, Value) {
    let request = reqwest::Client::new()
        .post(url(sandbox, "Messages.json"))
        .form(form);
    send(authed(sandbox, request)).await
}

/// Sends a request; returns the status and the body as JSON.
pub async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    let body = response.json().await.expect("a JSON body");
    (status, body)
}
