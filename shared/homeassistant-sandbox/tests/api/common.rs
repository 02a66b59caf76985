//! A sandbox and a plain HTTP client speaking Home Assistant's wire format to it.

use dewy_homeassistant_sandbox::{HomeAssistantConfig, HomeAssistantSandbox};
use serde_json::Value;

pub async fn start() -> HomeAssistantSandbox {
    HomeAssistantSandbox::start(HomeAssistantConfig::default())
        .await
        .expect("the sandbox starts")
}

/// A request to `{base}{path}` with the sandbox's token.
pub fn authed(
    sandbox: &HomeAssistantSandbox,
    method: reqwest::Method,
    path: &str,
) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, format!("{}{path}", sandbox.base_url()))
        .bearer_auth(sandbox.token())
}

/// `GET {path}` with the token; the status and the JSON answer.
pub async fn get(sandbox: &HomeAssistantSandbox, path: &str) -> (u16, Value) {
    send(authed(sandbox, reqwest::Method::GET, path)).await
}

/// `POST /api/services/{service}` (`service` as `domain/service`) with `data` as the JSON body.
pub async fn call(sandbox: &HomeAssistantSandbox, service: &str, data: Value) -> (u16, Value) {
    let path = format!("/api/services/{service}");
    send(authed(sandbox, reqwest::Method::POST, &path).json(&data)).await
}

/// The same call, answered 200: the state objects it changed.
pub async fn changed_by(sandbox: &HomeAssistantSandbox, service: &str, data: Value) -> Vec<Value> {
    let (status, body) = call(sandbox, service, data).await;
    assert_eq!(status, 200, "{service}: {body}");
    body.as_array().cloned().expect("an array of state objects")
}

/// The same call, answered 400: its message.
pub async fn refusal(sandbox: &HomeAssistantSandbox, service: &str, data: Value) -> String {
    let (status, body) = call(sandbox, service, data).await;
    assert_eq!(status, 400, "{service}: {body}");
    body["message"].as_str().expect("a message").to_owned()
}

/// Sends a request; the status and the body as JSON.
pub async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    let body = response.json().await.expect("a JSON body");
    (status, body)
}

/// Sends a request; the status, the content type and the body as text.
pub async fn send_for_text(request: reqwest::RequestBuilder) -> (u16, String, String) {
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, response.text().await.expect("a body"))
}

/// One entity's state object, read through the handle.
pub fn state(sandbox: &HomeAssistantSandbox, entity_id: &str) -> Value {
    sandbox
        .state(entity_id)
        .unwrap_or_else(|| panic!("{entity_id} exists"))
}
