//! Shared set-up: a sandbox and a connector pointed at it.

use dewy_connector::{CallRecorder, Deadline, Secret};
use dewy_twilio::{AccountSid, Credentials, E164, SenderId, Twilio, TwilioConfig};
use dewy_twilio_sandbox::{TwilioSandbox, TwilioSandboxConfig};
use std::time::Duration;

/// A sandbox and a connector authenticating with the sandbox account's auth token.
pub struct Env {
    pub sandbox: TwilioSandbox,
    pub twilio: Twilio,
}

/// An ordinary recipient the sandbox accepts.
pub const GUEST: &str = "+15558675310";
/// A short body.
pub const BODY: &str = "Dewy Resort: your room 204 is ready.";

pub fn number(text: &str) -> E164 {
    E164::parse(text).expect("a valid test number")
}

pub fn guest() -> E164 {
    number(GUEST)
}

pub async fn sandbox_with(config: TwilioSandboxConfig) -> TwilioSandbox {
    TwilioSandbox::start(config).await.expect("the sandbox starts")
}

pub fn account(sandbox: &TwilioSandbox) -> AccountSid {
    AccountSid::parse(&sandbox.config().account_sid).expect("the sandbox's account SID parses")
}

/// A configuration for `base_url` with the sandbox's account, auth token and number.
pub fn config_for(base_url: &str, sandbox: &TwilioSandboxConfig) -> TwilioConfig {
    let account = AccountSid::parse(&sandbox.account_sid).expect("account SID");
    let auth = Credentials::AuthToken {
        account_sid: account.clone(),
        auth_token: Secret::new(sandbox.auth_token.clone()),
    };
    let from = SenderId::Number(number(&sandbox.phone_number));
    let url = url::Url::parse(base_url).expect("the base URL parses");
    TwilioConfig::new(url, account, auth, from)
}

pub async fn start() -> Env {
    start_with(|config| config).await
}

/// A default sandbox and a connector whose default configuration `adjust` changes.
pub async fn start_with(adjust: impl FnOnce(TwilioConfig) -> TwilioConfig) -> Env {
    let sandbox = sandbox_with(TwilioSandboxConfig::default()).await;
    let config = adjust(config_for(&sandbox.base_url(), sandbox.config()));
    let twilio = Twilio::new(config, dewy_connector::http_client());
    Env { sandbox, twilio }
}

/// A clone of `twilio` recording into a fresh recorder, with a generous deadline.
pub fn scoped(twilio: &Twilio) -> (Twilio, CallRecorder) {
    let recorder = CallRecorder::new();
    (
        twilio.scoped(recorder.clone(), Deadline::after(Duration::from_secs(30))),
        recorder,
    )
}

/// The operations recorded, in order, with their ok flags.
pub fn operations(recorder: &CallRecorder) -> Vec<(String, bool)> {
    recorder
        .calls()
        .into_iter()
        .map(|c| (c.operation, c.ok))
        .collect()
}
