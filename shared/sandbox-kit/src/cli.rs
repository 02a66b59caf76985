//! The standalone binaries' command line: the flags every sandbox takes (`--port`, `--latency-ms`,
//! `--fault-rate`, `--help`), the sandbox's own flags, and the run until Ctrl-C or SIGTERM.
//!
//! ```no_run
//! # use dewy_sandbox_kit::cli::Cli;
//! # #[derive(Default)] struct Config { key: String, quiet: bool, port_base: u16 }
//! # #[derive(Debug)] struct MySandbox { server: dewy_sandbox_kit::Server }
//! # dewy_sandbox_kit::sandbox_handle!(MySandbox, server, Config);
//! # impl MySandbox {
//! #     async fn start_on(_: std::net::SocketAddr, _: Config) -> std::io::Result<MySandbox> { todo!() }
//! # }
//! # async fn main_() -> std::process::ExitCode {
//! Cli::new("My sandbox", "usage: my-sandbox [--port N] [--key KEY] [--quiet]", 8099, Config::default())
//!     .switch("--quiet", |c| c.quiet = true)
//!     .option("--key", |c, v| c.key = v)
//!     .env("MY_SANDBOX_KEY", |c, v| c.key = v)
//!     .parsed("--port-base", "port", |c, p| c.port_base = p)
//!     .run(MySandbox::start_on, |_sandbox| vec![("key", "…".into())])
//!     .await
//! # }
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use crate::{Fault, FaultRule, Handle, Latency};

/// A flag without a value, and what it does to the configuration.
type Switch<C> = Box<dyn Fn(&mut C)>;
/// A flag with a value, and how it goes into the configuration (`Err(what)`: "invalid {what}").
type Setter<C> = Box<dyn Fn(&mut C, String) -> Result<(), &'static str>>;
/// An environment variable, and how its value goes into the configuration.
type FromEnv<C> = Box<dyn Fn(&mut C, String)>;
/// A check of the whole configuration once parsed (`Err(message)`).
type Check<C> = Box<dyn Fn(&C) -> Result<(), String>>;

