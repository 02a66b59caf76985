//! The local stack as `dewy_local::LocalStack::start` assembles it (`dewy_local::api`: token
//! issuer, production JWT verifier, REST routes, the persona MCP servers with in-process dispatch,
//! over the sandboxes), but with the sandboxes and the API each on a Tokio runtime of their own, so
//! the CPU time each part spends can be read from its threads (see `cpu`).

use dewy_local::Sandboxes;
use dewy_local_issuer::{DEMO_PASSWORD, LocalIssuer};
use tokio::runtime::Runtime;

/// Names of the threads of each part, as `/proc` shows them (at most 15 bytes).
pub const ADAPTER: &str = "adapter";
pub const SANDBOX: &str = "sandbox";
pub const LOAD: &str = "loadgen";

/// A multi-thread runtime of `workers` threads named `name`.
pub fn runtime(name: &str, workers: usize) -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name(name)
        .enable_all()
        .build()
        .unwrap()
}

/// The running stack. The runtimes must outlive every request, so they live here; dropping it
/// (outside any runtime: Tokio refuses to drop a runtime inside another) stops everything.
pub struct Stack {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    pub issuer: LocalIssuer,
    /// For checking what the writes wrote. Dropping them stops them: held until the end.
    pub sandboxes: Sandboxes,
    _adapter: Runtime,
    _sandbox: Runtime,
}

impl Stack {
    pub fn start(workers: usize) -> Stack {
        let sandbox = runtime(SANDBOX, workers);
        let adapter = runtime(ADAPTER, workers);
        let sandboxes = sandbox.block_on(Sandboxes::ephemeral()).unwrap();
        let (url, issuer) = adapter.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            // Called here because it starts the text outbox's task on the current runtime.
            let (app, issuer) = dewy_local::api(
                addr,
                sandboxes.backends(),
                dewy_local_issuer::DEFAULT_TOKEN_TTL,
                dewy_mcp::Unconfirmable::Refuse,
            )
            .unwrap();
            tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            (format!("http://{addr}"), issuer)
        });
        Stack {
            url,
            issuer,
            sandboxes,
            _adapter: adapter,
            _sandbox: sandbox,
        }
    }

    /// An access token for a demo user, as `POST /auth/login` gives it.
    pub fn token(&self, email: &str) -> String {
        self.issuer.login(email, DEMO_PASSWORD).unwrap().access_token
    }
}
