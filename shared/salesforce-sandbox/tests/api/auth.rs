//! Tokens, sessions and the routes outside the data API.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{V, error_code, into_reply, start};

#[tokio::test]
async fn client_credentials_and_refresh_token_grants() {
    let env = start().await;
    let config = env.sandbox.config();
    let grant = |params: Vec<(&'static str, String)>| {
        let request = env.client.post(env.url("/services/oauth2/token")).form(&params);
        async move { into_reply(request.send().await.unwrap()).await }
    };
    let ok = grant(vec![
        ("grant_type", "client_credentials".into()),
        ("client_id", config.client_id.clone()),
        ("client_secret", config.client_secret.clone()),
    ])
    .await;
    assert_eq!(ok.status, 200);
    for key in [
        "access_token",
        "instance_url",
        "id",
        "token_type",
        "issued_at",
        "signature",
    ] {
        assert!(ok.body[key].is_string(), "{key} missing in {}", ok.body);
    }
    assert_eq!(ok.body["token_type"], json!("Bearer"));
    assert_eq!(ok.body["instance_url"], json!(env.sandbox.base_url()));
    assert!(ok.body["issued_at"].as_str().unwrap().parse::<i64>().is_ok());

    let refreshed = grant(vec![
        ("grant_type", "refresh_token".into()),
        ("refresh_token", config.refresh_token.clone()),
        ("client_id", config.client_id.clone()),
        ("client_secret", config.client_secret.clone()),
    ])
    .await;
    assert_eq!(refreshed.status, 200);
    assert_ne!(refreshed.body["access_token"], ok.body["access_token"]);

    let bad_secret = grant(vec![
        ("grant_type", "client_credentials".into()),
        ("client_id", config.client_id.clone()),
        ("client_secret", "wrong".into()),
    ])
    .await;
    assert_eq!(bad_secret.status, 400);
    assert_eq!(
        bad_secret.body,
        json!({"error": "invalid_client", "error_description": "invalid client credentials"})
    );

    let bad_refresh = grant(vec![
        ("grant_type", "refresh_token".into()),
        ("refresh_token", "stale".into()),
        ("client_id", config.client_id.clone()),
        ("client_secret", config.client_secret.clone()),
    ])
    .await;
    assert_eq!(bad_refresh.status, 400);
    assert_eq!(
        bad_refresh.body,
        json!({"error": "invalid_grant", "error_description": "expired access/refresh token"})
    );

    let unsupported = grant(vec![("grant_type", "password".into())]).await;
    assert_eq!(
        (unsupported.status, unsupported.body["error"].clone()),
        (400, json!("unsupported_grant_type"))
    );
}

#[tokio::test]
async fn data_calls_need_a_live_session() {
    let mut env = start().await;
    let path = env.url(&format!("{V}/sobjects/Account"));
    let no_token = into_reply(env.client.get(&path).send().await.unwrap()).await;
    assert_eq!(no_token.status, 401);
    assert_eq!(
        no_token.body,
        json!([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
    );
    let bogus = into_reply(
        env.client
            .get(&path)
            .bearer_auth("00Dfake!token")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(bogus.status, 401);

    assert_eq!(env.get(&format!("{V}/sobjects/Account")).await.status, 200);
    env.sandbox.expire_sessions();
    let expired = env.get(&format!("{V}/sobjects/Account")).await;
    assert_eq!(
        (expired.status, error_code(&expired)),
        (401, "INVALID_SESSION_ID")
    );
    env.token = env.login().await;
    assert_eq!(env.get(&format!("{V}/sobjects/Account")).await.status, 200);
}

#[tokio::test]
async fn versions_and_unknown_routes() {
    let env = start().await;
    // The version list needs no session, as in Salesforce.
    let versions = into_reply(env.client.get(env.url("/services/data/")).send().await.unwrap()).await;
    assert_eq!(versions.status, 200);
    assert!(
        versions
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["version"] == json!("62.0"))
    );
    // Any vNN.N works.
    assert_eq!(env.get("/services/data/v99.0/sobjects/Contact").await.status, 200);
    let not_found = json!([{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]);
    for path in [
        "/nowhere",
        "/services/data/latest/sobjects",
        "/services/data/v62.0/nothing/here",
    ] {
        let reply = env.send(Method::GET, path, None).await;
        assert_eq!(
            (reply.status, reply.body.clone()),
            (404, not_found.clone()),
            "{path}"
        );
    }
    let described = env.get(&format!("{V}/sobjects/Booking__c/describe")).await;
    let fields = described.body["fields"].as_array().unwrap();
    let status = fields.iter().find(|f| f["name"] == json!("Status__c")).unwrap();
    let values: Vec<Value> = status["picklistValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].clone())
        .collect();
    assert_eq!(
        values,
        vec![
            json!("Reserved"),
            json!("Checked In"),
            json!("Checked Out"),
            json!("Cancelled"),
            json!("No Show")
        ]
    );
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let env = start().await;
    let url = env.url("/services/data/");
    assert_eq!(env.client.get(&url).send().await.unwrap().status(), 200);
    drop(env);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let fresh = reqwest::Client::new();
    assert!(fresh.get(&url).send().await.unwrap_err().is_connect());
}
