//! The sandbox as a standalone server, for the local stack and cross-process benchmarks
//! (`twilio-sandbox --help` lists the flags).

use std::process::ExitCode;

use clap::Parser;
use dewy_sandbox_kit::cli::{self, KnobFlags};
use dewy_twilio_sandbox::{TwilioSandbox, TwilioSandboxConfig};

/// Twilio's Messages API on loopback, in its wire format: one account, one number, one Messaging
/// Service, deliveries simulated.
#[derive(Parser)]
#[command(name = "twilio-sandbox", version)]
struct Args {
    /// The port to listen on, on 127.0.0.1.
    #[arg(long, default_value_t = 8092)]
    port: u16,
    #[command(flatten)]
    knobs: KnobFlags,
    /// The account SID (default: the local stack's).
    #[arg(long, env = "TWILIO_SANDBOX_ACCOUNT_SID")]
    account_sid: Option<String>,
    /// The account's auth token (default: the local stack's).
    #[arg(long, env = "TWILIO_SANDBOX_AUTH_TOKEN", hide_env_values = true)]
    auth_token: Option<String>,
    /// The account's phone number, the only From accepted (default: the local stack's).
    #[arg(long)]
    phone_number: Option<String>,
    /// Leave messages as created instead of marking them delivered.
    #[arg(long)]
    no_delivery: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let defaults = TwilioSandboxConfig::default();
    let config = TwilioSandboxConfig {
        account_sid: args.account_sid.unwrap_or(defaults.account_sid),
        auth_token: args.auth_token.unwrap_or(defaults.auth_token),
        phone_number: args.phone_number.unwrap_or(defaults.phone_number),
        deliver: !args.no_delivery,
        ..defaults
    };
    let start = TwilioSandbox::start_on(cli::loopback(args.port), config);
    cli::serve("Twilio sandbox", args.port, args.knobs, start, |sandbox| {
        let config = sandbox.config();
        let delivery = if config.deliver { "simulated" } else { "off" };
        vec![
            ("account SID", config.account_sid.clone()),
            ("auth token", config.auth_token.clone()),
            (
                "API key",
                format!("{} / {}", config.api_key_sid, config.api_key_secret),
            ),
            ("From number", config.phone_number.clone()),
            ("Messaging Service", config.messaging_service_sid.clone()),
            ("delivery", delivery.to_owned()),
        ]
    })
    .await
}
