//! The sandbox as a standalone server, for the local stack and cross-process benchmarks
//! (`salesforce-sandbox --help` lists the flags).

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Parser;
use dewy_salesforce_sandbox::{Sandbox, SandboxConfig};
use dewy_sandbox_kit::cli::{self, KnobFlags};

/// A Salesforce org on loopback: OAuth, REST, SOQL and Composite in Salesforce's wire format,
/// seeded with the hotel's demo data.
#[derive(Parser)]
#[command(name = "salesforce-sandbox", version)]
struct Args {
    /// The port to listen on, on 127.0.0.1.
    #[arg(long, default_value_t = 8090)]
    port: u16,
    #[command(flatten)]
    knobs: KnobFlags,
    /// The connected app's client id (default: the local stack's).
    #[arg(long, env = "SANDBOX_CLIENT_ID")]
    client_id: Option<String>,
    /// The connected app's client secret (default: the local stack's).
    #[arg(long, env = "SANDBOX_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
    /// The org's today, YYYY-MM-DD: seed dates and TODAY in SOQL resolve against it.
    #[arg(long)]
    today: Option<NaiveDate>,
    /// Start with an empty org instead of the hotel's demo data.
    #[arg(long)]
    no_seed: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let defaults = SandboxConfig::default();
    let config = SandboxConfig {
        client_id: args.client_id.unwrap_or(defaults.client_id),
        client_secret: args.client_secret.unwrap_or(defaults.client_secret),
        today: args.today.unwrap_or(defaults.today),
        seed: !args.no_seed,
        ..defaults
    };
    let start = Sandbox::start_on(cli::loopback(args.port), config);
    cli::serve("Salesforce sandbox", args.port, args.knobs, start, |sandbox| {
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
