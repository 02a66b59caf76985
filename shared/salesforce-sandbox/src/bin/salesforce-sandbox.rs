//! The sandbox as a standalone server, for the local stack and cross-process benchmarks.
//!
//! ```text
//! salesforce-sandbox [--port 8090] [--latency-ms 100 | --latency-ms 50..150] [--fault-rate 0.2]
//!                    [--client-id ID] [--client-secret SECRET] [--today YYYY-MM-DD] [--no-seed]
//! ```
//! The client id and secret may also come from `SANDBOX_CLIENT_ID` / `SANDBOX_CLIENT_SECRET`.

use std::process::ExitCode;

use dewy_salesforce_sandbox::{Sandbox, SandboxConfig};
use dewy_sandbox_kit::cli::Cli;

const USAGE: &str = "usage: salesforce-sandbox [--port N] [--latency-ms MS | --latency-ms MIN..MAX] \
                     [--fault-rate RATE] [--client-id ID] [--client-secret SECRET] [--today YYYY-MM-DD] [--no-seed]";

#[tokio::main]
async fn main() -> ExitCode {
    Cli::new("Salesforce sandbox", USAGE, 8090, SandboxConfig::default())
        .env("SANDBOX_CLIENT_ID", |c, v| c.client_id = v)
        .env("SANDBOX_CLIENT_SECRET", |c, v| c.client_secret = v)
        .switch("--no-seed", |c| c.seed = false)
        .option("--client-id", |c, v| c.client_id = v)
        .option("--client-secret", |c, v| c.client_secret = v)
        .parsed("--today", "date", |c, today| c.today = today)
        .run(Sandbox::start_on, |sandbox| {
            let config = sandbox.config();
            vec![
                (
                    "token URL",
                    format!("{}/services/oauth2/token", sandbox.base_url()),
                ),
                ("client_id", config.client_id.clone()),
                ("client_secret", config.client_secret.clone()),
                ("refresh_token", config.refresh_token.clone()),
                ("today", format!("{}  seed: {}", config.today, config.seed)),
            ]
        })
        .await
}
