//! The client: one per container, cloned per invocation with that invocation's recorder and deadline.

mod rules;
mod transport;

use crate::{EntityId, EntityState, HomeAssistantConfig, HomeAssistantError, InstanceConfig, ServiceCall};
use dewy_connector::{Backend, CallRecorder, CircuitBreaker, Deadline};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

/// The Home Assistant connector.
///
/// Build it once per container with [`HomeAssistant::new`]; cloning is cheap (an `Arc`) and every
/// clone shares the HTTP client and the circuit breaker. Per invocation, [`HomeAssistant::scoped`]
/// makes a clone that records its calls and respects the invocation's deadline.
///
/// # Retries
/// Reads and every [`ServiceCall`] are repeated after a connect failure, a broken connection, a
/// request timeout, a 5xx or a 429 ([`HomeAssistantError::Unavailable`]), honouring `Retry-After`,
/// as long as the next attempt can start before the deadline. A service call is safe to repeat even
/// when its answer was lost, because each one sets an absolute state (there is no toggle). A 4xx is
/// never repeated. This is the only retry layer: callers must not retry connector calls themselves.
///
/// # Breaker and deadline
/// Consecutive unavailability opens the container's breaker: calls then fail at once with
/// [`HomeAssistantError::CircuitOpen`] until a probe after the cool-down succeeds. Each request is
/// bounded by what is left of the deadline (and the configured request timeout); once the deadline
/// passes a call fails with [`HomeAssistantError::DeadlineExceeded`], never hangs.
#[derive(Clone)]
pub struct HomeAssistant {
    inner: Arc<Inner>,
    recorder: Option<CallRecorder>,
    deadline: Option<Deadline>,
}

struct Inner {
    config: HomeAssistantConfig,
    http: reqwest::Client,
    /// The container's Home Assistant breaker: every clone and every invocation counts into it.
    breaker: CircuitBreaker,
}

impl std::fmt::Debug for HomeAssistant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HomeAssistant")
            .field("base_url", &self.inner.config.base_url.as_str())
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// `GET /api/`'s answer, `{"message": "API running."}`: proof that HA itself answered, not a page
/// in front of it.
#[derive(Deserialize)]
struct ApiRunning {
    #[allow(dead_code, reason = "decoded only to check the answer's shape")]
    message: String,
}

impl HomeAssistant {
    /// A client for `config`, sending through `http` (the container's shared client, see
    /// [`dewy_connector::http_client`]). No request is made until the first call.
    pub fn new(config: HomeAssistantConfig, http: reqwest::Client) -> Self {
        HomeAssistant {
            inner: Arc::new(Inner {
                breaker: CircuitBreaker::new(Backend::HomeAssistant, config.breaker),
                config,
                http,
            }),
            recorder: None,
            deadline: None,
        }
    }

