//! The sign-in form: a code for good credentials, the page again for bad ones.

use dewy_local_issuer::DEMO_PASSWORD;
use reqwest::StatusCode;

use crate::harness::{
    Issuer, OTHER_REDIRECT_URI, REDIRECT_URI, STATE, hidden_fields, location, pkce, query_of, request, with,
};

#[tokio::test]
async fn good_credentials_redirect_with_a_code_and_the_state() {
    let issuer = Issuer::start().await;
    let (_, challenge) = pkce();
    let answer = issuer
        .sign_in(&request(&challenge), "Kay@Example.com", DEMO_PASSWORD, &[])
        .await;
    assert_eq!(answer.status(), StatusCode::FOUND);
    let location = location(&answer);
    assert!(location.starts_with(&format!("{REDIRECT_URI}?")), "{location}");
    let query = query_of(&location);
    assert_eq!(query["state"], STATE);
    assert_eq!(query["code"].len(), 43, "256 random bits, base64url");
    assert_eq!(query.len(), 2);
}

#[tokio::test]
async fn the_code_is_added_to_a_redirect_uri_that_has_a_query() {
    let issuer = Issuer::start().await;
    let (_, challenge) = pkce();
    let request = with(&request(&challenge), "redirect_uri", Some(OTHER_REDIRECT_URI));
    let answer = issuer
        .sign_in(&request, "kay@example.com", DEMO_PASSWORD, &[])
        .await;
    let location = location(&answer);
    assert!(
        location.starts_with(&format!("{OTHER_REDIRECT_URI}&code=")),
        "{location}"
    );
    assert_eq!(query_of(&location)["from"], "portal");
}

#[tokio::test]
async fn a_wrong_password_shows_the_page_again_without_saying_whether_the_user_exists() {
    let issuer = Issuer::start().await;
    let (_, challenge) = pkce();
    let mut pages = Vec::new();
    for (email, password) in [
        ("kay@example.com", "Hotel2025!"),
        ("nobody@example.com", DEMO_PASSWORD),
    ] {
        let answer = issuer.sign_in(&request(&challenge), email, password, &[]).await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert!(answer.headers().get("location").is_none());
        let html = answer.text().await.unwrap();
        assert!(
            html.contains("role=\"alert\">Incorrect email or password.</p>"),
            "{html}"
        );
        assert!(!html.contains("code="));
        // Signing in again from this page carries the same request.
        assert_eq!(hidden_fields(&html)["code_challenge"], challenge);
        pages.push(html.replace(email, "EMAIL"));
    }
    assert_eq!(pages[0], pages[1]);
}

#[tokio::test]
async fn a_tampered_form_is_checked_again() {
    let issuer = Issuer::start().await;
    let (_, challenge) = pkce();
    let request = request(&challenge);
    let plain = issuer
        .sign_in(
            &request,
            "kay@example.com",
            DEMO_PASSWORD,
            &[("code_challenge_method", "plain")],
        )
        .await;
    assert_eq!(plain.status(), StatusCode::FOUND);
    let query = query_of(&location(&plain));
    assert_eq!(query["error"], "invalid_request");
    assert!(!query.contains_key("code"));

    let elsewhere = issuer
        .sign_in(
            &request,
            "kay@example.com",
            DEMO_PASSWORD,
            &[("redirect_uri", "https://attacker.example/")],
        )
        .await;
    assert_eq!(elsewhere.status(), StatusCode::BAD_REQUEST);
    assert!(elsewhere.headers().get("location").is_none());
}

#[tokio::test]
async fn markup_in_the_state_is_escaped_on_the_page_and_returned_intact() {
    let issuer = Issuer::start().await;
    let (_, challenge) = pkce();
    let state = r#""><script>alert(1)</script>&x='y'"#;
    let request = with(&request(&challenge), "state", Some(state));
    let wrong = issuer.sign_in(&request, "kay@example.com", "nope", &[]).await;
    let html = wrong.text().await.unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert_eq!(hidden_fields(&html)["state"], state);

    let right = issuer
        .sign_in(&request, "kay@example.com", DEMO_PASSWORD, &[])
        .await;
    assert_eq!(query_of(&location(&right))["state"], state);
}
