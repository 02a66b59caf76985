//! What is retried and what is not, and the circuit breaker, against injected faults.

use crate::common::{self, id, operations, quick_retries, scoped};
use crate::fake::TOKEN;
use dewy_connector::{BreakerConfig, RetryPolicy};
use dewy_homeassistant::{HomeAssistant, HomeAssistantError, ServiceCall};
use std::time::{Duration, Instant};

/// A read that meets a 503 is retried and succeeds; both attempts are recorded calls.
#[tokio::test]
async fn a_read_is_retried_after_a_503() {
    let env = common::start().await;
    env.ha.fail_next(503, 1);
    let (client, recorder) = scoped(&env.client);
    let state = client.state(&id("climate.room_101")).await.expect("retried");
    assert_eq!(state.state, "heat");
    let get = "get state".to_owned();
    assert_eq!(operations(&recorder), [(get.clone(), false), (get, true)]);
    assert_eq!(env.ha.request_count(), 2);
}

/// A service call is retried too (it sets an absolute state), and is applied once.
#[tokio::test]
async fn a_service_call_is_retried_after_a_503() {
    let env = common::start().await;
    env.ha.fail_next(503, 2);
    let (client, recorder) = scoped(&env.client);
    let call = ServiceCall::LightOn {
        entity_id: id("light.room_101_bedside"),
        brightness: Some(60),
        hs_color: None,
    };
    let changed = client.call(&call).await.expect("retried");
    assert_eq!(changed[0].light().and_then(|l| l.brightness), Some(60));
    let oks: Vec<bool> = operations(&recorder).into_iter().map(|(_, ok)| ok).collect();
    assert_eq!(oks, [false, false, true]);
    assert_eq!(env.ha.request_count(), 3);
    assert_eq!(env.ha.calls().len(), 1, "handled once: the 503s never reached it");
}

/// Unavailability that outlasts the retries is returned as Unavailable with its status.
#[tokio::test]
async fn persistent_unavailability_is_returned_after_the_last_attempt() {
    let env = common::start().await;
    env.ha.fail_next(502, 3);
    let error = env.client.states().await.expect_err("502");
    assert!(
        matches!(
            error,
            HomeAssistantError::Unavailable {
                status: Some(502),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(env.ha.request_count(), 3);
}

/// A 429 waits for `Retry-After` (1 s from the stand-in, capped by the policy at 250 ms here)
/// instead of its own backoff (at most 1 ms here).
#[tokio::test]
async fn a_rate_limited_read_waits_for_retry_after() {
    let policy = RetryPolicy {
        max_attempts: 3,
        base: Duration::from_millis(1),
        cap: Duration::from_millis(250),
    };
    let env = common::start_with(|c| c.with_retry(policy)).await;
    env.ha.fail_next(429, 1);
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
    let config = common::config_for(&format!("http://{addr}"), TOKEN);
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
    env.ha.fail_next(503, 2);
    for _ in 0..2 {
        let error = env.client.states().await.expect_err("503");
        assert_eq!(error.status(), Some(503));
    }
    let (client, recorder) = scoped(&env.client);
    let started = Instant::now();
    let refused = client.states().await.expect_err("open");
    assert_eq!(refused, HomeAssistantError::CircuitOpen);
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(env.ha.request_count(), 2);
    assert!(recorder.calls().is_empty());
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(client.states().await.is_ok());
    assert!(client.api_status().await.is_ok());
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
