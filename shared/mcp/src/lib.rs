//! Persona-scoped MCP servers over stateless Streamable HTTP.
//!
//! [`router`] serves `POST /mcp/guest` and `POST /mcp/staff` with rmcp's `StreamableHttpService`
//! in stateless JSON mode (no sessions, no SSE), for protocol revisions 2025-06-18, 2025-11-25
//! (`initialize`) and 2026-07-28 (`server/discover` and per-request `_meta`) on the same endpoint.
//! Tool lists and calls are derived from the tool definitions ([`DynTool`]): adding a tool to the
//! registry needs no change here.
//!
//! # Layout
//! - [`dispatch`]: how a call reaches the tool ([`InProcess`] locally; Lambda Invoke in AWS).
//! - [`auth`]: the [`Authenticate`] hook, refusals with `WWW-Authenticate`, RFC 9728 metadata.
//! - [`endpoint`]: which callers and tools each endpoint serves.
//! - `listing`, `server`, `transport`: tools as MCP lists them, the rmcp handler, the HTTP checks.

pub mod auth;
pub mod confirm;
pub mod dispatch;
pub mod endpoint;
mod listing;
mod server;
mod transport;

pub use auth::{AuthFailure, Authenticate};
pub use confirm::{Confirmations, Unconfirmable};
pub use dispatch::{Dispatch, InProcess};
pub use endpoint::Endpoint;
pub use listing::{fresh_tools_list, tool_context};
pub use server::{RATE_LIMITED_CODE, REPLAY_META_KEY};

use auth::{AuthSettings, metadata_path};
use axum::Router;
use axum::extract::State;
use axum::routing::{any, get};
use dewy_tool::DynTool;
use listing::Listing;
use rmcp::transport::streamable_http_server::StreamableHttpServerConfig;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use server::{PersonaServer, Shared};
use std::sync::Arc;
use transport::{McpService, Served, serve};

/// What the MCP servers serve and how they check callers.
#[derive(Clone)]
pub struct McpConfig {
    /// The tools, in listing order (normally `dewy_tools::TOOLS`).
    pub tools: &'static [&'static dyn DynTool],
    /// How calls reach the tools.
    pub dispatch: Arc<dyn Dispatch>,
    /// How bearer tokens become callers.
    pub authenticate: Arc<dyn Authenticate>,
    /// `Host` values accepted (DNS-rebinding protection), e.g. `api.example.com` or `127.0.0.1:3000`.
    /// Empty means rmcp's loopback-only default, never "any host".
    pub allowed_hosts: Vec<String>,
    /// Browser origins accepted besides the server's own (that of `resource_base_url`), e.g.
    /// `https://app.example.com:443`. Requests with any other `Origin` get 403; requests without one
    /// (non-browser clients) pass.
    pub allowed_origins: Vec<String>,
    /// The largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// The public base URL, e.g. `https://api.example.com` or `http://127.0.0.1:3000`, for the
    /// RFC 9728 metadata and `WWW-Authenticate` challenges.
    pub resource_base_url: String,
    /// The authorization servers (the user pool issuer) named in the metadata.
    pub authorization_servers: Vec<String>,
    /// The scopes named in the metadata and in `insufficient_scope` challenges.
    pub scopes: Vec<String>,
    /// The `serverInfo.name` clients see.
    pub server_name: String,
    /// The `serverInfo.version` clients see.
    pub server_version: String,
    /// The per-user rate limits, checked once per `tools/call` after authentication and before
    /// the call is dispatched (so a tool function the adapter invokes does not count it again);
    /// `None` checks nothing.
    pub rate_limiter: Option<dewy_tool::RateLimiter>,
    /// How a person confirms the money a tool call moves (docs/confirmations.md); `None` asks
    /// nobody, which only tests of other things may choose.
    pub confirmations: Option<Confirmations>,
}

