//! The three backend sandboxes, and the production connectors pointed at them.

use dewy_connector::Secret;
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

/// Salesforce (seeded with the hotel's demo data), Stripe and Twilio, each on its own port.
pub struct Sandboxes {
    /// The Salesforce sandbox.
    pub salesforce: Sandbox,
    /// The Stripe sandbox.
    pub stripe: StripeSandbox,
    /// The Twilio sandbox.
    pub twilio: TwilioSandbox,
}

impl Sandboxes {
    /// Starts the three on the given addresses (port 0: the OS picks).
    pub async fn start(
        salesforce: SocketAddr,
        stripe: SocketAddr,
        twilio: SocketAddr,
    ) -> std::io::Result<Self> {
        Ok(Sandboxes {
            salesforce: Sandbox::start_on(salesforce, SandboxConfig::default()).await?,
            stripe: StripeSandbox::start_on(stripe, StripeSandboxConfig::default()).await?,
            twilio: TwilioSandbox::start_on(twilio, TwilioSandboxConfig::default()).await?,
        })
    }

    /// Starts the three on ports the OS picks (tests, benchmarks).
    pub async fn ephemeral() -> std::io::Result<Self> {
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        Self::start(any, any, any).await
    }

    /// The production connectors, pointed at the sandboxes with their credentials, an in-memory
    /// idempotency store (the local default; the Lambda functions use DynamoDB), and texts delivered
    /// to the Twilio sandbox by a task of this process (the Lambda functions queue them on SQS).
    /// Call it inside a Tokio runtime: the task is started on it.
    pub fn backends(&self) -> Backends {
        Self::backends_of(&self.salesforce, &self.stripe, &self.twilio)
    }

    /// [`Sandboxes::backends`] for sandboxes held elsewhere.
    pub fn backends_of(salesforce: &Sandbox, stripe: &StripeSandbox, twilio: &TwilioSandbox) -> Backends {
        let http = dewy_connector::http_client();
        let connector = Salesforce::new(salesforce_config(salesforce), http.clone());
        let store: Arc<dyn IdempotencyStore> = Arc::new(dewy_idempotency::MemoryStore::new());
        let notifier = Notifier::new(
            Twilio::new(twilio_config(twilio), http.clone()),
            Arc::clone(&store),
        );
        Backends::new(connector, store)
            .with_stripe(Stripe::new(stripe_config(stripe), http))
            .with_sms(Sms {
                outbox: Arc::new(LocalOutbox::start(notifier)),
                on_call: E164::parse(ON_CALL_NUMBER).ok(),
            })
    }
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
