//! The bearer token, the status and config routes, and what is not a route.

use dewy_homeassistant_sandbox::{HomeAssistantConfig, HomeAssistantSandbox};
use reqwest::Method;
use serde_json::json;

use crate::common::{self, authed, get, send_for_text, state};

/// `GET /api/` says the API runs; `GET /api/config` names the hotel and its units.
#[tokio::test]
async fn status_and_config_answer_with_the_token() {
    let sandbox = common::start().await;
    assert_eq!(
        get(&sandbox, "/api/").await,
        (200, json!({"message": "API running."}))
    );
    let (status, config) = get(&sandbox, "/api/config").await;
    assert_eq!(status, 200);
    assert_eq!(config["location_name"], "Dewy Resort");
    assert_eq!(config["unit_system"]["temperature"], "°F");
    assert_eq!(
        (&config["version"], &config["state"]),
        (&json!("2026.11.0"), &json!("RUNNING"))
    );
}

/// Every API route answers a missing, wrong or non-bearer token with aiohttp's plain-text 401,
/// and a refused service call changes nothing.
#[tokio::test]
async fn every_route_needs_the_bearer_token() {
    let sandbox = common::start().await;
    let client = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", sandbox.base_url());
    let before = state(&sandbox, "light.room_105_main");
    let routes = [
        (Method::GET, "/api/"),
        (Method::GET, "/api/config"),
        (Method::GET, "/api/states"),
        (Method::GET, "/api/states/light.room_105_main"),
        (Method::POST, "/api/services/light/turn_on"),
    ];
    for (method, path) in routes {
        let body = json!({"entity_id": "light.room_105_main"});
        let requests = [
            client.request(method.clone(), url(path)),
            client
                .request(method.clone(), url(path))
                .bearer_auth("not-the-token"),
            client
                .request(method.clone(), url(path))
                .header("Authorization", format!("bearer {}", sandbox.token())),
            client
                .request(method.clone(), url(path))
                .basic_auth("admin", Some(sandbox.token())),
        ];
        for request in requests {
            let (status, content_type, text) = send_for_text(request.json(&body)).await;
            assert_eq!(
                (status, text.as_str()),
                (401, "401: Unauthorized"),
                "{method} {path}"
            );
            assert!(content_type.starts_with("text/plain"), "{content_type}");
        }
    }
    assert_eq!(state(&sandbox, "light.room_105_main"), before);
}

/// A configured token replaces the default one.
#[tokio::test]
async fn the_token_is_configurable() {
    let config = HomeAssistantConfig {
        token: "front-desk-token".into(),
    };
    let sandbox = HomeAssistantSandbox::start(config).await.expect("starts");
    assert_eq!(sandbox.token(), "front-desk-token");
    assert_eq!(get(&sandbox, "/api/").await.0, 200);
    let default = reqwest::Client::new()
        .get(format!("{}/api/", sandbox.base_url()))
        .bearer_auth(HomeAssistantConfig::DEFAULT_TOKEN);
    assert_eq!(send_for_text(default).await.0, 401);
}

/// Unknown paths are aiohttp's plain 404, wrong methods its 405.
#[tokio::test]
async fn unknown_paths_and_methods() {
    let sandbox = common::start().await;
    let (status, _, text) = send_for_text(authed(&sandbox, Method::GET, "/api/nope")).await;
    assert_eq!((status, text.as_str()), (404, "404: Not Found"));
    let (status, _, text) = send_for_text(authed(&sandbox, Method::DELETE, "/api/states")).await;
    assert_eq!((status, text.as_str()), (405, "405: Method Not Allowed"));
    let wrong_method = authed(&sandbox, Method::GET, "/api/services/light/turn_on");
    assert_eq!(send_for_text(wrong_method).await.0, 405);
}
