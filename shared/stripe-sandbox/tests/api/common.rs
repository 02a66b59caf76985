//! A sandbox and a raw HTTP client speaking Stripe's wire format to it.

use dewy_stripe_sandbox::{StripeSandbox, StripeSandboxConfig};
use reqwest::header::HeaderMap;
use serde_json::Value;

pub struct Env {
    pub sandbox: StripeSandbox,
    pub client: reqwest::Client,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: HeaderMap,
}

impl Reply {
    /// `error.code` (or `error.type` when there is no code).
    pub fn error_code(&self) -> &str {
        self.body["error"]["code"]
            .as_str()
            .or_else(|| self.body["error"]["type"].as_str())
            .unwrap_or_default()
    }
}

pub async fn start() -> Env {
    start_with(StripeSandboxConfig::default()).await
}

pub async fn start_with(config: StripeSandboxConfig) -> Env {
    Env {
        sandbox: StripeSandbox::start(config).await.expect("the sandbox starts"),
        client: reqwest::Client::new(),
    }
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    async fn reply(response: reqwest::Response) -> Reply {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            headers,
        }
    }

    /// A POST with a raw form body, the sandbox's key and an optional idempotency key.
    pub async fn post(&self, path: &str, form: &str, key: Option<&str>) -> Reply {
        self.post_as(self.sandbox.api_key(), path, form, key).await
    }

    pub async fn post_as(&self, api_key: &str, path: &str, form: &str, key: Option<&str>) -> Reply {
        let mut request = self
            .client
            .post(self.url(path))
            .bearer_auth(api_key)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned());
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        Self::reply(request.send().await.expect("the sandbox answers")).await
    }

    /// A GET with the sandbox's key (`path` may hold a query string).
    pub async fn get(&self, path: &str) -> Reply {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(self.sandbox.api_key())
            .send()
            .await
            .expect("the sandbox answers");
        Self::reply(response).await
    }

    /// A customer's id.
    pub async fn customer(&self, email: &str) -> String {
        let reply = self.post("/v1/customers", &format!("email={email}"), None).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body["id"].as_str().expect("an id").to_owned()
    }
}

/// The form of a $50 PaymentIntent confirmed at once with `payment_method`.
pub fn pay(customer: &str, payment_method: &str) -> String {
    format!(
        "amount=5000&currency=usd&customer={customer}&payment_method={payment_method}&confirm=true\
         &automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never\
         &metadata[booking_number]=BK-0001"
    )
}
