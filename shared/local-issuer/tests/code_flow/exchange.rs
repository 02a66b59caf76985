//! `POST /oauth2/token` with `grant_type=authorization_code`: tokens for a good exchange, and every refusal.

use std::time::Duration;

use dewy_auth::Verifier;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{CLIENT_ID, Issuer, NONCE, OTHER_REDIRECT_URI, REDIRECT_URI, claims_of, pkce, request};

fn assert_invalid_grant(answer: &(StatusCode, Value)) {
    assert_eq!(answer.0, StatusCode::BAD_REQUEST, "{}", answer.1);
    assert_eq!(answer.1["error"], "invalid_grant", "{}", answer.1);
}

#[tokio::test]
async fn a_code_and_its_verifier_give_tokens_that_verify() {
    let issuer = Issuer::start().await;
    let (verifier, challenge) = pkce();
    let code = issuer.code(&request(&challenge), "kay@example.com").await;
    let url = format!("{}/oauth2/token", issuer.base);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("client_id", CLIENT_ID),
        ("code_verifier", verifier.as_str()),
    ];
    let answer = issuer.http.post(url).form(&form).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["cache-control"], "no-store");
    let tokens: Value = answer.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    assert!(tokens["refresh_token"].as_str().is_some_and(|t| t.len() >= 43));

    let access = tokens["access_token"].as_str().unwrap();
    let verified = Verifier::new(issuer.issuer.verifier_config(), reqwest::Client::new())
        .verify(access)
        .await
        .unwrap();
    assert_eq!(verified.groups, ["guest"]);
    assert_eq!(verified.email.as_deref(), Some("kay@example.com"));
    assert_eq!(verified.scopes, ["openid", "email", "dewy-resort/mcp"]);
    assert_eq!(verified.client_id.as_deref(), Some(CLIENT_ID));

    let id = claims_of(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["nonce"], NONCE);
    assert_eq!(id["aud"], CLIENT_ID);
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["email"], "kay@example.com");
    assert_eq!(id["sub"], verified.subject);
    assert_eq!(id["iss"], issuer.base);
}

#[tokio::test]
async fn staff_get_their_groups_and_a_request_without_nonce_gets_an_id_token_without_one() {
    let issuer = Issuer::start().await;
    let (verifier, challenge) = pkce();
    let request: Vec<_> = request(&challenge)
        .into_iter()
        .filter(|(n, _)| *n != "nonce")
        .collect();
    let code = issuer.code(&request, "manager1@hotel.com").await;
    let (status, tokens) = issuer.exchange(&code, &verifier).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(
        claims_of(tokens["access_token"].as_str().unwrap())["cognito:groups"],
        json!(["manager"])
    );
    assert!(
        claims_of(tokens["id_token"].as_str().unwrap())
            .get("nonce")
            .is_none()
    );
}

#[tokio::test]
async fn a_wrong_verifier_is_refused_and_uses_the_code_up() {
    let issuer = Issuer::start().await;
    let (verifier, challenge) = pkce();
    let (other_verifier, _) = pkce();
    let code = issuer.code(&request(&challenge), "kay@example.com").await;
    assert_invalid_grant(&issuer.exchange(&code, &other_verifier).await);
    assert_invalid_grant(&issuer.exchange(&code, &verifier).await);
}

#[tokio::test]
async fn a_malformed_verifier_is_refused() {
    let issuer = Issuer::start().await;
    // A 42-character verifier whose challenge the issuer would otherwise accept.
    let short = "a".repeat(42);
    let (_, challenge) = pkce();
    let code = issuer.code(&request(&challenge), "kay@example.com").await;
    assert_invalid_grant(&issuer.exchange(&code, &short).await);
}

#[tokio::test]
async fn a_missing_verifier_is_a_bad_request_that_leaves_the_code() {
    let issuer = Issuer::start().await;
    let (verifier, challenge) = pkce();
    let code = issuer.code(&request(&challenge), "kay@example.com").await;
    let (status, error) = issuer.exchange(&code, "").await;
    assert_eq!(
        (status, &error["error"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_request"))
    );
    assert_eq!(issuer.exchange(&code, &verifier).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_code_is_redeemed_once() {
    let issuer = Issuer::start().await;
    let (verifier, challenge) = pkce();
    let code = issuer.code(&request(&challenge), "kay@example.com").await;
    assert_eq!(issuer.exchange(&code, &verifier).await.0, StatusCode::OK);
    assert_invalid_grant(&issuer.exchange(&code, &verifier).await);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    // A code that expires as it is made: the exchange below is always later.
    let issuer = Issuer::start_with(|issuer| issuer.with_code_ttl(Duration::ZERO)).await;
    let (verifier, challenge) = pkce();
    let code = issuer.code(&request(&challenge), "kay@example.com").await;
    assert_invalid_grant(&issuer.exchange(&code, &verifier).await);
}

#[tokio::test]
async fn a_code_is_bound_to_its_redirect_uri_and_client() {
    let issuer = Issuer::start().await;
    let (verifier, challenge) = pkce();
    let redeem = |code: String, redirect_uri: &'static str, client_id: &'static str| {
        let verifier = verifier.clone();
        let issuer = &issuer;
        async move {
            issuer
                .token(&[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", redirect_uri),
                    ("client_id", client_id),
                    ("code_verifier", &verifier),
                ])
                .await
        }
    };
    // Another allowed redirect URI is still not the one the code was issued for.
    let code = issuer.code(&request(&challenge), "kay@example.com").await;
    assert_invalid_grant(&redeem(code, OTHER_REDIRECT_URI, CLIENT_ID).await);

    let code = issuer.code(&request(&challenge), "kay@example.com").await;
    let (status, error) = redeem(code.clone(), REDIRECT_URI, "another-client").await;
    assert_eq!(
        (status, error),
        (StatusCode::UNAUTHORIZED, json!({"error": "invalid_client"}))
    );
    let (status, error) = redeem(code, REDIRECT_URI, "").await;
    assert_eq!(
        (status, &error["error"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_request"))
    );
}

#[tokio::test]
async fn an_unknown_code_or_grant_type_is_refused() {
    let issuer = Issuer::start().await;
    let (verifier, _) = pkce();
    assert_invalid_grant(&issuer.exchange("not-a-code", &verifier).await);
    let (status, error) = issuer
        .token(&[("grant_type", "client_credentials"), ("client_id", CLIENT_ID)])
        .await;
    assert_eq!(
        (status, error),
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "unsupported_grant_type"})
        )
    );
    let (status, error) = issuer.token(&[("client_id", CLIENT_ID)]).await;
    assert_eq!(
        (status, &error["error"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_request"))
    );
}
