//! The sandbox as a standalone server, for the local stack and cross-process benchmarks
//! (`homeassistant-sandbox --help` lists the flags).

use std::process::ExitCode;

use clap::Parser;
use dewy_homeassistant_sandbox::{HomeAssistantConfig, HomeAssistantSandbox};
use dewy_sandbox_kit::cli::{self, KnobFlags};

/// Home Assistant's REST API on loopback, in its wire format: the hotel's 22 rooms of lights,
/// thermostats, blinds and music modes, behind one long-lived access token.
#[derive(Parser)]
#[command(name = "homeassistant-sandbox", version)]
struct Args {
    /// The port to listen on, on 127.0.0.1.
    #[arg(long, default_value_t = 8093)]
    port: u16,
    #[command(flatten)]
    knobs: KnobFlags,
    /// The long-lived access token clients must send as a bearer token (default: the local stack's).
    #[arg(long, env = "HOMEASSISTANT_SANDBOX_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = HomeAssistantConfig {
        token: args
            .token
            .unwrap_or_else(|| HomeAssistantConfig::DEFAULT_TOKEN.to_owned()),
    };
    let start = HomeAssistantSandbox::start_on(cli::loopback(args.port), config);
    cli::serve(
        "Home Assistant sandbox",
        args.port,
        args.knobs,
        start,
        |sandbox| {
            vec![
                ("token", sandbox.token().to_owned()),
                (
                    "entities",
                    format!("{} (rooms 100-110, 200-210)", sandbox.states().len()),
                ),
            ]
        },
    )
    .await
}
