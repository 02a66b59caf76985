//! The discovery document, `/logout`, and the password grant and JSON sign-in kept beside the code flow.

use dewy_local_issuer::DEMO_PASSWORD;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{CLIENT_ID, Issuer, LOGOUT_URI, location};

#[tokio::test]
async fn discovery_announces_the_code_flow_with_s256() {
    let issuer = Issuer::start().await;
    let config: Value = issuer
        .get("/.well-known/openid-configuration", &[])
        .await
        .json()
        .await
        .unwrap();
    let base = &issuer.base;
    assert_eq!(
        config["authorization_endpoint"],
        format!("{base}/oauth2/authorize")
    );
    assert_eq!(config["token_endpoint"], format!("{base}/oauth2/token"));
    assert_eq!(config["jwks_uri"], format!("{base}/.well-known/jwks.json"));
    assert_eq!(config["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(config["response_types_supported"], json!(["code"]));
    assert_eq!(
        config["grant_types_supported"],
        json!(["authorization_code", "refresh_token", "password"])
    );
    assert_eq!(config, issuer.issuer.openid_configuration());
}

#[tokio::test]
async fn logout_redirects_only_to_an_allowed_sign_out_url() {
    let issuer = Issuer::start().await;
    let ok = issuer
        .get("/logout", &[("client_id", CLIENT_ID), ("logout_uri", LOGOUT_URI)])
        .await;
    assert_eq!(ok.status(), StatusCode::FOUND);
    assert_eq!(location(&ok), LOGOUT_URI);
    for bad in [
        vec![
            ("client_id", CLIENT_ID),
            ("logout_uri", "https://attacker.example/"),
        ],
        vec![("client_id", "another-client"), ("logout_uri", LOGOUT_URI)],
        vec![("logout_uri", LOGOUT_URI)],
        vec![("client_id", CLIENT_ID)],
    ] {
        let refused = issuer.get("/logout", &bad).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(refused.headers().get("location").is_none());
    }
}

#[tokio::test]
async fn logout_with_a_redirect_uri_sends_the_user_to_sign_in_again() {
    let issuer = Issuer::start().await;
    let params = [
        ("client_id", CLIENT_ID),
        ("redirect_uri", "http://localhost:3000/"),
        ("response_type", "code"),
    ];
    let answer = issuer.get("/logout", &params).await;
    assert_eq!(answer.status(), StatusCode::FOUND);
    assert!(location(&answer).starts_with(&format!("{}/login?client_id=", issuer.base)));
}

#[tokio::test]
async fn the_json_sign_in_and_the_password_grant_still_answer_tokens() {
    let issuer = Issuer::start().await;
    let url = format!("{}/login", issuer.base);
    let body = json!({"email": "kay@example.com", "password": DEMO_PASSWORD});
    let json_login = issuer.http.post(url).json(&body).send().await.unwrap();
    assert_eq!(json_login.status(), StatusCode::OK);
    let tokens: Value = json_login.json().await.unwrap();
    assert!(tokens["access_token"].is_string());
    assert!(tokens.get("refresh_token").is_none());

    let (status, tokens) = issuer
        .token(&[
            ("grant_type", "password"),
            ("username", "kay@example.com"),
            ("password", DEMO_PASSWORD),
            ("client_id", CLIENT_ID),
        ])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(tokens["id_token"].is_string());
}
