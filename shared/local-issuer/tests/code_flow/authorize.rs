//! `/oauth2/authorize` and `/login`: which requests reach the sign-in page, and how others are refused.

use reqwest::StatusCode;

use crate::harness::{Issuer, REDIRECT_URI, STATE, location, pkce, query_of, request, with};

/// A refusal that must not redirect: an HTML page, no `Location`.
async fn assert_shown(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get("location").is_none());
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(response.text().await.unwrap().contains("role=\"alert\""));
}

/// A refusal told to the client: a redirect to the redirect URI with `error` and the `state`.
fn assert_redirected(response: &reqwest::Response, error: &str) {
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = location(response);
    assert!(location.starts_with(REDIRECT_URI), "{location}");
    let query = query_of(&location);
    assert_eq!(query.get("error").map(String::as_str), Some(error), "{location}");
    assert_eq!(query.get("state").map(String::as_str), Some(STATE));
    assert!(!query.contains_key("code"));
}

#[tokio::test]
async fn a_correct_request_is_sent_to_the_sign_in_page_with_its_parameters() {
    let issuer = Issuer::start().await;
    let (_, challenge) = pkce();
    let answer = issuer.get("/oauth2/authorize", &request(&challenge)).await;
    assert_eq!(answer.status(), StatusCode::FOUND);
    let page_url = location(&answer);
    assert!(page_url.starts_with(&format!("{}/login?", issuer.base)));
    assert_eq!(query_of(&page_url)["code_challenge"], challenge);

    let page = issuer.http.get(&page_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<form method=\"post\">"));
    assert!(html.contains("<label for=\"email\">") && html.contains("id=\"email\" name=\"email\""));
    assert!(html.contains("<label for=\"password\">") && html.contains("type=\"password\""));
    assert!(!html.contains("<script"));
}

#[tokio::test]
async fn an_unknown_redirect_uri_or_client_is_shown_never_redirected() {
    let issuer = Issuer::start().await;
    let (_, challenge) = pkce();
    let good = request(&challenge);
    for bad in [
        with(&good, "redirect_uri", Some("https://attacker.example/")),
        // Exact match only, as Cognito compares callback URLs: no prefix, no other path.
        with(&good, "redirect_uri", Some("http://localhost:3000/other")),
        with(&good, "redirect_uri", None),
        with(&good, "client_id", Some("another-client")),
        with(&good, "client_id", None),
    ] {
        assert_shown(issuer.get("/oauth2/authorize", &bad).await).await;
        assert_shown(issuer.get("/login", &bad).await).await;
        let url = format!("{}/login", issuer.base);
        let mut form = bad.clone();
        form.extend([
            ("email", "kay@example.com"),
            ("password", dewy_local_issuer::DEMO_PASSWORD),
        ]);
        assert_shown(issuer.http.post(url).form(&form).send().await.unwrap()).await;
    }
}

#[tokio::test]
async fn a_request_without_s256_pkce_is_refused_at_the_redirect_uri() {
    let issuer = Issuer::start().await;
    let (verifier, challenge) = pkce();
    let good = request(&challenge);
    for bad in [
        with(&good, "code_challenge", None),
        with(&good, "code_challenge_method", Some("plain")),
        // RFC 7636 makes a missing method mean plain.
        with(&good, "code_challenge_method", None),
        // plain's challenge is the verifier itself: not an S256 challenge, even when labelled S256.
        with(&good, "code_challenge", Some(&verifier)),
    ] {
        assert_redirected(&issuer.get("/oauth2/authorize", &bad).await, "invalid_request");
        assert_redirected(&issuer.get("/login", &bad).await, "invalid_request");
    }
}

#[tokio::test]
async fn other_bad_parameters_are_refused_at_the_redirect_uri() {
    let issuer = Issuer::start().await;
    let (_, challenge) = pkce();
    let good = request(&challenge);
    let cases = [
        (
            with(&good, "response_type", Some("token")),
            "unsupported_response_type",
        ),
        (with(&good, "response_type", None), "invalid_request"),
        (with(&good, "scope", Some("openid admin")), "invalid_scope"),
        (
            with(&good, "scope", Some("email dewy-resort/mcp")),
            "invalid_scope",
        ),
    ];
    for (bad, error) in cases {
        assert_redirected(&issuer.get("/oauth2/authorize", &bad).await, error);
    }
    // Without a state there is none to echo.
    let answer = issuer
        .get(
            "/oauth2/authorize",
            &with(&with(&good, "state", None), "response_type", Some("token")),
        )
        .await;
    assert!(!query_of(&location(&answer)).contains_key("state"));
}
