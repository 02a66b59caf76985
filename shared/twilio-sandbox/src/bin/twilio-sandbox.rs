//! The sandbox as a standalone server, for the local stack and cross-process benchmarks.
//!
//! ```text
//! twilio-sandbox [--port 8092] [--latency-ms 100 | --latency-ms 50..150] [--fault-rate 0.2]
//!                [--account-sid AC…] [--auth-token TOKEN] [--phone-number +1…] [--no-delivery]
//! ```
//! The account SID and auth token may also come from `TWILIO_SANDBOX_ACCOUNT_SID` /
//! `TWILIO_SANDBOX_AUTH_TOKEN`.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use dewy_twilio_sandbox::{Fault, FaultRule, Latency, TwilioSandbox, TwilioSandboxConfig};

const USAGE: &str = "usage: twilio-sandbox [--port N] [--latency-ms MS | --latency-ms MIN..MAX] \
                     [--fault-rate RATE] [--account-sid AC…] [--auth-token TOKEN] [--phone-number +1…] \
                     [--no-delivery]";

struct Args {
    port: u16,
    latency: Option<Latency>,
    fault_rate: f64,
    config: TwilioSandboxConfig,
}

fn parse_args() -> Result<Args, String> {
    let mut config = TwilioSandboxConfig::default();
    if let Ok(sid) = std::env::var("TWILIO_SANDBOX_ACCOUNT_SID") {
        config.account_sid = sid;
    }
    if let Ok(token) = std::env::var("TWILIO_SANDBOX_AUTH_TOKEN") {
        config.auth_token = token;
    }
    let mut args = Args {
        port: 8092,
        latency: None,
        fault_rate: 0.0,
        config,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--no-delivery" {
            args.config.deliver = false;
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
            "--account-sid" => args.config.account_sid = value,
            "--auth-token" => args.config.auth_token = value,
            "--phone-number" => args.config.phone_number = value,
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
    let sandbox = match TwilioSandbox::start_on(addr, args.config).await {
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
    println!("Twilio sandbox listening on {}", sandbox.base_url());
    println!("  account SID:       {}", config.account_sid);
    println!("  auth token:        {}", config.auth_token);
    println!(
        "  API key:           {} / {}",
        config.api_key_sid, config.api_key_secret
    );
    println!("  From number:       {}", config.phone_number);
    println!("  Messaging Service: {}", config.messaging_service_sid);
    println!(
        "  delivery:          {}",
        if config.deliver { "simulated" } else { "off" }
    );
    if let Some(l) = args.latency {
        println!("  latency:           {:?}..{:?}", l.min(), l.max());
    }
    if args.fault_rate > 0.0 {
        println!(
            "  fault rate:        {} (500 / 429 / timeout / dropped connection)",
            args.fault_rate
        );
    }
    println!("Ctrl-C (or SIGTERM) to stop.");
    stop_requested().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
