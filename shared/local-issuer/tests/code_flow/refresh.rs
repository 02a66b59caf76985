//! `POST /oauth2/token` with `grant_type=refresh_token`.

use std::time::Duration;

use dewy_auth::Verifier;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{CLIENT_ID, Issuer, claims_of, pkce, request};

/// Signs `email` in through the code flow; the token answer.
async fn signed_in(issuer: &Issuer, email: &str) -> Value {
    let (verifier, challenge) = pkce();
    let code = issuer.code(&request(&challenge), email).await;
    let (status, tokens) = issuer.exchange(&code, &verifier).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    tokens
}

async fn refresh(issuer: &Issuer, refresh_token: &str, client_id: &str) -> (StatusCode, Value) {
    issuer
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", client_id),
        ])
        .await
}

#[tokio::test]
async fn a_refresh_token_gives_new_tokens_and_keeps_working() {
    let issuer = Issuer::start().await;
    let first = signed_in(&issuer, "staff1@hotel.com").await;
    let refresh_token = first["refresh_token"].as_str().unwrap();
    let verifier = Verifier::new(issuer.issuer.verifier_config(), reqwest::Client::new());
    for _ in 0..2 {
        let (status, tokens) = refresh(&issuer, refresh_token, CLIENT_ID).await;
        assert_eq!(status, StatusCode::OK, "{tokens}");
        // Not rotated, as Cognito by default: no new refresh token in the answer.
        assert!(tokens.get("refresh_token").is_none());
        assert_eq!(tokens["token_type"], "Bearer");
        let access = tokens["access_token"].as_str().unwrap();
        assert_ne!(access, first["access_token"].as_str().unwrap());
        let verified = verifier.verify(access).await.unwrap();
        assert_eq!(verified.groups, ["staff"]);
        assert_eq!(verified.email.as_deref(), Some("staff1@hotel.com"));
        let id = claims_of(tokens["id_token"].as_str().unwrap());
        assert_eq!(id["email"], "staff1@hotel.com");
        assert!(id.get("nonce").is_none());
        // The time of the sign-in, not of the refresh.
        assert_eq!(
            id["auth_time"],
            claims_of(first["id_token"].as_str().unwrap())["auth_time"]
        );
    }
}

#[tokio::test]
async fn an_unknown_refresh_token_is_an_invalid_grant() {
    let issuer = Issuer::start().await;
    let (status, error) = refresh(&issuer, "not-a-refresh-token", CLIENT_ID).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"], "invalid_grant");
}

#[tokio::test]
async fn an_expired_refresh_token_is_an_invalid_grant() {
    let issuer = Issuer::start_with(|issuer| issuer.with_refresh_token_ttl(Duration::ZERO)).await;
    let tokens = signed_in(&issuer, "kay@example.com").await;
    let (status, error) = refresh(&issuer, tokens["refresh_token"].as_str().unwrap(), CLIENT_ID).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"], "invalid_grant");
}

#[tokio::test]
async fn a_refresh_token_is_refused_to_another_client() {
    let issuer = Issuer::start().await;
    let tokens = signed_in(&issuer, "kay@example.com").await;
    let (status, error) = refresh(
        &issuer,
        tokens["refresh_token"].as_str().unwrap(),
        "another-client",
    )
    .await;
    assert_eq!(
        (status, error),
        (StatusCode::UNAUTHORIZED, json!({"error": "invalid_client"}))
    );
}
