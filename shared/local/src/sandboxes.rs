//! The four backend sandboxes, and the production connectors pointed at them.

use dewy_connector::Secret;
use dewy_homeassistant::{HomeAssistant, HomeAssistantConfig};
use dewy_homeassistant_sandbox::HomeAssistantSandbox;
use dewy_idempotency::IdempotencyStore;
use dewy_notifier::{LocalOutbox, Notifier};
use dewy_salesforce::{Credentials, Salesforce, SalesforceConfig};
use dewy_salesforce_sandbox::{Sandbox, SandboxConfig};
use dewy_stripe::{Stripe, StripeConfig};
use dewy_stripe_sandbox::{StripeSandbox, StripeSandboxConfig};
use dewy_tool::{Backends, Sms};
use dewy_twilio::{AccountSid, E164, SenderId, Twilio, TwilioConfig};
use dewy_twilio_sandbox::{TwilioSandbox, TwilioSandboxConfig};
use std::net::SocketAddr;
use std::sync::Arc;

/// The number maintenance requests are texted to locally (a fictional 555-01xx number).
pub const ON_CALL_NUMBER: &str = "+15550100999";

/// Salesforce (seeded with the hotel's demo data), Stripe, Twilio and Home Assistant (the rooms'
/// devices), each on its own port.
pub struct Sandboxes {
    /// The Salesforce sandbox.
    pub salesforce: Sandbox,
    /// The Stripe sandbox.
    pub stripe: StripeSandbox,
    /// The Twilio sandbox.
    pub twilio: TwilioSandbox,
    /// The Home Assistant sandbox.
    pub home_assistant: HomeAssistantSandbox,
}

impl Sandboxes {
    /// Starts the four on the given addresses (port 0: the OS picks).
    pub async fn start(addrs: SandboxAddrs) -> std::io::Result<Self> {
        Ok(Sandboxes {
            salesforce: Sandbox::start_on(addrs.salesforce, SandboxConfig::default()).await?,
            stripe: StripeSandbox::start_on(addrs.stripe, StripeSandboxConfig::default()).await?,
            twilio: TwilioSandbox::start_on(addrs.twilio, TwilioSandboxConfig::default()).await?,
            home_assistant: HomeAssistantSandbox::start_on(addrs.home_assistant, Default::default()).await?,
        })
    }

    /// Starts the four on ports the OS picks (tests, benchmarks).
    pub async fn ephemeral() -> std::io::Result<Self> {
        Self::start(SandboxAddrs::ephemeral()).await
    }

    /// The production connectors, pointed at the sandboxes with their credentials, an in-memory
    /// idempotency store (the local default; the Lambda functions use DynamoDB), and texts delivered
    /// to the Twilio sandbox by a task of this process (the Lambda functions queue them on SQS).
    /// Call it inside a Tokio runtime: the task is started on it.
    pub fn backends(&self) -> Backends {
        Self::backends_of(&self.salesforce, &self.stripe, &self.twilio, &self.home_assistant)
    }

    /// [`Sandboxes::backends`] for sandboxes held elsewhere.
    pub fn backends_of(
        salesforce: &Sandbox,
        stripe: &StripeSandbox,
        twilio: &TwilioSandbox,
        home_assistant: &HomeAssistantSandbox,
    ) -> Backends {
        let http = dewy_connector::http_client();
        let connector = Salesforce::new(salesforce_config(salesforce), http.clone());
        let store: Arc<dyn IdempotencyStore> = Arc::new(dewy_idempotency::MemoryStore::new());
        let notifier = Notifier::new(
            Twilio::new(twilio_config(twilio), http.clone()),
            Arc::clone(&store),
        );
        Backends::new(connector, store)
            .with_stripe(Stripe::new(stripe_config(stripe), http.clone()))
            .with_sms(Sms {
                outbox: Arc::new(LocalOutbox::start(notifier)),
                on_call: E164::parse(ON_CALL_NUMBER).ok(),
            })
            .with_home_assistant(HomeAssistant::new(home_assistant_config(home_assistant), http))
    }
}

/// Where the sandboxes listen.
#[derive(Debug, Clone, Copy)]
pub struct SandboxAddrs {
    /// Salesforce.
    pub salesforce: SocketAddr,
    /// Stripe.
    pub stripe: SocketAddr,
    /// Twilio.
    pub twilio: SocketAddr,
    /// Home Assistant.
    pub home_assistant: SocketAddr,
}

impl SandboxAddrs {
    /// Every sandbox on a port the OS picks.
    pub fn ephemeral() -> Self {
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        SandboxAddrs {
            salesforce: any,
            stripe: any,
            twilio: any,
            home_assistant: any,
        }
    }
}

/// The Home Assistant connector's configuration for `sandbox`: its URL and token.
pub fn home_assistant_config(sandbox: &HomeAssistantSandbox) -> HomeAssistantConfig {
    HomeAssistantConfig::new(url(&sandbox.base_url()), Secret::new(sandbox.token().to_owned()))
}

/// The Salesforce connector's configuration for `sandbox`.
pub fn salesforce_config(sandbox: &Sandbox) -> SalesforceConfig {
    let config = sandbox.config();
    SalesforceConfig::new(
        url(&sandbox.base_url()),
        Credentials::ClientCredentials {
            client_id: config.client_id.clone(),
            client_secret: Secret::new(config.client_secret.clone()),
        },
    )
}

fn stripe_config(sandbox: &StripeSandbox) -> StripeConfig {
    StripeConfig::new(
        url(&sandbox.base_url()),
        Secret::new(sandbox.api_key().to_owned()),
    )
}

/// The Twilio connector's configuration for `sandbox`.
pub fn twilio_config(sandbox: &TwilioSandbox) -> TwilioConfig {
    let config = sandbox.config();
    let account = AccountSid::parse(&config.account_sid).expect("the sandbox's account sid is valid");
    let from = E164::parse(&config.phone_number).expect("the sandbox's number is E.164");
    TwilioConfig::new(
        url(&sandbox.base_url()),
        account.clone(),
        dewy_twilio::Credentials::AuthToken {
            account_sid: account,
            auth_token: Secret::new(config.auth_token.clone()),
        },
        SenderId::Number(from),
    )
}

fn url(base: &str) -> url::Url {
    base.parse().expect("a sandbox's base URL is a URL")
}
