//! What `events/local.env` points a function at, served in this process: the sandboxes (fresh for
//! each start, so every function's first invocation sees the seeded data whatever ran before), the
//! local token issuer, and a stand-in for the Lambda Invoke API that only counts its callers.

use dewy_connector::Secret;
use dewy_e2e::lambda_watch::workspace_root;
use dewy_local::{LOCAL_CLIENT_ID, LocalOptions, Sandboxes};
use dewy_local_issuer::{DEMO_PASSWORD, LocalIssuer, demo_users};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `events/local.env`, parsed as cargo-lambda reads an env file (KEY=VALUE lines, `#` comments).
pub fn local_env() -> Vec<(String, String)> {
    let path = workspace_root().join("events/local.env");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} is unreadable: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (key, value) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("events/local.env: not KEY=VALUE: {line}"));
            (key.to_owned(), value.to_owned())
        })
        .collect()
}

/// The services that outlive one start: the issuer and the Invoke API stand-in.
pub struct Services {
    issuer_base: String,
    invoke_api: String,
    invoke_calls: Arc<AtomicUsize>,
}

impl Services {
    pub async fn start() -> Services {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer_base = format!("http://{}", listener.local_addr().unwrap());
        let issuer = LocalIssuer::new(
            format!("{issuer_base}/auth"),
            LOCAL_CLIENT_ID.to_owned(),
            demo_users(),
            Secret::new(DEMO_PASSWORD),
        )
        .expect("the local issuer starts");
        let app = axum::Router::new().nest("/auth", issuer.router());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        // The adapter invokes tool functions through the Lambda Invoke API (`cargo lambda watch` in
        // local.env). Its sample event (tools/list without a token) must not need one; if a first
        // invocation ever does, the bench says so instead of timing a call to nowhere.
        let invoke_calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&invoke_calls);
        let app = axum::Router::new().fallback(move || {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                (
                    axum::http::StatusCode::NOT_IMPLEMENTED,
                    "this bench serves no Lambda Invoke API",
                )
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let invoke_api = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Services {
            issuer_base,
            invoke_api,
            invoke_calls,
        }
    }

    /// How many requests the Invoke API stand-in has had.
    pub fn invoke_calls(&self) -> usize {
        self.invoke_calls.load(Ordering::SeqCst)
    }

    /// Fresh sandboxes, and `local_env` with every loopback address it names replaced by the
    /// in-process server standing in for it. Fails on an address nothing here serves.
    pub async fn fresh(&self, local_env: &[(String, String)]) -> (Sandboxes, Vec<(String, String)>) {
        let sandboxes = Sandboxes::ephemeral().await.expect("the sandboxes start");
        let fixed = LocalOptions::default();
        let served = [
            (fixed.salesforce_addr, sandboxes.salesforce.base_url()),
            (fixed.stripe_addr, sandboxes.stripe.base_url()),
            (fixed.twilio_addr, sandboxes.twilio.base_url()),
            (fixed.home_assistant_addr, sandboxes.home_assistant.base_url()),
            (fixed.api_addr, self.issuer_base.clone()),
        ];
        let env = local_env
            .iter()
            .map(|(key, value)| {
                if key == "AWS_ENDPOINT_URL_LAMBDA" {
                    return (key.clone(), self.invoke_api.clone());
                }
                let Some(rest) = value.strip_prefix("http://127.0.0.1:") else {
                    return (key.clone(), value.clone());
                };
                let local = served.iter().find_map(|(addr, base)| {
                    rest.strip_prefix(&addr.port().to_string())
                        .filter(|path| path.is_empty() || path.starts_with('/'))
                        .map(|path| format!("{base}{path}"))
                });
                let value = local.unwrap_or_else(|| {
                    panic!("events/local.env: {key}={value} names a server this bench does not start")
                });
                (key.clone(), value)
            })
            .collect();
        (sandboxes, env)
    }
}
