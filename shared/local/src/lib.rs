//! The local stack: the whole system on one machine, nothing else installed.
//!
//! Starts the Salesforce (seeded with the hotel's demo data), Stripe and Twilio sandboxes in-process,
//! builds the production connectors pointed at them (one code path, no mock mode), and serves on one
//! port:
//! - `/auth`: the local token issuer standing in for Cognito (JWKS, OpenID configuration, `/login`
//!   for the demo users, and Cognito's managed-login endpoints for the web portal's OpenID Connect
//!   code flow, with the portal's URLs on this port as its callback and sign-out URLs);
//! - `/api/<tool>`: every tool's REST route ([`rest`]), and `/openapi.json` their OpenAPI document
//!   ([`openapi`]): local only, since in AWS API Gateway routes each path to its function;
//! - `/mcp/guest`, `/mcp/staff`: the persona MCP servers, with their RFC 9728 metadata;
//! - `/`: the web portal's built files and its `/config.json`, when [`LocalOptions::portal`] names
//!   them ([`portal`]).
//!
//! REST and MCP verify bearer tokens with the production JWT verifier, which fetches the issuer's
//! keys over HTTP like it fetches Cognito's in AWS.

use dewy_auth::{Verifier, VerifierConfig};
use dewy_connector::Secret;
use dewy_homeassistant_sandbox::HomeAssistantSandbox;
use dewy_local_issuer::{DEFAULT_TOKEN_TTL, DEMO_PASSWORD, LocalIssuer, demo_users};
use dewy_mcp::{Confirmations, InProcess, McpConfig, Unconfirmable};
use dewy_salesforce_sandbox::Sandbox;
use dewy_stripe_sandbox::StripeSandbox;
use dewy_tool::{Authenticate, Backends, RateLimiter, RateLimits};
use dewy_twilio_sandbox::TwilioSandbox;
use std::net::SocketAddr;
use std::time::Duration;

mod keep_alive;
pub mod openapi;
pub mod portal;
pub mod rest;
mod sandboxes;
pub use sandboxes::{
    ON_CALL_NUMBER, SandboxAddrs, Sandboxes, home_assistant_config, salesforce_config, twilio_config,
};
use std::sync::Arc;

/// Where the local stack listens.
#[derive(Debug, Clone)]
pub struct LocalOptions {
    /// The REST API's address.
    pub api_addr: SocketAddr,
    /// The Salesforce sandbox's address (a fixed port so `cargo lambda watch` can be pointed at it).
    pub salesforce_addr: SocketAddr,
    /// The Stripe sandbox's address.
    pub stripe_addr: SocketAddr,
    /// The Twilio sandbox's address.
    pub twilio_addr: SocketAddr,
    /// The Home Assistant sandbox's address.
    pub home_assistant_addr: SocketAddr,
    /// The web portal to serve at `/` (its built files); none by default.
    pub portal: Option<portal::Portal>,
    /// How long the issuer's access and id tokens live (an hour, as Cognito's by default).
    pub token_ttl: Duration,
    /// The per-user rate limits REST and MCP check, counted in memory: the template's defaults
    /// for `dewy-local`; none for [`LocalOptions::ephemeral`] (tests that want them set them).
    pub rate_limits: Option<RateLimits>,
    /// What a money move over MCP gets from a client that cannot ask its person to confirm it
    /// (docs/confirmations.md): refused, as by default in AWS.
    pub unconfirmable: Unconfirmable,
}

impl Default for LocalOptions {
    fn default() -> Self {
        LocalOptions {
            api_addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            salesforce_addr: SocketAddr::from(([127, 0, 0, 1], 8090)),
            stripe_addr: SocketAddr::from(([127, 0, 0, 1], 8091)),
            twilio_addr: SocketAddr::from(([127, 0, 0, 1], 8092)),
            home_assistant_addr: SocketAddr::from(([127, 0, 0, 1], 8093)),
            portal: None,
            token_ttl: DEFAULT_TOKEN_TTL,
            rate_limits: Some(RateLimits::default()),
            unconfirmable: Unconfirmable::Refuse,
        }
    }
}

impl LocalOptions {
    /// Every server on a port the OS picks (tests, benchmarks).
    pub fn ephemeral() -> Self {
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        LocalOptions {
            api_addr: any,
            salesforce_addr: any,
            stripe_addr: any,
            twilio_addr: any,
            home_assistant_addr: any,
            portal: None,
            token_ttl: DEFAULT_TOKEN_TTL,
            rate_limits: None,
            unconfirmable: Unconfirmable::Refuse,
        }
    }
}

/// A running local stack. Dropping it stops the sandbox; the API task ends with the runtime.
pub struct LocalStack {
    /// The REST API's base URL.
    pub api_url: String,
    /// The Salesforce sandbox, for inspection and knobs.
    pub salesforce: Sandbox,
    /// The Stripe sandbox.
    pub stripe: StripeSandbox,
    /// The Twilio sandbox.
    pub twilio: TwilioSandbox,
    /// The Home Assistant sandbox.
    pub home_assistant: HomeAssistantSandbox,
    /// The token issuer standing in for Cognito.
    pub issuer: LocalIssuer,
    server: tokio::task::JoinHandle<()>,
}

