//! The sandbox as a standalone server, for the local stack and cross-process benchmarks.
//!
//! ```text
//! stripe-sandbox [--port 8091] [--latency-ms 100 | --latency-ms 50..150] [--fault-rate 0.2] [--api-key sk_test_...]
//! ```
//! The key may also come from `STRIPE_SANDBOX_API_KEY`.

use std::process::ExitCode;

use dewy_sandbox_kit::cli::Cli;
use dewy_stripe_sandbox::{StripeSandbox, StripeSandboxConfig};

const USAGE: &str = "usage: stripe-sandbox [--port N] [--latency-ms MS | --latency-ms MIN..MAX] \
                     [--fault-rate RATE] [--api-key sk_test_...]";

#[tokio::main]
async fn main() -> ExitCode {
    Cli::new("Stripe sandbox", USAGE, 8091, StripeSandboxConfig::default())
        .env("STRIPE_SANDBOX_API_KEY", |c, v| c.api_key = v)
        .option("--api-key", |c, v| c.api_key = v)
        .check(|c| {
            if c.api_key.starts_with("sk_test_") {
                Ok(())
            } else {
                Err("the API key must be a test-mode key (sk_test_...)".into())
            }
        })
        .run(StripeSandbox::start_on, |sandbox| {
            // A test-mode key for a local sandbox: printing it is how the user learns it.
            vec![("API key", sandbox.api_key().to_owned())]
        })
        .await
}
