//! A seeded sandbox with a fixed "today", a client and a token.

use chrono::NaiveDate;
use dewy_salesforce_sandbox::{Sandbox, SandboxConfig};
use reqwest::Method;
use serde_json::Value;

pub const V: &str = "/services/data/v62.0";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub struct Env {
    pub sandbox: Sandbox,
    pub client: reqwest::Client,
    pub token: String,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

pub async fn start() -> Env {
    let sandbox = Sandbox::start(SandboxConfig {
        today: today(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let client = reqwest::Client::new();
    let mut env = Env {
        sandbox,
        client,
        token: String::new(),
    };
    env.token = env.login().await;
    env
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    /// A new access token by the client-credentials grant.
    pub async fn login(&self) -> String {
        let config = self.sandbox.config();
        let reply = self
            .client
            .post(self.url("/services/oauth2/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", config.client_id.as_str()),
                ("client_secret", config.client_secret.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
        let body: Value = reply.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        into_reply(request.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn query(&self, soql: &str) -> Reply {
        let request = self
            .client
            .get(self.url(&format!("{V}/query")))
            .query(&[("q", soql)])
            .bearer_auth(&self.token);
        into_reply(request.send().await.unwrap()).await
    }
}

pub async fn into_reply(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    };
    Reply {
        status,
        body,
        headers,
    }
}

/// The single error of a Salesforce error body.
pub fn error_code(reply: &Reply) -> &str {
    reply.body[0]["errorCode"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {}", reply.body))
}
