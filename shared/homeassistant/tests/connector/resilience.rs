//! What is retried and what is not, and the circuit breaker, against injected faults.

use crate::common::{self, id, operations, quick_retries, scoped};
use dewy_connector::{BreakerConfig, RetryPolicy};
use dewy_homeassistant::{HomeAssistant, HomeAssistantError, ServiceCall};
use dewy_homeassistant_sandbox::{Fault, FaultRule, HomeAssistantConfig as SandboxConfig};
use std::time::{Duration, Instant};

const SERVICES: &str = "/api/services/";

fn dim_bedside(brightness: u8) -> ServiceCall {
    ServiceCall::LightOn {
        entity_id: id("light.room_101_bedside"),
        brightness: Some(brightness),
        hs_color: None,
        effect: None,
    }
}

/// A read that meets a 500 is retried and succeeds; both attempts are recorded calls.
#[tokio::test]
async fn a_read_is_retried_after_a_server_error() {
    let env = common::start().await;
    env.sandbox.add_fault(FaultRule::new(Fault::ServerError).times(1));
    let (client, recorder) = scoped(&env.client);
    let state = client.state(&id("climate.room_101")).await.expect("retried");
    assert_eq!(state.state, "heat");
    let get = "get state".to_owned();
    assert_eq!(operations(&recorder), [(get.clone(), false), (get, true)]);
    assert_eq!(env.sandbox.request_count(), 2);
}

/// A service call is retried too (it sets an absolute state).
#[tokio::test]
async fn a_service_call_is_retried_after_a_server_error() {
    let env = common::start().await;
    env.sandbox
        .add_fault(FaultRule::new(Fault::ServerError).path(SERVICES).times(2));
    let (client, recorder) = scoped(&env.client);
    let changed = client.call(&dim_bedside(60)).await.expect("retried");
    assert_eq!(changed[0].light().and_then(|l| l.brightness), Some(60));
    let oks: Vec<bool> = operations(&recorder).into_iter().map(|(_, ok)| ok).collect();
    assert_eq!(oks, [false, false, true]);
    assert_eq!(env.sandbox.request_count(), 3);
}

/// Why a repeat is safe: a call applied whose answer was lost (a 500 after handling, a dropped
/// connection) is sent again, and the lamp ends as asked, once. The repeat changed nothing, so it
/// answers an empty list.
#[tokio::test]
async fn a_call_whose_answer_was_lost_is_repeated_harmlessly() {
    let env = common::start().await;
    for fault in [Fault::ServerError, Fault::DropConnection] {
        env.sandbox.reset();
        env.sandbox
            .add_fault(FaultRule::new(fault).path(SERVICES).times(1).after_handling());
        let changed = env.client.call(&dim_bedside(90)).await.expect("repeated");
        assert!(changed.is_empty(), "{fault:?}: {changed:?}");
        let lamp = env.sandbox.state("light.room_101_bedside").expect("lamp");
        assert_eq!(
            (lamp["state"].as_str(), lamp["attributes"]["brightness"].as_u64()),
            (Some("on"), Some(90))
        );
        assert_eq!(env.sandbox.request_count(), 2, "{fault:?}");
    }
}

/// Unavailability that outlasts the retries is returned as Unavailable with its status.
#[tokio::test]
async fn persistent_unavailability_is_returned_after_the_last_attempt() {
    let env = common::start().await;
    env.sandbox.add_fault(FaultRule::new(Fault::ServerError));
    let error = env.client.states().await.expect_err("500");
    assert!(
        matches!(
            error,
            HomeAssistantError::Unavailable {
                status: Some(500),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(env.sandbox.request_count(), 3);
}

/// A 429 waits for `Retry-After` (1 s from the sandbox, capped by the policy at 250 ms here)
/// instead of its own backoff (at most 1 ms here).
#[tokio::test]
async fn a_rate_limited_read_waits_for_retry_after() {
    let policy = RetryPolicy {
        max_attempts: 3,
        base: Duration::from_millis(1),
        cap: Duration::from_millis(250),
    };
    let env = common::start_with(|c| c.with_retry(policy)).await;
    env.sandbox.add_fault(FaultRule::new(Fault::RateLimited).times(1));
    let started = Instant::now();
    env.client.api_status().await.expect("retried");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(245), "{elapsed:?}");
}

/// A refused connection is Unavailable without a status, retried until the attempts run out.
#[tokio::test]
async fn a_refused_connection_is_retried_then_unavailable() {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    let config = common::config_for(&format!("http://{addr}"), SandboxConfig::DEFAULT_TOKEN);
    let client = HomeAssistant::new(config, dewy_connector::http_client());
    let (client, recorder) = scoped(&client);
    let error = client.api_status().await.expect_err("refused");
    assert!(
        matches!(&error, HomeAssistantError::Unavailable { status: None, message } if message.starts_with("could not connect")),
        "{error:?}"
    );
    assert_eq!(operations(&recorder), vec![("api status".to_owned(), false); 3]);
}

/// Consecutive unavailability opens the breaker: calls then fail at once without a request, and
/// after the cool-down a probe that succeeds closes it again.
#[tokio::test]
async fn the_breaker_opens_fails_fast_and_recovers() {
    let breaker = BreakerConfig {
        failure_threshold: 2,
        cool_down: Duration::from_millis(300),
    };
    let env = common::start_with(|c| c.with_breaker(breaker).with_retry(RetryPolicy::none())).await;
    env.sandbox.add_fault(FaultRule::new(Fault::ServerError));
    for _ in 0..2 {
        let error = env.client.states().await.expect_err("500");
        assert_eq!(error.status(), Some(500));
    }
    let (client, recorder) = scoped(&env.client);
    let started = Instant::now();
    let refused = client.call(&dim_bedside(30)).await.expect_err("open");
    assert_eq!(refused, HomeAssistantError::CircuitOpen);
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(env.sandbox.request_count(), 2);
    assert!(recorder.calls().is_empty());
    env.sandbox.clear_faults();
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(client.states().await.is_ok());
    assert!(client.call(&dim_bedside(30)).await.is_ok());
}

/// Refusals (4xx) show HA is alive: they never open the breaker, even at a threshold of one.
#[tokio::test]
async fn refusals_do_not_open_the_breaker() {
    let breaker = BreakerConfig {
        failure_threshold: 1,
        cool_down: Duration::from_secs(60),
    };
    let env = common::start_with(|c| c.with_breaker(breaker).with_retry(quick_retries(1))).await;
    for _ in 0..3 {
        let missing = env.client.state(&id("light.room_999_main")).await;
        assert_eq!(missing.expect_err("404"), HomeAssistantError::NotFound);
    }
    assert!(env.client.api_status().await.is_ok());
}
