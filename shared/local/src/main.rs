//! `cargo run -p dewy-local`: the whole system locally. See the README.

use dewy_local::portal::Portal;
use dewy_local::{LocalOptions, LocalStack};
use std::net::SocketAddr;
use std::path::PathBuf;

mod web_build;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    dewy_runtime::logging::init_local();
    let args = <Args as clap::Parser>::parse();
    // Before anything listens: npm's output comes first, then the addresses.
    let built = if args.no_portal_build {
        Ok(())
    } else {
        web_build::ensure_built(&args.web_dir)
    };
    let mut options = LocalOptions::from(args);
    if let (Err(problem), Some(portal)) = (built, &mut options.portal) {
        let (message, failed) = match problem {
            web_build::Problem::Unbuildable(message) => (message, false),
            web_build::Problem::Failed(message) => (message, true),
        };
        eprintln!("the web portal was not built: {message}; the API is served all the same");
        portal.build_problem = Some(message);
        portal.build_failed = failed;
    }
    let stack = LocalStack::start(options).await?;
    let sandbox = stack.salesforce.config();
    let api = &stack.api_url;
    println!("Dewy Resort MCP, local stack");
    println!("  web portal           {api}/ (its settings: {api}/config.json)");
    println!("  MCP (guests)         {api}/mcp/guest");
    println!("  MCP (staff)          {api}/mcp/staff");
    println!("  REST API             {api}/api/<tool-name>, e.g. POST {api}/api/check-in-guest");
    println!("  OpenAPI document     {api}/openapi.json");
    println!("  sign in              POST {api}/auth/login {{\"email\", \"password\"}} (issuer {api}/auth)");
    println!(
        "  browser sign-in      GET {api}/auth/oauth2/authorize (OpenID Connect code flow, PKCE S256; callback {api}/)"
    );
    println!(
        "    demo users         kay@example.com (guest), manager1@hotel.com (manager), staff1@hotel.com,"
    );
    println!(
        "                       guest1..10@hotel.com; password {}",
        dewy_local_issuer::DEMO_PASSWORD
    );
    println!("  Salesforce sandbox   {}", stack.salesforce.base_url());
    println!(
        "    client id / secret {} / {}",
        sandbox.client_id, sandbox.client_secret
    );
    println!(
        "  Stripe sandbox       {} (key {})",
        stack.stripe.base_url(),
        stack.stripe.api_key()
    );
    println!("  Twilio sandbox       {}", stack.twilio.base_url());
    println!(
        "  Home Assistant       {} (token {})",
        stack.home_assistant.base_url(),
        stack.home_assistant.token()
    );
    println!("Ready. Ctrl-C to stop.");
    tokio::select! {
        _ = stack.wait() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}

/// The whole Dewy Resort system on this machine: the REST API and the persona MCP servers over
/// sandboxes of Salesforce, Stripe, Twilio and Home Assistant, with a local token issuer. Every address is on
/// 127.0.0.1.
#[derive(Debug, clap::Parser)]
#[command(name = "dewy-local", version)]
struct Args {
    /// The port of the REST API, the MCP endpoints and the token issuer.
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// The port of the Salesforce sandbox.
    #[arg(long, default_value_t = 8090)]
    salesforce_port: u16,
    /// The port of the Stripe sandbox.
    #[arg(long, default_value_t = 8091)]
    stripe_port: u16,
    /// The port of the Twilio sandbox.
    #[arg(long, default_value_t = 8092)]
    twilio_port: u16,
    /// The port of the Home Assistant sandbox (the rooms' lights, thermostats and blinds).
    #[arg(long, default_value_t = 8093)]
    home_assistant_port: u16,
    /// The web portal's app (an npm project building to dist/), served at /. It is built at start
    /// when its sources changed since the last build.
    #[arg(long, default_value_os_t = default_web_dir())]
    web_dir: PathBuf,
    /// Serve the portal's dist/ as it is, without building it.
    #[arg(long)]
    no_portal_build: bool,
    /// How long the issuer's access and id tokens live, in seconds (a short life shows the portal
    /// refreshing them).
    #[arg(long, default_value_t = dewy_local_issuer::DEFAULT_TOKEN_TTL.as_secs(), value_parser = clap::value_parser!(u64).range(60..=86_400))]
    token_ttl_secs: u64,
    /// Read-only tool calls allowed per user per minute (the template's RateLimitReads).
    #[arg(long, default_value_t = dewy_tool::RateLimits::default().reads)]
    rate_limit_reads: u32,
    /// Side-effecting tool calls allowed per user per minute (RateLimitWrites).
    #[arg(long, default_value_t = dewy_tool::RateLimits::default().writes)]
    rate_limit_writes: u32,
    /// Payment tool calls allowed per user per minute (RateLimitPayments).
    #[arg(long, default_value_t = dewy_tool::RateLimits::default().payments)]
    rate_limit_payments: u32,
    /// A charge or refund over MCP from a client that cannot ask its person to confirm it:
    /// `refuse` (it says to use the portal) or `allow-audited` (UnconfirmableMoneyMoves).
    #[arg(long, default_value = "refuse", value_parser = |v: &str| v.parse::<dewy_mcp::Unconfirmable>())]
    unconfirmable_money_moves: dewy_mcp::Unconfirmable,
}