/// The OAuth client id of the local issuer's tokens (a Cognito app client in AWS).
pub const LOCAL_CLIENT_ID: &str = "dewy-local-web";

impl LocalStack {
    /// Starts the sandbox, the issuer and the APIs.
    pub async fn start(options: LocalOptions) -> std::io::Result<LocalStack> {
        let Sandboxes {
            salesforce,
            stripe,
            twilio,
            home_assistant,
        } = Sandboxes::start(SandboxAddrs {
            salesforce: options.salesforce_addr,
            stripe: options.stripe_addr,
            twilio: options.twilio_addr,
            home_assistant: options.home_assistant_addr,
        })
        .await?;
        let listener = tokio::net::TcpListener::bind(options.api_addr).await?;
        let addr = listener.local_addr()?;
        let api_url = format!("http://{addr}");
        let mut backends = Sandboxes::backends_of(&salesforce, &stripe, &twilio, &home_assistant);
        if let Some(limits) = options.rate_limits {
            let store = Arc::new(dewy_idempotency::MemoryStore::new());
            backends = backends.with_rate_limiter(RateLimiter::new(store, limits));
        }
        let (app, issuer) = api(addr, backends, options.token_ttl, options.unconfirmable)?;
        let app = match options.portal {
            Some(site) => portal::with_portal(app, &issuer, site),
            None => app,
        };
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "the local API stopped");
            }
        });
        Ok(LocalStack {
            api_url,
            salesforce,
            stripe,
            twilio,
            home_assistant,
            issuer,
            server,
        })
    }

    /// An access token for a demo user (what `POST /auth/login` returns), for tests and scripts.
    pub fn token(&self, email: &str) -> Option<String> {
        self.issuer
            .login(email, DEMO_PASSWORD)
            .ok()
            .map(|tokens| tokens.access_token)
    }

    /// Waits until the API server stops (it runs until the process ends).
    pub async fn wait(self) {
        let _ = self.server.await;
    }
}

/// The API served at `addr` over `backends`: the issuer's `/auth`, every tool's REST route and the
/// persona MCP servers, verifying tokens with the production verifier against that issuer (the MCP
/// servers require the `dewy-resort/mcp` scope, as the adapter does in AWS; REST requires none,
/// as the API's JWT authorizer, so the portal's `openid email` tokens call it). Returns
/// the issuer too, for minting demo users' tokens. Its access and id tokens live `token_ttl`.
///
/// # Errors
/// If the issuer's keys cannot be made.
pub fn api(
    addr: SocketAddr,
    backends: Backends,
    token_ttl: Duration,
    unconfirmable: Unconfirmable,
) -> std::io::Result<(axum::Router, LocalIssuer)> {
    let issuer = LocalIssuer::new(
        format!("http://{addr}/auth"),
        LOCAL_CLIENT_ID.to_owned(),
        demo_users(),
        Secret::new(DEMO_PASSWORD),
    )
    .map_err(std::io::Error::other)?
    .with_redirect_uris(portal_urls(addr))
    .with_logout_uris(portal_urls(addr))
    .with_token_ttl(token_ttl);
    let verifier = |config| Arc::new(Verifier::new(config, dewy_connector::http_client()));
    let mcp = dewy_mcp::router(mcp_config(
        addr,
        &issuer,
        backends.clone(),
        verifier(issuer.verifier_config()),
        unconfirmable,
    ));
    // As API Gateway's JWT authorizer in AWS: the issuer and the web client, no scope.
    let rest_config = VerifierConfig {
        required_scope: None,
        ..issuer.verifier_config()
    };
    let app = crate::rest::router(dewy_tools::TOOLS, backends, verifier(rest_config))
        .merge(mcp)
        .nest("/auth", issuer.router())
        .layer(axum::middleware::from_fn(keep_alive::close_if_body_unread));
    Ok((app, issuer))
}

/// Where the web portal is served locally (on the API's port: `http://127.0.0.1:3000/` and
/// `http://localhost:3000/` by default): the issuer's allowed callback and sign-out URLs, as the
/// Cognito app client lists the deployed portal's.
pub fn portal_urls(addr: SocketAddr) -> [String; 2] {
    [
        format!("http://{addr}/"),
        format!("http://localhost:{}/", addr.port()),
    ]
}