/// A sandbox binary's command line, over its configuration `C`.
pub struct Cli<C> {
    name: &'static str,
    usage: &'static str,
    port: u16,
    config: C,
    switches: Vec<(&'static str, Switch<C>)>,
    options: Vec<(&'static str, Setter<C>)>,
    envs: Vec<(&'static str, FromEnv<C>)>,
    checks: Vec<Check<C>>,
}

/// The parsed command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Args<C> {
    /// `--port`: where to listen on loopback.
    pub port: u16,
    /// `--latency-ms MS` or `--latency-ms MIN..MAX`.
    pub latency: Option<Latency>,
    /// `--fault-rate RATE`: the share of requests failing, spread over the four faults.
    pub fault_rate: f64,
    /// The sandbox's configuration, with its own flags applied.
    pub config: C,
}

impl<C> Cli<C> {
    /// The command line of the sandbox called `name` ("Salesforce sandbox"), printing `usage` on
    /// errors and `--help`, listening on `default_port` unless told otherwise, starting from
    /// `config`.
    pub fn new(name: &'static str, usage: &'static str, default_port: u16, config: C) -> Self {
        Self {
            name,
            usage,
            port: default_port,
            config,
            switches: Vec::new(),
            options: Vec::new(),
            envs: Vec::new(),
            checks: Vec::new(),
        }
    }

    /// A flag without a value.
    pub fn switch(mut self, flag: &'static str, apply: impl Fn(&mut C) + 'static) -> Self {
        self.switches.push((flag, Box::new(apply)));
        self
    }

    /// A flag with a value, taken as it is.
    pub fn option(mut self, flag: &'static str, set: impl Fn(&mut C, String) + 'static) -> Self {
        let set = move |config: &mut C, value: String| {
            set(config, value);
            Ok(())
        };
        self.options.push((flag, Box::new(set)));
        self
    }

    /// A flag with a value parsed as a `T`; a value that does not parse is an "invalid {what}".
    pub fn parsed<T: FromStr>(
        mut self,
        flag: &'static str,
        what: &'static str,
        set: impl Fn(&mut C, T) + 'static,
    ) -> Self {
        let set = move |config: &mut C, value: String| {
            let value = value.parse().map_err(|_| what)?;
            set(config, value);
            Ok(())
        };
        self.options.push((flag, Box::new(set)));
        self
    }

    /// An environment variable setting the configuration when present; flags override it.
    pub fn env(mut self, var: &'static str, set: impl Fn(&mut C, String) + 'static) -> Self {
        self.envs.push((var, Box::new(set)));
        self
    }

    /// A check of the configuration once every flag is read.
    pub fn check(mut self, check: impl Fn(&C) -> Result<(), String> + 'static) -> Self {
        self.checks.push(Box::new(check));
        self
    }

    /// Parses the arguments (without the program name), after the environment variables that
    /// `env` finds.
    ///
    /// # Errors
    /// The message to print: the usage for `--help`, else what is wrong followed by the usage.
    pub fn parse(
        self,
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Args<C>, String> {
        let usage = self.usage;
        let mut parsed = Args {
            port: self.port,
            latency: None,
            fault_rate: 0.0,
            config: self.config,
        };
        for (var, set) in &self.envs {
            if let Some(value) = env(var) {
                set(&mut parsed.config, value);
            }
        }
        let mut it = args.into_iter();
        while let Some(flag) = it.next() {
            if let Some((_, apply)) = self.switches.iter().find(|(f, _)| *f == flag) {
                apply(&mut parsed.config);
                continue;
            }
            if flag == "--help" || flag == "-h" {
                return Err(usage.into());
            }
            let value = it
                .next()
                .ok_or_else(|| format!("{flag} needs a value\n{usage}"))?;
            let bad = |what: &str| format!("invalid {what}: {value}\n{usage}");
            match flag.as_str() {
                "--port" => parsed.port = value.parse().map_err(|_| bad("port"))?,
                "--latency-ms" => parsed.latency = Some(parse_latency(&value).ok_or_else(|| bad("latency"))?),
                "--fault-rate" => {
                    parsed.fault_rate = value
                        .parse()
                        .ok()
                        .filter(|r| (0.0..=1.0).contains(r))
                        .ok_or_else(|| bad("rate"))?;
                }
                _ => match self.options.iter().find(|(f, _)| *f == flag) {
                    Some((_, set)) => set(&mut parsed.config, value.clone()).map_err(bad)?,
                    None => return Err(format!("unknown option {flag}\n{usage}")),
                },
            }
        }
        for check in &self.checks {
            check(&parsed.config).map_err(|message| format!("{message}\n{usage}"))?;
        }
        Ok(parsed)
    }

    /// The binary's `main`: reads the environment and parses the process's arguments (exit code 2
    /// and the usage if they are wrong), starts the sandbox with `start_on` on `127.0.0.1:PORT`, sets its latency and fault
    /// mix, prints where it listens, `banner`'s labelled lines and the knobs, then serves until
    /// Ctrl-C or SIGTERM and shuts down.
    pub async fn run<S, Start>(
        self,
        start_on: impl FnOnce(SocketAddr, C) -> Start,
        banner: impl FnOnce(&S) -> Vec<(&'static str, String)>,
    ) -> ExitCode
    where
        S: Handle,
        Start: Future<Output = std::io::Result<S>>,
    {
        let name = self.name;
        let args = match self.parse(std::env::args().skip(1), |var| std::env::var(var).ok()) {
            Ok(a) => a,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
        };
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
        let sandbox = match start_on(addr, args.config).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("cannot start the {name} on {addr}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let controls = sandbox.server().controls();
        controls.set_latency(args.latency);
        if args.fault_rate > 0.0 {
            fault_mix(args.fault_rate)
                .into_iter()
                .for_each(|rule| controls.add_fault(rule));
        }
        let mut lines = banner(&sandbox);
        if let Some(l) = args.latency {
            lines.push(("latency", format!("{:?}..{:?}", l.min(), l.max())));
        }
        if args.fault_rate > 0.0 {
            let mix = "(500 / 429 / timeout / dropped connection)";
            lines.push(("fault rate", format!("{} {mix}", args.fault_rate)));
        }
        println!("{name} listening on {}", sandbox.server().base_url());
        print!("{}", aligned(&lines));
        println!("Ctrl-C (or SIGTERM) to stop.");
        stop_requested().await;
        sandbox.into_server().shutdown().await;
        ExitCode::SUCCESS
    }
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

    #[derive(Debug, Default, PartialEq)]
    struct Config {
        key: String,
        quiet: bool,
        limit: u8,
    }

    const USAGE: &str = "usage: test";

    fn cli() -> Cli<Config> {
        Cli::new("Test sandbox", USAGE, 8099, Config::default())
            .switch("--quiet", |c| c.quiet = true)
            .option("--key", |c, v| c.key = v)
            .parsed("--limit", "limit", |c, n| c.limit = n)
            .env("TEST_SANDBOX_KEY", |c, v| c.key = v)
            .check(|c| {
                if c.key == "live" {
                    Err("no live keys".into())
                } else {
                    Ok(())
                }
            })
    }

    fn parse(args: &[&str]) -> Result<Args<Config>, String> {
        cli().parse(args.iter().map(|a| (*a).to_owned()), |_| None)
    }

    /// The common flags, the sandbox's switches and options, in any order.
    #[test]
    fn flags_are_read() {
        let args = parse(&[
            "--quiet",
            "--port",
            "9000",
            "--latency-ms",
            "50..150",
            "--key",
            "k",
            "--fault-rate",
            "0.2",
            "--limit",
            "7",
        ])
        .expect("valid");
        assert_eq!(
            args,
            Args {
                port: 9000,
                latency: Some(Latency::range(
                    Duration::from_millis(50),
                    Duration::from_millis(150)
                )),
                fault_rate: 0.2,
                config: Config {
                    key: "k".into(),
                    quiet: true,
                    limit: 7,
                },
            }
        );
        assert_eq!(parse(&[]).map(|a| (a.port, a.latency)), Ok((8099, None)));
    }

    /// Wrong command lines say what is wrong, then the usage.
    #[test]
    fn mistakes_are_explained() {
        assert_eq!(parse(&["-h"]), Err(USAGE.into()));
        assert_eq!(parse(&["--port"]), Err(format!("--port needs a value\n{USAGE}")));
        assert_eq!(parse(&["--port", "x"]), Err(format!("invalid port: x\n{USAGE}")));
        assert_eq!(
            parse(&["--fault-rate", "2"]),
            Err(format!("invalid rate: 2\n{USAGE}"))
        );
        assert_eq!(
            parse(&["--latency-ms", "a..b"]),
            Err(format!("invalid latency: a..b\n{USAGE}"))
        );
        assert_eq!(
            parse(&["--limit", "300"]),
            Err(format!("invalid limit: 300\n{USAGE}"))
        );
        assert_eq!(parse(&["--key", "live"]), Err(format!("no live keys\n{USAGE}")));
        assert_eq!(
            parse(&["--nope", "1"]),
            Err(format!("unknown option --nope\n{USAGE}"))
        );
    }

    /// Environment variables set the configuration, and flags override them.
    #[test]
    fn the_environment_comes_first() {
        let env = |var: &str| (var == "TEST_SANDBOX_KEY").then(|| "from-env".to_owned());
        let parsed = cli().parse(Vec::new(), env).expect("valid");
        assert_eq!(parsed.config.key, "from-env");
        let args = ["--key", "from-flag"].map(str::to_owned);
        let parsed = cli().parse(args, env).expect("valid");
        assert_eq!(parsed.config.key, "from-flag");
        let parsed = cli().parse(Vec::new(), |_| Some("live".to_owned()));
        assert_eq!(parsed, Err(format!("no live keys\n{USAGE}")));
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
