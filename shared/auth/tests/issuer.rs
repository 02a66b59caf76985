//! The local issuer: sign-in, its HTTP endpoints, and the claims of its tokens.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::{CLIENT_ID, Stack, user};
use dewy_local_issuer::{DEMO_PASSWORD, IssuerError};
use serde_json::{Value, json};

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    use base64::Engine as _;
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

fn keys_of(value: &Value) -> BTreeSet<&str> {
    value.as_object().unwrap().keys().map(String::as_str).collect()
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let stack = Stack::start().await;
    let wrong = stack.issuer.login("guest1@hotel.com", "nope").unwrap_err();
    let unknown = stack.issuer.login("nobody@hotel.com", DEMO_PASSWORD).unwrap_err();
    assert_eq!(wrong, IssuerError::InvalidCredentials);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.to_string(), unknown.to_string());

    let http = reqwest::Client::new();
    let mut answers = Vec::new();
    for (email, password) in [("guest1@hotel.com", "nope"), ("nobody@hotel.com", DEMO_PASSWORD)] {
        let response = http
            .post(format!("{}/login", stack.base))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        answers.push((response.status().as_u16(), response.text().await.unwrap()));
    }
    assert_eq!(
        answers[0],
        (401, json!({"error": "invalid_credentials"}).to_string())
    );
    assert_eq!(answers[0], answers[1]);
}

#[tokio::test]
async fn login_returns_tokens_that_verify() {
    let stack = Stack::start().await;
    let response: Value = reqwest::Client::new()
        .post(format!("{}/login", stack.base))
        .json(&json!({"email": "Kay@Example.com", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(response["token_type"], "Bearer");
    assert_eq!(response["expires_in"], 3600);
    let access = response["access_token"].as_str().unwrap();
    // The verifier built from the issuer's own config, fetching from the real JWKS route.
    let v = dewy_auth::Verifier::new(stack.issuer.verifier_config(), reqwest::Client::new());
    let caller = v.verify(access).await.unwrap().caller();
    assert!(caller.is_guest_only());
    assert_eq!(caller.email.unwrap().as_str(), "kay@example.com");

    let claims = claims_of(access);
    let expected = [
        "sub",
        "cognito:groups",
        "iss",
        "version",
        "client_id",
        "origin_jti",
        "event_id",
        "token_use",
        "scope",
        "auth_time",
        "exp",
        "iat",
        "jti",
        "username",
        "email",
    ];
    assert_eq!(keys_of(&claims), expected.into_iter().collect());
    assert_eq!(claims["token_use"], "access");
    assert_eq!(claims["version"], 2);
    assert_eq!(claims["client_id"], CLIENT_ID);
    assert_eq!(claims["sub"], user("kay@example.com").subject());

    let id = claims_of(response["id_token"].as_str().unwrap());
    assert_eq!(id["aud"], CLIENT_ID);
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["email"], "kay@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["cognito:groups"], json!(["guest"]));
    assert_eq!(id["cognito:username"], claims["username"]);
}

#[tokio::test]
async fn the_oauth_token_endpoint_takes_a_password_grant() {
    let stack = Stack::start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/oauth2/token", stack.base);
    let form = |grant: &str, password: &str, client: &str| {
        [
            ("grant_type", grant.to_owned()),
            ("username", "manager1@hotel.com".to_owned()),
            ("password", password.to_owned()),
            ("client_id", client.to_owned()),
        ]
    };
    let ok = http
        .post(&url)
        .form(&form("password", DEMO_PASSWORD, CLIENT_ID))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let tokens: Value = ok.json().await.unwrap();
    let v = stack.verifier();
    let token = v.verify(tokens["access_token"].as_str().unwrap()).await.unwrap();
    assert_eq!(token.groups, ["manager"]);

    let bad = http
        .post(&url)
        .form(&form("password", "nope", CLIENT_ID))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(
        bad.json::<Value>().await.unwrap(),
        json!({"error": "invalid_grant"})
    );
    let grant = http
        .post(&url)
        .form(&form("client_credentials", DEMO_PASSWORD, CLIENT_ID))
        .send()
        .await
        .unwrap();
    assert_eq!(
        grant.json::<Value>().await.unwrap(),
        json!({"error": "unsupported_grant_type"})
    );
    let client = http
        .post(&url)
        .form(&form("password", DEMO_PASSWORD, "other"))
        .send()
        .await
        .unwrap();
    assert_eq!(client.status(), 401);
}

#[tokio::test]
async fn discovery_documents_are_served() {
    let stack = Stack::start().await;
    let http = reqwest::Client::new();
    let config: Value = http
        .get(format!("{}/.well-known/openid-configuration", stack.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["issuer"], stack.base);
    assert_eq!(config["token_endpoint"], format!("{}/oauth2/token", stack.base));
    assert_eq!(config["id_token_signing_alg_values_supported"], json!(["RS256"]));
    let jwks: Value = http
        .get(config["jwks_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks, stack.issuer.jwks());
    let key = &jwks["keys"][0];
    assert_eq!(
        keys_of(key),
        ["alg", "e", "kid", "kty", "n", "use"].into_iter().collect()
    );
    assert_eq!(key["e"], "AQAB");
    assert_eq!(key["kid"], stack.issuer.kid());
    let n = key["n"].as_str().unwrap();
    assert!(!n.contains('=') && !n.contains('+') && !n.contains('/'));
    assert_eq!(n.len(), 342, "2048-bit modulus, base64url without padding");
    assert_eq!(stack.issuer.scope(), "dewy-resort/mcp");
}
