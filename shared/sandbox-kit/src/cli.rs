//! The standalone binaries' command line: the knobs every sandbox takes ([`KnobFlags`], flattened
//! into each binary's own clap parser beside its flags) and the run until Ctrl-C or SIGTERM
//! ([`serve`]).
//!
//! ```no_run
//! # use dewy_sandbox_kit::cli::{self, KnobFlags};
//! # use clap::Parser;
//! # #[derive(Default)] struct Config { key: String }
//! # #[derive(Debug)] struct MySandbox { server: dewy_sandbox_kit::Server }
//! # dewy_sandbox_kit::sandbox_handle!(MySandbox, server, Config);
//! # impl MySandbox {
//! #     async fn start_on(_: std::net::SocketAddr, _: Config) -> std::io::Result<MySandbox> { todo!() }
//! # }
//! /// My sandbox.
//! #[derive(Parser)]
//! struct Args {
//!     /// The port to listen on, on 127.0.0.1.
//!     #[arg(long, default_value_t = 8099)]
//!     port: u16,
//!     #[command(flatten)]
//!     knobs: KnobFlags,
//!     /// The key clients must send.
//!     #[arg(long, env = "MY_SANDBOX_KEY", default_value = "k")]
//!     key: String,
//! }
//! # async fn main_() -> std::process::ExitCode {
//! let args = Args::parse();
//! let config = Config { key: args.key };
//! cli::serve("My sandbox", args.port, args.knobs, MySandbox::start_on(cli::loopback(args.port), config), |_| vec![])
//!     .await
//! # }
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use crate::{Fault, FaultRule, Handle, Latency};

/// The knobs every sandbox binary takes, as command-line flags.
#[derive(Debug, Clone, PartialEq, clap::Args)]
pub struct KnobFlags {
    /// Time added to every request: MS milliseconds, or MIN..MAX for a uniform range.
    #[arg(long = "latency-ms", value_name = "MS|MIN..MAX", value_parser = latency)]
    pub latency: Option<Latency>,
    /// The share of requests that fail (0 to 1), in equal parts 500, 429, timeout and dropped
    /// connection.
    #[arg(long, value_name = "RATE", default_value_t = 0.0, value_parser = rate)]
    pub fault_rate: f64,
}

/// `127.0.0.1:port`: the sandboxes listen on loopback only.
pub fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// The binary's `main` once its arguments are parsed: waits for `start` (the sandbox starting on
/// [`loopback`]`(port)`), sets the knobs, prints where it listens, `banner`'s labelled lines and
/// the knobs, then serves until Ctrl-C or SIGTERM and shuts down.
pub async fn serve<S: Handle>(
    name: &str,
    port: u16,
    knobs: KnobFlags,
    start: impl Future<Output = std::io::Result<S>>,
    banner: impl FnOnce(&S) -> Vec<(&'static str, String)>,
) -> ExitCode {
    let sandbox = match start.await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot start the {name} on {}: {e}", loopback(port));
            return ExitCode::FAILURE;
        }
    };
    let controls = sandbox.server().controls();
    controls.set_latency(knobs.latency);
    if knobs.fault_rate > 0.0 {
        fault_mix(knobs.fault_rate)
            .into_iter()
            .for_each(|rule| controls.add_fault(rule));
    }
    let mut lines = banner(&sandbox);
    if let Some(l) = knobs.latency {
        lines.push(("latency", format!("{:?}..{:?}", l.min(), l.max())));
    }
    if knobs.fault_rate > 0.0 {
        let mix = "(500 / 429 / timeout / dropped connection)";
        lines.push(("fault rate", format!("{} {mix}", knobs.fault_rate)));
    }
    println!("{name} listening on {}", sandbox.server().base_url());
    print!("{}", aligned(&lines));
    println!("Ctrl-C (or SIGTERM) to stop.");
    stop_requested().await;
    sandbox.into_server().shutdown().await;
    ExitCode::SUCCESS
}

/// `--latency-ms`: `100` or `50..150`.
fn latency(value: &str) -> Result<Latency, String> {
    parse_latency(value).ok_or_else(|| "expected MS or MIN..MAX, in milliseconds".to_owned())
}

/// `--fault-rate`: a share from 0 to 1.
fn rate(value: &str) -> Result<f64, String> {
    value
        .parse()
        .ok()
        .filter(|r| (0.0..=1.0).contains(r))
        .ok_or_else(|| "expected a number from 0 to 1".to_owned())
}