/// The MCP servers' configuration of the local stack listening on `addr`: every tool, in-process
/// dispatch to `backends`, callers established by `authenticate`, the issuer named in the metadata,
/// the rate limits of `backends` checked once per tool call (the REST routes check the same), and
/// money moves confirmed by a person (the states sealed with a key made for this process, redeemed
/// in the idempotency store of `backends`), `unconfirmable` for clients that cannot ask.
///
/// Browser origins: the stack's own, in both of its spellings (`http://127.0.0.1:3000`, the base
/// URL's and so accepted by `dewy_mcp` itself, and `http://localhost:3000`, where the portal is
/// served too), and no other. In AWS the adapter accepts its own origin and `MCP_ALLOWED_ORIGINS`.
pub fn mcp_config(
    addr: SocketAddr,
    issuer: &LocalIssuer,
    backends: Backends,
    authenticate: Arc<dyn Authenticate>,
    unconfirmable: Unconfirmable,
) -> McpConfig {
    let key: [u8; 32] = rand::random();
    let confirmations = Confirmations::new(&key, backends.idempotency.clone(), unconfirmable)
        .unwrap_or_else(|_| unreachable!("32 random bytes make a key"));
    McpConfig {
        tools: dewy_tools::TOOLS,
        dispatch: Arc::new(InProcess::new(backends.clone(), crate::rest::REST_BUDGET)),
        authenticate,
        allowed_hosts: vec![
            addr.to_string(),
            format!("localhost:{}", addr.port()),
            addr.ip().to_string(),
            "localhost".to_owned(),
        ],
        allowed_origins: vec![format!("http://localhost:{}", addr.port())],
        max_body_bytes: dewy_runtime::request::MAX_BODY_BYTES,
        resource_base_url: format!("http://{addr}"),
        authorization_servers: vec![issuer.issuer().to_owned()],
        scopes: vec![issuer.scope().to_owned()],
        server_name: "dewy-resort".to_owned(),
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        rate_limiter: backends.rate_limiter.clone(),
        confirmations: Some(confirmations),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use dewy_salesforce::{Credentials, Salesforce, SalesforceConfig};
    use tower::ServiceExt as _;

    /// Backends for routes that never reach them (a Salesforce nothing listens for).
    pub(crate) fn unreachable_backends() -> Backends {
        let config = SalesforceConfig::new(
            "http://127.0.0.1:9".parse().unwrap(),
            Credentials::ClientCredentials {
                client_id: "unused".into(),
                client_secret: Secret::new("unused".to_owned()),
            },
        );
        Backends::new(
            Salesforce::new(config, reqwest::Client::new()),
            Arc::new(dewy_idempotency::MemoryStore::new()),
        )
    }

    /// The local API at 127.0.0.1:3000.
    fn local_api() -> axum::Router {
        api(
            SocketAddr::from(([127, 0, 0, 1], 3000)),
            unreachable_backends(),
            DEFAULT_TOKEN_TTL,
            Unconfirmable::Refuse,
        )
        .unwrap()
        .0
    }

    async fn authorize(redirect_uri: &str) -> (StatusCode, Option<String>) {
        let query = format!(
            "response_type=code&client_id={LOCAL_CLIENT_ID}&redirect_uri={redirect_uri}&scope=openid\
             &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
        );
        let request = Request::get(format!("/auth/oauth2/authorize?{query}"))
            .body(Body::empty())
            .unwrap();
        let response = local_api().oneshot(request).await.unwrap();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        (response.status(), location)
    }

    /// The MCP endpoints accept the stack's own origin in both spellings (127.0.0.1 and localhost,
    /// as a browser on the portal's page sends it) and refuse any other, including another port.
    #[tokio::test]
    async fn mcp_accepts_the_stacks_own_origin_in_both_spellings_and_no_other() {
        let stack = LocalStack::start(LocalOptions::ephemeral()).await.unwrap();
        let port = stack.api_url.rsplit(':').next().unwrap().parse::<u16>().unwrap();
        let token = stack.token("kay@example.com").unwrap();
        let client = reqwest::Client::new();
        let status = |origin: String| {
            let request = client
                .post(format!("{}/mcp/guest", stack.api_url))
                .bearer_auth(&token)
                .header("origin", origin)
                .header("mcp-protocol-version", "2025-11-25")
                .header("accept", "application/json, text/event-stream")
                .json(&serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}));
            async move { request.send().await.unwrap().status() }
        };
        for own in [
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
        ] {
            assert_eq!(status(own.clone()).await, StatusCode::OK, "{own}");
        }
        for foreign in [
            format!("http://localhost:{}", port.wrapping_add(1)),
            format!("https://localhost:{port}"),
            "http://evil.example.com".to_owned(),
            "null".to_owned(),
        ] {
            assert_eq!(status(foreign.clone()).await, StatusCode::FORBIDDEN, "{foreign}");
        }
    }

    #[tokio::test]
    async fn the_portal_signs_in_through_the_issuer_under_auth() {
        assert_eq!(
            portal_urls(SocketAddr::from(([127, 0, 0, 1], 3000))),
            ["http://127.0.0.1:3000/", "http://localhost:3000/"]
        );
        for portal in ["http://127.0.0.1:3000/", "http://localhost:3000/"] {
            let (status, location) = authorize(portal).await;
            assert_eq!(status, StatusCode::FOUND);
            let location = location.unwrap();
            assert!(
                location.starts_with("http://127.0.0.1:3000/auth/login?"),
                "{location}"
            );
        }
        let (status, location) = authorize("http://localhost:3001/").await;
        assert_eq!((status, location), (StatusCode::BAD_REQUEST, None));
    }
}
