//! The sandbox as a standalone server, for the local stack and cross-process benchmarks.
//!
//! ```text
//! salesforce-sandbox [--port 8090] [--latency-ms 100 | --latency-ms 50..150] [--fault-rate 0.2]
//!                    [--client-id ID] [--client-secret SECRET] [--today YYYY-MM-DD] [--no-seed]
//! ```
//! The client id and secret may also come from `SANDBOX_CLIENT_ID` / `SANDBOX_CLIENT_SECRET`.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use dewy_salesforce_sandbox::{Fault, FaultRule, Latency, Sandbox, SandboxConfig};

const USAGE: &str = "usage: salesforce-sandbox [--port N] [--latency-ms MS | --latency-ms MIN..MAX] \
                     [--fault-rate RATE] [--client-id ID] [--client-secret SECRET] [--today YYYY-MM-DD] [--no-seed]";

struct Args {
    port: u16,
    latency: Option<Latency>,
    fault_rate: f64,
    config: SandboxConfig,
}

fn parse_args() -> Result<Args, String> {
    let mut config = SandboxConfig::default();
    if let Ok(id) = std::env::var("SANDBOX_CLIENT_ID") {
        config.client_id = id;
    }
    if let Ok(secret) = std::env::var("SANDBOX_CLIENT_SECRET") {
        config.client_secret = secret;
    }
    let mut args = Args {
        port: 8090,
        latency: None,
        fault_rate: 0.0,
        config,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--no-seed" {
            args.config.seed = false;
            continue;
        }
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
            "--client-id" => args.config.client_id = value,
            "--client-secret" => args.config.client_secret = value,
            "--today" => args.config.today = value.parse().map_err(|_| bad("date"))?,
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
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
    let sandbox = match Sandbox::start_on(addr, args.config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot start the sandbox on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    sandbox.set_latency(args.latency);
    if args.fault_rate > 0.0 {
        fault_mix(args.fault_rate)
            .into_iter()
            .for_each(|rule| sandbox.add_fault(rule));
    }
    let config = sandbox.config();
    println!("Salesforce sandbox listening on {}", sandbox.base_url());
    println!("  token URL:     {}/services/oauth2/token", sandbox.base_url());
    println!("  client_id:     {}", config.client_id);
    println!("  client_secret: {}", config.client_secret);
    println!("  refresh_token: {}", config.refresh_token);
    println!("  today:         {}  seed: {}", config.today, config.seed);
    if let Some(l) = args.latency {
        println!("  latency:       {:?}..{:?}", l.min(), l.max());
    }
    if args.fault_rate > 0.0 {
        println!(
            "  fault rate:    {} (500 / 429 / timeout / dropped connection)",
            args.fault_rate
        );
    }
    println!("Ctrl-C (or SIGTERM) to stop.");
    stop_requested().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
