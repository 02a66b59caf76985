//! The sandbox as a standalone server, for the local stack and cross-process benchmarks.
//!
//! ```text
//! stripe-sandbox [--port 8091] [--latency-ms 100 | --latency-ms 50..150] [--fault-rate 0.2] [--api-key sk_test_...]
//! ```
//! The key may also come from `STRIPE_SANDBOX_API_KEY`.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use dewy_stripe_sandbox::{Fault, FaultRule, Latency, StripeSandbox, StripeSandboxConfig};

const USAGE: &str = "usage: stripe-sandbox [--port N] [--latency-ms MS | --latency-ms MIN..MAX] \
                     [--fault-rate RATE] [--api-key sk_test_...]";

struct Args {
    port: u16,
    latency: Option<Latency>,
    fault_rate: f64,
    config: StripeSandboxConfig,
}

fn parse_args() -> Result<Args, String> {
    let mut config = StripeSandboxConfig::default();
    if let Ok(key) = std::env::var("STRIPE_SANDBOX_API_KEY") {
        config.api_key = key;
    }
    let mut args = Args {
        port: 8091,
        latency: None,
        fault_rate: 0.0,
        config,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.into());
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = |what: &str| format!("invalid {what}: {value}\n{USAGE}");
        match flag.as_str() {
            "--port" => args.port = value.parse().map_err(|_| bad("port"))?,
            "--latency-ms" => args.latency = Some(parse_latency(&value).ok_or_else(|| bad("latency"))?),
            "--fault-rate" => {
                args.fault_rate = value
                    .parse()
                    .ok()
                    .filter(|r| (0.0..=1.0).contains(r))
                    .ok_or_else(|| bad("rate"))?;
            }
            "--api-key" => args.config.api_key = value,
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    if !args.config.api_key.starts_with("sk_test_") {
        return Err(format!(
            "the API key must be a test-mode key (sk_test_...)\n{USAGE}"
        ));
    }
    Ok(args)
}

/// `100` or `50..150`, in milliseconds.
fn parse_latency(value: &str) -> Option<Latency> {
    let ms = |s: &str| s.trim().parse::<u64>().ok().map(Duration::from_millis);
    match value.split_once("..") {
        Some((lo, hi)) => Some(Latency::range(ms(lo)?, ms(hi)?)),
        None => ms(value).map(Latency::fixed),
    }
}

/// Rules giving each of the four faults an equal share of `rate`.
///
/// Rules are tried in order, each with its own roll, so rule k's rate is its share divided by
/// the chance that no earlier rule fired.
fn fault_mix(rate: f64) -> Vec<FaultRule> {
    let faults = [
        Fault::ServerError,
        Fault::RateLimited,
        Fault::Timeout,
        Fault::DropConnection,
    ];
    let share = rate / 4.0;
    faults
        .iter()
        .enumerate()
        .map(|(k, fault)| {
            let remaining = 1.0 - share * k as f64;
            FaultRule::new(*fault).rate(if remaining > 0.0 { share / remaining } else { 1.0 })
        })
        .collect()
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM (what process managers and containers send).
async fn stop_requested() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            eprintln!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let sandbox = match StripeSandbox::start_on(addr, args.config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot start the Stripe sandbox on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    sandbox.set_latency(args.latency);
    if args.fault_rate > 0.0 {
        fault_mix(args.fault_rate)
            .into_iter()
            .for_each(|rule| sandbox.add_fault(rule));
    }
    println!("Stripe sandbox listening on {}", sandbox.base_url());
    // A test-mode key for a local sandbox: printing it is how the user learns it.
    println!("  API key:    {}", sandbox.api_key());
    if let Some(l) = args.latency {
        println!("  latency:    {:?}..{:?}", l.min(), l.max());
    }
    if args.fault_rate > 0.0 {
        println!(
            "  fault rate: {} (500 / 429 / timeout / dropped connection)",
            args.fault_rate
        );
    }
    println!("Ctrl-C (or SIGTERM) to stop.");
    stop_requested().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