/// The repository's `web/`, found from this crate's place in it (shared/local).
fn default_web_dir() -> PathBuf {
    let repository = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    repository.canonicalize().unwrap_or(repository).join("web")
}

impl From<Args> for LocalOptions {
    fn from(args: Args) -> Self {
        let local = |port| SocketAddr::from(([127, 0, 0, 1], port));
        LocalOptions {
            api_addr: local(args.port),
            salesforce_addr: local(args.salesforce_port),
            stripe_addr: local(args.stripe_port),
            twilio_addr: local(args.twilio_port),
            home_assistant_addr: local(args.home_assistant_port),
            portal: Some(Portal::new(args.web_dir.join("dist"))),
            token_ttl: std::time::Duration::from_secs(args.token_ttl_secs),
            rate_limits: Some(dewy_tool::RateLimits {
                reads: args.rate_limit_reads,
                writes: args.rate_limit_writes,
                payments: args.rate_limit_payments,
            }),
            unconfirmable: args.unconfirmable_money_moves,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn help_names_every_flag_and_its_default() {
        let help = Args::try_parse_from(["dewy-local", "--help"]).unwrap_err();
        assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
        let text = help.to_string();
        for flag in [
            "--port",
            "--salesforce-port",
            "--stripe-port",
            "--twilio-port",
            "--home-assistant-port",
            "--web-dir",
            "--no-portal-build",
            "--token-ttl-secs",
            "[default: 3000]",
        ] {
            assert!(text.contains(flag), "{flag} missing from:\n{text}");
        }
    }

    #[test]
    fn ports_are_parsed_and_bad_ones_refused() {
        let options = LocalOptions::from(Args::try_parse_from(["dewy-local", "--port", "4000"]).unwrap());
        assert_eq!(options.api_addr, SocketAddr::from(([127, 0, 0, 1], 4000)));
        assert_eq!(options.stripe_addr.port(), 8091);
        assert!(Args::try_parse_from(["dewy-local", "--port", "http"]).is_err());
        assert!(Args::try_parse_from(["dewy-local", "--colour"]).is_err());
        let short = Args::try_parse_from(["dewy-local", "--token-ttl-secs", "75"]).unwrap();
        assert_eq!(LocalOptions::from(short).token_ttl.as_secs(), 75);
        assert!(Args::try_parse_from(["dewy-local", "--token-ttl-secs", "5"]).is_err());
    }

    #[test]
    fn the_portal_is_the_repositorys_web_dist_unless_named() {
        let args = Args::try_parse_from(["dewy-local"]).unwrap();
        assert!(!args.no_portal_build);
        assert!(
            args.web_dir.parent().unwrap().join("Cargo.toml").is_file(),
            "{}",
            args.web_dir.display()
        );
        assert!(args.web_dir.ends_with("web"));
        let options = LocalOptions::from(
            Args::try_parse_from(["dewy-local", "--web-dir", "/tmp/app", "--no-portal-build"]).unwrap(),
        );
        assert_eq!(options.portal.unwrap().dist, PathBuf::from("/tmp/app/dist"));
    }
}
