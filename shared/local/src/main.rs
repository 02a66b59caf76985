//! `cargo run -p dewy-local`: the whole system locally. See the README.

use dewy_local::{LocalOptions, LocalStack};
use std::net::SocketAddr;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    dewy_runtime::logging::init_local();
    let options = options_from_args(std::env::args().skip(1))?;
    let stack = LocalStack::start(options).await?;
    let sandbox = stack.salesforce.config();
    let api = &stack.api_url;
    println!("Dewy Resort MCP, local stack");
    println!("  MCP (guests)         {api}/mcp/guest");
    println!("  MCP (staff)          {api}/mcp/staff");
    println!("  REST API             {api}/api/<tool-name>, e.g. POST {api}/api/check-in-guest");
    println!("  OpenAPI document     {api}/openapi.json");
    println!("  sign in              POST {api}/auth/login {{\"email\", \"password\"}} (issuer {api}/auth)");
    println!(
        "    demo users         kay@example.com (guest), manager1@hotel.com (manager), staff1@hotel.com,"
    );
    println!(
        "                       guest1..10@hotel.com; password {}",
        dewy_auth::DEMO_PASSWORD
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
    println!("Ready. Ctrl-C to stop.");
    tokio::select! {
        _ = stack.wait() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}

fn options_from_args(args: impl Iterator<Item = String>) -> Result<LocalOptions, String> {
    let mut options = LocalOptions::default();
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let port: u16 = value
            .parse()
            .map_err(|_| format!("{flag}: '{value}' is not a port"))?;
        match flag.as_str() {
            "--port" => options.api_addr = SocketAddr::from(([127, 0, 0, 1], port)),
            "--salesforce-port" => options.salesforce_addr = SocketAddr::from(([127, 0, 0, 1], port)),
            "--stripe-port" => options.stripe_addr = SocketAddr::from(([127, 0, 0, 1], port)),
            "--twilio-port" => options.twilio_addr = SocketAddr::from(([127, 0, 0, 1], port)),
            _ => {
                return Err(format!(
                    "unknown flag {flag}; flags: --port N (3000), --salesforce-port N (8090), \
                     --stripe-port N (8091), --twilio-port N (8092)"
                ));
            }
        }
    }
    Ok(options)
}
