//! Shared set-up: a sandbox and a connector pointed at it.

use dewy_connector::{CallRecorder, Deadline, RetryPolicy, Secret};
use dewy_homeassistant::{EntityId, HomeAssistant, HomeAssistantConfig};
use dewy_homeassistant_sandbox::{HomeAssistantConfig as SandboxConfig, HomeAssistantSandbox};
use std::time::Duration;

/// A sandbox and a connector authenticating with its token.
pub struct Env {
    pub sandbox: HomeAssistantSandbox,
    pub client: HomeAssistant,
}

/// Retries that wait at most a few milliseconds, so that retry tests stay fast.
pub fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base: Duration::from_millis(2),
        cap: Duration::from_millis(5),
    }
}

/// A configuration for `base_url` with `token` and quick retries.
pub fn config_for(base_url: &str, token: &str) -> HomeAssistantConfig {
    let url = url::Url::parse(base_url).expect("the base URL parses");
    HomeAssistantConfig::new(url, Secret::new(token)).with_retry(quick_retries(3))
}

pub async fn start() -> Env {
    start_with(|config| config).await
}

/// A default sandbox and a connector whose default configuration `adjust` changes.
pub async fn start_with(adjust: impl FnOnce(HomeAssistantConfig) -> HomeAssistantConfig) -> Env {
    let sandbox = HomeAssistantSandbox::start(SandboxConfig::default())
        .await
        .expect("the sandbox starts");
    let config = adjust(config_for(&sandbox.base_url(), sandbox.token()));
    let client = HomeAssistant::new(config, dewy_connector::http_client());
    Env { sandbox, client }
}

/// A clone of `client` recording into a fresh recorder, with a generous deadline.
pub fn scoped(client: &HomeAssistant) -> (HomeAssistant, CallRecorder) {
    let recorder = CallRecorder::new();
    (
        client.scoped(recorder.clone(), Deadline::after(Duration::from_secs(30))),
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

pub fn id(text: &str) -> EntityId {
    EntityId::parse(text).expect("a valid entity id")
}

impl Env {
    /// The sandbox's own view of an entity's `state` string (no request through the connector).
    pub fn device_state(&self, entity_id: &str) -> String {
        let state = self.sandbox.state(entity_id).expect("the entity exists");
        state["state"].as_str().expect("a state string").to_owned()
    }
}
