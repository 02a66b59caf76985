//! The sandbox as a standalone server, for the local stack and cross-process benchmarks.
//!
//! ```text
//! twilio-sandbox [--port 8092] [--latency-ms 100 | --latency-ms 50..150] [--fault-rate 0.2]
//!                [--account-sid AC…] [--auth-token TOKEN] [--phone-number +1…] [--no-delivery]
//! ```
//! The account SID and auth token may also come from `TWILIO_SANDBOX_ACCOUNT_SID` /
//! `TWILIO_SANDBOX_AUTH_TOKEN`.

use std::process::ExitCode;

use dewy_sandbox_kit::cli::Cli;
use dewy_twilio_sandbox::{TwilioSandbox, TwilioSandboxConfig};

const USAGE: &str = "usage: twilio-sandbox [--port N] [--latency-ms MS | --latency-ms MIN..MAX] \
                     [--fault-rate RATE] [--account-sid AC…] [--auth-token TOKEN] [--phone-number +1…] \
                     [--no-delivery]";

#[tokio::main]
async fn main() -> ExitCode {
    Cli::new("Twilio sandbox", USAGE, 8092, TwilioSandboxConfig::default())
        .env("TWILIO_SANDBOX_ACCOUNT_SID", |c, v| c.account_sid = v)
        .env("TWILIO_SANDBOX_AUTH_TOKEN", |c, v| c.auth_token = v)
        .switch("--no-delivery", |c| c.deliver = false)
        .option("--account-sid", |c, v| c.account_sid = v)
        .option("--auth-token", |c, v| c.auth_token = v)
        .option("--phone-number", |c, v| c.phone_number = v)
        .run(TwilioSandbox::start_on, |sandbox| {
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
