//! A running MCP router with a stub authenticator, and a JSON-RPC helper.

use dewy_e2e::World;
use dewy_mcp::dispatch::InProcess;
use dewy_mcp::{AuthFailure, Authenticate, McpConfig, router};
use dewy_tool::Caller;
use dewy_tool::dispatch::BoxFuture;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Fixed bearer strings for fixed callers.
struct StubAuth;

impl Authenticate for StubAuth {
    fn authenticate<'a>(
        &'a self,
        authorization: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Caller, AuthFailure>> {
        Box::pin(async move {
            let Some(header) = authorization else {
                return Err(AuthFailure::missing_token());
            };
            match header.strip_prefix("Bearer ") {
                Some("guest-kay") => Ok(Caller::from_claims("kay", Some("kay@example.com"), ["guest"])),
                Some("staff") => Ok(Caller::from_claims(
                    "staff-1",
                    Some("manager1@hotel.com"),
                    ["staff"],
                )),
                _ => Err(AuthFailure::invalid_token("The token is not valid.")),
            }
        })
    }
}

/// The MCP router on an ephemeral port, with the sandbox it calls.
pub struct Server {
    pub base: String,
    pub client: reqwest::Client,
    _world: World,
}

/// A JSON-RPC answer: status, headers, body (JSON, or `Null` for an empty or non-JSON body).
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub const MAX_BODY: usize = 64 * 1024;

pub async fn start() -> Server {
    let world = World::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = McpConfig {
        tools: dewy_tools::TOOLS,
        dispatch: Arc::new(InProcess::new(world.backends.clone(), Duration::from_secs(10))),
        authenticate: Arc::new(StubAuth),
        allowed_hosts: vec!["127.0.0.1".to_owned()],
        allowed_origins: vec!["https://app.example.com:443".to_owned()],
        max_body_bytes: MAX_BODY,
        resource_base_url: base.clone(),
        authorization_servers: vec!["https://issuer.example.com/pool".to_owned()],
        scopes: vec!["openid".to_owned(), "email".to_owned()],
        server_name: "dewy-resort".to_owned(),
        server_version: "9.9.9".to_owned(),
        rate_limiter: None,
        confirmations: None,
    };
    let app = router(config);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        base,
        client: reqwest::Client::new(),
        _world: world,
    }
}

impl Server {
    /// POSTs a JSON-RPC `body` to `path` with `token` and extra `headers`.
    pub async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> Answer {
        self.post_raw(path, token, headers, body.to_string()).await
    }

    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: String,
    ) -> Answer {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("accept", "application/json, text/event-stream")
            .header("content-type", "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        answer(request.send().await.unwrap()).await
    }

    /// A legacy-era request (after `initialize`), as clients on 2025-11-25 send it.
    pub async fn rpc(&self, path: &str, token: &str, method: &str, params: Value) -> Answer {
        let body = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
        self.post(
            path,
            Some(token),
            &[("mcp-protocol-version", "2025-11-25")],
            &body,
        )
        .await
    }
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Answer {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}