/// The MCP endpoints and their protected-resource metadata:
/// `POST /mcp/{guest,staff}` and `GET /.well-known/oauth-protected-resource/mcp/{guest,staff}`.
pub fn router(config: McpConfig) -> Router {
    let shared = Arc::new(Shared {
        dispatch: config.dispatch.clone(),
        server_name: config.server_name.clone(),
        server_version: config.server_version.clone(),
        rate_limiter: config.rate_limiter.clone(),
        confirmations: config.confirmations.clone(),
    });
    let settings = Arc::new(AuthSettings {
        resource_base_url: config.resource_base_url.clone(),
        authorization_servers: config.authorization_servers.clone(),
        scopes: config.scopes.clone(),
        server_name: config.server_name.clone(),
    });
    let rmcp_config = rmcp_config(&config);
    let mut router = Router::new();
    for endpoint in Endpoint::ALL {
        let shared = shared.clone();
        let listing = Arc::new(Listing::new(config.tools, endpoint));
        let service: McpService = McpService::new(
            move || {
                Ok(PersonaServer {
                    endpoint,
                    shared: shared.clone(),
                    listing: listing.clone(),
                })
            },
            Arc::new(NeverSessionManager::default()),
            rmcp_config.clone(),
        );
        let served = Served {
            endpoint,
            service,
            authenticate: config.authenticate.clone(),
            settings: settings.clone(),
            max_body_bytes: config.max_body_bytes,
        };
        router = router
            .route(&endpoint.path(), any(serve).with_state(served))
            .route(
                &metadata_path(endpoint),
                get(metadata).with_state((endpoint, settings.clone())),
            );
    }
    router
}

/// rmcp's transport settings: stateless, plain JSON replies, hosts and origins checked.
fn rmcp_config(config: &McpConfig) -> StreamableHttpServerConfig {
    let defaults = StreamableHttpServerConfig::default();
    // rmcp reads an empty host list as "allow every host"; keep its loopback default instead.
    let allowed_hosts = if config.allowed_hosts.is_empty() {
        tracing::warn!("no MCP allowed hosts configured: only loopback Host headers are accepted");
        defaults.allowed_hosts.clone()
    } else {
        config.allowed_hosts.clone()
    };
    defaults
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None)
        .with_sse_retry(None)
        .with_allowed_hosts(allowed_hosts)
        .with_allowed_origins(allowed_origins(config))
        .enforce_origin_validation()
        .with_max_request_body_bytes(config.max_body_bytes)
}

/// The configured origins plus the server's own: a page served from the server's origin is not a
/// cross-origin caller, and refusing it would refuse same-origin requests that DNS-rebinding
/// protection must let through (the conformance suite's `dns-rebinding-protection` checks this).
fn allowed_origins(config: &McpConfig) -> Vec<String> {
    let mut origins = config.allowed_origins.clone();
    if let Some(own) = own_origin(&config.resource_base_url)
        && !origins.contains(&own)
    {
        origins.push(own);
    }
    origins
}

/// `scheme://host:port` of a base URL, with the scheme's default port made explicit (rmcp reads an
/// origin entry without a port as "any port").
fn own_origin(base_url: &str) -> Option<String> {
    let uri: http::Uri = base_url.parse().ok()?;
    let scheme = uri.scheme_str()?;
    let authority = uri.authority()?;
    let port = match (authority.port_u16(), scheme) {
        (Some(port), _) => port,
        (None, "https") => 443,
        (None, "http") => 80,
        (None, _) => return None,
    };
    Some(format!("{scheme}://{}:{port}", authority.host()))
}

async fn metadata(
    State((endpoint, settings)): State<(Endpoint, Arc<AuthSettings>)>,
) -> axum::Json<serde_json::Value> {
    axum::Json(settings.metadata(endpoint))
}

#[cfg(test)]
mod tests {
    use super::own_origin;

    #[test]
    fn the_own_origin_comes_from_the_base_url_with_an_explicit_port() {
        assert_eq!(
            own_origin("http://127.0.0.1:3000").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(
            own_origin("https://api.example.com/").as_deref(),
            Some("https://api.example.com:443")
        );
        assert_eq!(
            own_origin("http://[::1]:8080").as_deref(),
            Some("http://[::1]:8080")
        );
        assert_eq!(own_origin("api.example.com"), None);
    }
}
