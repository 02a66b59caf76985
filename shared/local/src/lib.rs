//! The local stack: the whole system on one machine, nothing else installed.
//!
//! Starts the Salesforce sandbox in-process (seeded with the hotel's demo data), builds the production
//! connectors pointed at it (one code path, no mock mode) and serves every tool's REST route.

use dewy_connector::Secret;
use dewy_salesforce::{Credentials, Salesforce, SalesforceConfig};
use dewy_salesforce_sandbox::{Sandbox, SandboxConfig};
use dewy_tool::{Backends, Caller};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Where the local stack listens.
#[derive(Debug, Clone)]
pub struct LocalOptions {
    /// The REST API's address.
    pub api_addr: SocketAddr,
    /// The Salesforce sandbox's address (a fixed port so `cargo lambda watch` can be pointed at it).
    pub salesforce_addr: SocketAddr,
}

impl Default for LocalOptions {
    fn default() -> Self {
        LocalOptions {
            api_addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            salesforce_addr: SocketAddr::from(([127, 0, 0, 1], 8090)),
        }
    }
}

/// A running local stack. Dropping it stops the sandbox; the API task ends with the runtime.
pub struct LocalStack {
    /// The REST API's base URL.
    pub api_url: String,
    /// The Salesforce sandbox, for inspection and knobs.
    pub salesforce: Sandbox,
    server: tokio::task::JoinHandle<()>,
}

impl LocalStack {
    /// Starts the sandbox and the API.
    pub async fn start(options: LocalOptions) -> std::io::Result<LocalStack> {
        let salesforce = Sandbox::start_on(options.salesforce_addr, SandboxConfig::default()).await?;
        let backends = backends_for(&salesforce);
        let router =
            dewy_runtime::rest::router(dewy_tools::TOOLS, backends, Arc::new(|_| Ok(local_operator())));
        let listener = tokio::net::TcpListener::bind(options.api_addr).await?;
        let api_url = format!("http://{}", listener.local_addr()?);
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "the local API stopped");
            }
        });
        Ok(LocalStack {
            api_url,
            salesforce,
            server,
        })
    }

    /// Waits until the API server stops (it runs until the process ends).
    pub async fn wait(self) {
        let _ = self.server.await;
    }
}

/// The production connectors, pointed at the sandbox with its credentials.
pub fn backends_for(sandbox: &Sandbox) -> Backends {
    let config = sandbox.config();
    let salesforce = SalesforceConfig {
        login_url: sandbox
            .base_url()
            .parse()
            .expect("the sandbox's base URL is a URL"),
        api_version: "62.0".to_owned(),
        credentials: Credentials::ClientCredentials {
            client_id: config.client_id.clone(),
            client_secret: Secret::new(config.client_secret.clone()),
        },
        request_timeout: Duration::from_secs(10),
    };
    Backends {
        salesforce: Salesforce::new(salesforce, dewy_connector::http_client()),
    }
}

/// Who a local REST call acts as until the local token issuer is in front of the API: a staff
/// operator (staff act on any guest's records).
pub fn local_operator() -> Caller {
    Caller::from_claims("local-operator", Some("manager1@hotel.com"), ["staff", "manager"])
}