    /// A clone whose calls are recorded in `recorder` and bounded by `deadline`: each call's
    /// timeout is `deadline.call_timeout(request_timeout)`, and once the deadline has passed calls
    /// fail with [`HomeAssistantError::DeadlineExceeded`] without a request.
    pub fn scoped(&self, recorder: CallRecorder, deadline: Deadline) -> HomeAssistant {
        HomeAssistant {
            inner: Arc::clone(&self.inner),
            recorder: Some(recorder),
            deadline: Some(deadline),
        }
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &HomeAssistantConfig {
        &self.inner.config
    }

    /// `GET /api/`: whether HA is up and accepts the token.
    pub async fn api_status(&self) -> Result<(), HomeAssistantError> {
        let url = self.endpoint(&["api", ""])?;
        let _: ApiRunning = self
            .execute("api status", || self.inner.http.get(url.clone()))
            .await?;
        Ok(())
    }

    /// `GET /api/config`: the instance's name, version and units.
    pub async fn instance_config(&self) -> Result<InstanceConfig, HomeAssistantError> {
        let url = self.endpoint(&["api", "config"])?;
        self.execute("get config", || self.inner.http.get(url.clone()))
            .await
    }

    /// `GET /api/states`: every entity's state.
    pub async fn states(&self) -> Result<Vec<EntityState>, HomeAssistantError> {
        let url = self.endpoint(&["api", "states"])?;
        let states = self
            .execute("get states", || self.inner.http.get(url.clone()))
            .await?;
        Ok(decode_states(states))
    }

    /// `GET /api/states/<entity_id>`: one entity's state; [`HomeAssistantError::NotFound`] when HA
    /// has no such entity.
    pub async fn state(&self, id: &EntityId) -> Result<EntityState, HomeAssistantError> {
        let url = self.endpoint(&["api", "states", id.as_str()])?;
        self.execute("get state", || self.inner.http.get(url.clone()))
            .await
    }

    /// `POST /api/services/<domain>/<service>`: makes the call and answers the states that changed
    /// during it: the entity's new state, nothing when it already was in that state (or when HA has
    /// no such entity: HA ignores unknown ids), and possibly others an automation changed meanwhile.
    /// An empty answer is not proof that nothing changed: when a first attempt was applied but its
    /// answer lost, the retry finds the entity already as asked. Read the state when it matters.
    ///
    /// A call whose entity is not of the service's domain (`light.turn_on` on a `climate.*`) is
    /// refused as [`HomeAssistantError::BadRequest`] without a request: HA would silently ignore it.
    pub async fn call(&self, call: &ServiceCall) -> Result<Vec<EntityState>, HomeAssistantError> {
        let entity_id = call.entity_id();
        if entity_id.domain() != call.domain() {
            return Err(HomeAssistantError::BadRequest {
                message: format!("{} cannot act on {entity_id}", call.name()),
            });
        }
        let url = self.endpoint(&["api", "services", call.domain(), call.service()])?;
        let body = call.data();
        let operation = format!("call {}", call.name());
        let request = || self.inner.http.post(url.clone()).json(&body);
        let result = self.execute(&operation, request).await.map(decode_states);
        match &result {
            Ok(changed) => tracing::info!(
                service = %call.name(), %entity_id, changed = changed.len(),
                "Home Assistant service called"
            ),
            Err(error) => tracing::warn!(
                service = %call.name(), %entity_id, status = error.status(), %error,
                "Home Assistant service call failed"
            ),
        }
        result
    }
}

/// Decodes a list of state objects one by one, leaving out (and logging) any that does not decode:
/// one odd entity of some integration must not hide every other from the hotel.
fn decode_states(values: Vec<Value>) -> Vec<EntityState> {
    values
        .into_iter()
        .filter_map(|value| {
            let entity_id = value.get("entity_id").and_then(Value::as_str).map(str::to_owned);
            serde_json::from_value(value)
                .inspect_err(|error| {
                    tracing::warn!(?entity_id, %error, "Home Assistant state left out: it does not decode");
                })
                .ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dewy_connector::Secret;
    use serde_json::json;

    fn assert_send<T: Send + 'static>(_: &T) {}
    fn assert_send_sync<T: Send + Sync>() {}

    fn home_assistant(base: &str) -> HomeAssistant {
        let url = url::Url::parse(base).expect("url");
        let config = HomeAssistantConfig::new(url, Secret::new("s3cret-token"));
        HomeAssistant::new(config, reqwest::Client::new())
    }

    /// The client and its calls can move between threads (tools run calls side by side).
    #[test]
    fn the_client_and_its_futures_are_send() {
        assert_send_sync::<HomeAssistant>();
        let client = home_assistant("http://127.0.0.1:8123");
        let id = EntityId::parse("light.room_101_main").expect("id");
        assert_send(&async move { client.state(&id).await });
        assert!(!format!("{:?}", home_assistant("http://h:1")).contains("s3cret"));
    }

    /// Paths go under the base URL, whether it has a path prefix or a trailing slash.
    #[test]
    fn endpoints_are_built_under_the_base_url() {
        for (base, expected) in [
            (
                "http://127.0.0.1:8123",
                "http://127.0.0.1:8123/api/states/light.a",
            ),
            (
                "http://127.0.0.1:8123/",
                "http://127.0.0.1:8123/api/states/light.a",
            ),
            (
                "https://proxy.example/ha/?x=1#f",
                "https://proxy.example/ha/api/states/light.a",
            ),
        ] {
            let url = home_assistant(base).endpoint(&["api", "states", "light.a"]);
            assert_eq!(url.expect("url").as_str(), expected);
        }
        let status = home_assistant("http://127.0.0.1:8123").endpoint(&["api", ""]);
        assert_eq!(status.expect("url").as_str(), "http://127.0.0.1:8123/api/");
        let unusable = home_assistant("mailto:ha@example.com").endpoint(&["api"]);
        assert!(matches!(unusable, Err(HomeAssistantError::InvalidConfig(_))));
    }

    /// A list with one odd state keeps the others.
    #[test]
    fn an_undecodable_state_is_left_out_of_a_list() {
        let good = json!({"entity_id": "light.a", "state": "on", "attributes": {},
            "last_changed": "2026-12-06T16:00:00+00:00", "last_updated": "2026-12-06T16:00:00+00:00"});
        let odd = json!({"entity_id": "light.B", "state": "on"});
        let states = decode_states(vec![good, odd, json!(3)]);
        assert_eq!(states.len(), 1);
        assert_eq!(states[0].entity_id.as_str(), "light.a");
    }

    /// A call on an entity of another domain never leaves.
    #[tokio::test]
    async fn a_call_on_the_wrong_domain_is_refused_without_a_request() {
        let client = home_assistant("http://127.0.0.1:9");
        let recorder = CallRecorder::new();
        let client = client.scoped(
            recorder.clone(),
            Deadline::after(std::time::Duration::from_secs(5)),
        );
        let call = ServiceCall::LightOff {
            entity_id: EntityId::parse("climate.room_101").expect("id"),
        };
        let error = client.call(&call).await.expect_err("refused");
        assert_eq!(
            error,
            HomeAssistantError::BadRequest {
                message: "light.turn_off cannot act on climate.room_101".into()
            }
        );
        assert!(recorder.calls().is_empty());
    }
}