/// `  label:   value` lines, the values aligned one space after the longest label, counting the
/// knobs' labels even when they are not shown (so a sandbox's banner is laid out the same always).
fn aligned(lines: &[(&str, String)]) -> String {
    let labels = lines.iter().map(|(label, _)| *label);
    let width = labels
        .chain(["latency", "fault rate"])
        .map(|label| label.len() + 2)
        .max()
        .unwrap_or(0);
    lines
        .iter()
        .map(|(label, value)| format!("  {:<width$}{value}\n", format!("{label}:")))
        .collect()
}

/// `100` or `50..150`, in milliseconds.
pub fn parse_latency(value: &str) -> Option<Latency> {
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
pub fn fault_mix(rate: f64) -> Vec<FaultRule> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// A sandbox binary's parser: the knobs beside a flag of its own.
    #[derive(Debug, Parser)]
    struct Args {
        #[arg(long, default_value_t = 8099)]
        port: u16,
        #[command(flatten)]
        knobs: KnobFlags,
        #[arg(long, default_value = "k")]
        key: String,
    }

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("test-sandbox").chain(args.iter().copied()))
    }

    /// The knobs and the binary's own flags, in any order; the defaults without them.
    #[test]
    fn flags_are_read() {
        let args = parse(&[
            "--latency-ms",
            "50..150",
            "--key",
            "x",
            "--fault-rate",
            "0.2",
            "--port",
            "9000",
        ])
        .expect("valid");
        assert_eq!(
            (args.port, args.key.as_str(), args.knobs),
            (
                9000,
                "x",
                KnobFlags {
                    latency: Some(Latency::range(
                        Duration::from_millis(50),
                        Duration::from_millis(150)
                    )),
                    fault_rate: 0.2,
                }
            )
        );
        let defaults = parse(&[]).expect("valid");
        assert_eq!(
            (defaults.port, defaults.knobs.latency, defaults.knobs.fault_rate),
            (8099, None, 0.0)
        );
    }

    /// Wrong command lines name the flag and what it expects.
    #[test]
    fn mistakes_are_explained() {
        let message = |args: &[&str]| parse(args).expect_err("refused").to_string();
        assert!(message(&["--fault-rate", "2"]).contains("expected a number from 0 to 1"));
        assert!(message(&["--latency-ms", "a..b"]).contains("expected MS or MIN..MAX"));
        assert!(message(&["--port", "x"]).contains("--port"));
        assert!(message(&["--nope"]).contains("--nope"));
        assert_eq!(
            parse(&["--help"]).expect_err("help").kind(),
            clap::error::ErrorKind::DisplayHelp
        );
    }

    /// `100` is fixed, `50..150` a range, anything else nothing.
    #[test]
    fn latencies_parse() {
        let ms = Duration::from_millis;
        assert_eq!(parse_latency("100"), Some(Latency::fixed(ms(100))));
        assert_eq!(
            parse_latency(" 150 .. 50 "),
            Some(Latency::range(ms(50), ms(150)))
        );
        assert_eq!(parse_latency("fast"), None);
        assert_eq!(parse_latency("10.."), None);
    }

    /// The mix fails `rate` of the requests overall, each fault taking a quarter of it.
    #[test]
    fn the_fault_mix_shares_the_rate_equally() {
        for rate in [0.2, 1.0] {
            let rules = fault_mix(rate);
            let mut none_yet = 1.0;
            for (rule, fault) in rules.iter().zip([
                Fault::ServerError,
                Fault::RateLimited,
                Fault::Timeout,
                Fault::DropConnection,
            ]) {
                assert_eq!(rule.fault, fault);
                assert!((none_yet * rule.rate - rate / 4.0).abs() < 1e-9, "{rule:?}");
                none_yet *= 1.0 - rule.rate;
            }
            assert!((1.0 - none_yet - rate).abs() < 1e-9);
        }
    }

    /// Labels end in a colon and the values line up one space after the longest, shown or not.
    #[test]
    fn banner_lines_are_aligned() {
        let lines = [("API key", "k".to_owned()), ("fault rate", "0.2".to_owned())];
        assert_eq!(aligned(&lines), "  API key:    k\n  fault rate: 0.2\n");
        let lines = [("API key", "k".to_owned())];
        assert_eq!(aligned(&lines), "  API key:    k\n");
        let lines = [
            ("Messaging Service", "MG1".to_owned()),
            ("latency", "1ms..2ms".to_owned()),
        ];
        assert_eq!(
            aligned(&lines),
            "  Messaging Service: MG1\n  latency:           1ms..2ms\n"
        );
    }
}
