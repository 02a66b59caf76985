//! An issuer served on 127.0.0.1:0, and a browser and a portal back end that talk to it over HTTP.

use std::collections::HashMap;

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dewy_local_issuer::{DEMO_PASSWORD, LocalIssuer, demo_users};
use rand::Rng as _;
use reqwest::StatusCode;
use serde_json::Value;

pub const CLIENT_ID: &str = "portal-test";
/// The portal's callback, as the local stack allows it.
pub const REDIRECT_URI: &str = "http://localhost:3000/";
/// A second allowed callback, with a query of its own that the code must be added to.
pub const OTHER_REDIRECT_URI: &str = "http://127.0.0.1:3000/callback?from=portal";
pub const LOGOUT_URI: &str = "http://localhost:3000/signed-out";
pub const STATE: &str = "af0ifjsldkj";
pub const NONCE: &str = "n-0S6_WzA2Mj";

pub struct Issuer {
    pub issuer: LocalIssuer,
    pub base: String,
    /// Follows no redirect: the tests read every `Location`.
    pub http: reqwest::Client,
}

impl Issuer {
    pub async fn start() -> Issuer {
        Issuer::start_with(|issuer| issuer).await
    }

    /// An issuer with the test client's URLs, altered by `configure` (a shorter code life, say).
    pub async fn start_with(configure: impl FnOnce(LocalIssuer) -> LocalIssuer) -> Issuer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let issuer = LocalIssuer::new(base.clone(), CLIENT_ID.into(), demo_users(), DEMO_PASSWORD.into())
            .unwrap()
            .with_redirect_uris([REDIRECT_URI, OTHER_REDIRECT_URI])
            .with_logout_uris([LOGOUT_URI]);
        let issuer = configure(issuer);
        let app = issuer.router();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Issuer { issuer, base, http }
    }

    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> reqwest::Response {
        let url = format!("{}{path}", self.base);
        self.http.get(url).query(query).send().await.unwrap()
    }

    /// What a browser does: `/oauth2/authorize`, the redirect to the sign-in page, and the page's
    /// form posted back with its hidden fields as served (overridden by `tamper`) and the credentials.
    pub async fn sign_in(
        &self,
        request: &[(&str, &str)],
        email: &str,
        password: &str,
        tamper: &[(&str, &str)],
    ) -> reqwest::Response {
        let authorize = self.get("/oauth2/authorize", request).await;
        assert_eq!(authorize.status(), StatusCode::FOUND);
        let page_url = location(&authorize);
        assert!(
            page_url.starts_with(&format!("{}/login?", self.base)),
            "{page_url}"
        );
        let page = self.http.get(&page_url).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let mut fields = hidden_fields(&page.text().await.unwrap());
        for (name, value) in tamper {
            fields.insert((*name).to_owned(), (*value).to_owned());
        }
        fields.insert("email".into(), email.into());
        fields.insert("password".into(), password.into());
        let url = format!("{}/login", self.base);
        self.http.post(url).form(&fields).send().await.unwrap()
    }

    /// A code for `email`, by [`sign_in`](Self::sign_in) with the demo password.
    pub async fn code(&self, request: &[(&str, &str)], email: &str) -> String {
        let answer = self.sign_in(request, email, DEMO_PASSWORD, &[]).await;
        assert_eq!(answer.status(), StatusCode::FOUND);
        let query = query_of(&location(&answer));
        assert_eq!(query.get("state").map(String::as_str), Some(STATE));
        query["code"].clone()
    }

    /// `POST /oauth2/token`, form-encoded: the status and the JSON answer.
    pub async fn token(&self, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let url = format!("{}/oauth2/token", self.base);
        let answer = self.http.post(url).form(form).send().await.unwrap();
        (answer.status(), answer.json().await.unwrap())
    }

    /// The portal's code exchange with the default client and redirect URI.
    pub async fn exchange(&self, code: &str, verifier: &str) -> (StatusCode, Value) {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
            ("client_id", CLIENT_ID),
            ("code_verifier", verifier),
        ])
        .await
    }
}

/// A PKCE pair: a fresh 64-character verifier and its S256 challenge, computed here independently
/// of the issuer's code.
pub fn pkce() -> (String, String) {
    let bytes: [u8; 48] = rand::rng().random();
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
    (verifier, challenge)
}

/// The parameters of a correct authorization request for `challenge`.
pub fn request(challenge: &str) -> Vec<(&str, &str)> {
    vec![
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
        ("scope", "openid email dewy-resort/mcp"),
        ("state", STATE),
        ("nonce", NONCE),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ]
}

/// `request` with `name` set to `value`, or left out when `value` is `None`.
pub fn with<'a>(
    request: &[(&'a str, &'a str)],
    name: &'a str,
    value: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<_> = request.iter().filter(|(n, _)| *n != name).copied().collect();
    out.extend(value.map(|value| (name, value)));
    out
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_owned()
}

pub fn query_of(url: &str) -> HashMap<String, String> {
    url::Url::parse(url).unwrap().query_pairs().into_owned().collect()
}

/// The claims of a JWT, unverified (the verifier is tested elsewhere; here, what the claims say).
pub fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The hidden inputs of the sign-in page, unescaped, as a browser would submit them.
pub fn hidden_fields(html: &str) -> HashMap<String, String> {
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .map(|tag| {
            let name = between(tag, "name=\"", "\"");
            let value = between(tag, "value=\"", "\"");
            (name.to_owned(), unescape(value))
        })
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap() + start.len();
    let to = from + text[from..].find(end).unwrap();
    &text[from..to]
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
