//! The sandbox as a standalone server, for the local stack and cross-process benchmarks
//! (`stripe-sandbox --help` lists the flags).

use std::process::ExitCode;

use clap::Parser;
use dewy_sandbox_kit::cli::{self, KnobFlags};
use dewy_stripe_sandbox::{StripeSandbox, StripeSandboxConfig};

/// Stripe's API on loopback, in its wire format: customers, PaymentIntents with the test cards
/// (3-D Secure included), refunds, idempotency keys.
#[derive(Parser)]
#[command(name = "stripe-sandbox", version)]
struct Args {
    /// The port to listen on, on 127.0.0.1.
    #[arg(long, default_value_t = 8091)]
    port: u16,
    #[command(flatten)]
    knobs: KnobFlags,
    /// The secret key clients must send: a test-mode key (default: the local stack's).
    #[arg(long, env = "STRIPE_SANDBOX_API_KEY", value_parser = test_mode_key)]
    api_key: Option<String>,
}

/// A sandbox refuses anything that looks like a live key.
fn test_mode_key(key: &str) -> Result<String, String> {
    if key.starts_with("sk_test_") {
        Ok(key.to_owned())
    } else {
        Err("the API key must be a test-mode key (sk_test_...)".into())
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let defaults = StripeSandboxConfig::default();
    let config = StripeSandboxConfig {
        api_key: args.api_key.unwrap_or(defaults.api_key),
        ..defaults
    };
    let start = StripeSandbox::start_on(cli::loopback(args.port), config);
    cli::serve("Stripe sandbox", args.port, args.knobs, start, |sandbox| {
        // A test-mode key for a local sandbox: printing it is how the user learns it.
        vec![("API key", sandbox.api_key().to_owned())]
    })
    .await
}
