//! What is retried and what is not, and the circuit breaker, against injected faults.

use crate::common::{self, BODY, guest, operations, scoped};
use dewy_connector::{BreakerConfig, RetryPolicy};
use dewy_twilio::{Twilio, TwilioError};
use dewy_twilio_sandbox::{Fault, FaultRule, TwilioSandbox, TwilioSandboxConfig};
use reqwest::Method;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const SEND_PATH: &str = "/Messages.json";
const FETCH_PATH: &str = "/Messages/";

/// A 500 on a send is returned, not retried: exactly one request, one recorded call, nothing stored.
#[tokio::test]
async fn a_server_error_on_a_send_is_not_retried() {
    // GIVEN the default retry policy (3 attempts) and one 500 on the next send
    let env = common::start().await;
    env.sandbox
        .add_fault(FaultRule::new(Fault::ServerError).path(SEND_PATH).times(1));
    let (twilio, recorder) = scoped(&env.twilio);
    // WHEN sending
    let error = twilio.send_sms(&guest(), BODY).await.expect_err("500");
    // THEN the 500 comes back after one request
    assert!(
        matches!(
            error,
            TwilioError::Api {
                status: 500,
                code: Some(20500),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable() && error.may_have_been_sent());
    assert_eq!(env.sandbox.request_count(), 1);
    assert_eq!(operations(&recorder), [("send sms".to_owned(), false)]);
}

/// Why: a 500 that strikes after Twilio stored the message leaves one message, not two.
#[tokio::test]
async fn a_failure_after_the_message_was_stored_does_not_duplicate_it() {
    let env = common::start().await;
    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .path(SEND_PATH)
            .times(1)
            .after_handling(),
    );
    let error = env.twilio.send_sms(&guest(), BODY).await.expect_err("500");
    assert!(error.may_have_been_sent());
    assert_eq!(env.sandbox.messages().len(), 1, "sent once, never twice");
    assert_eq!(env.sandbox.request_count(), 1);
}

/// A connection dropped during a send, and a 429, are returned as they are: one request each.
#[tokio::test]
async fn dropped_connections_and_rate_limits_on_a_send_are_not_retried() {
    let env = common::start().await;
    env.sandbox
        .add_fault(FaultRule::new(Fault::DropConnection).path(SEND_PATH).times(1));
    let dropped = env.twilio.send_sms(&guest(), BODY).await.expect_err("dropped");
    assert!(matches!(dropped, TwilioError::Connection(_)), "{dropped:?}");
    assert!(dropped.may_have_been_sent());
    env.sandbox
        .add_fault(FaultRule::new(Fault::RateLimited).path(SEND_PATH).times(1));
    let limited = env.twilio.send_sms(&guest(), BODY).await.expect_err("429");
    assert!(matches!(limited, TwilioError::RateLimited { .. }), "{limited:?}");
    assert_eq!(limited.retry_after(), Some(Duration::from_secs(1)));
    assert!(!limited.may_have_been_sent());
    assert_eq!(env.sandbox.request_count(), 2);
    assert!(env.sandbox.messages().is_empty());
}

/// A read that meets a 500 is retried and succeeds; both attempts are recorded calls.
#[tokio::test]
async fn a_fetch_is_retried_after_a_server_error() {
    let env = common::start().await;
    let sent = env.twilio.send_sms(&guest(), BODY).await.expect("sent");
    env.sandbox.add_fault(
        FaultRule::new(Fault::ServerError)
            .path(FETCH_PATH)
            .method(Method::GET)
            .times(1),
    );
    let (twilio, recorder) = scoped(&env.twilio);
    let read = twilio.fetch_message(&sent.sid).await.expect("retried");
    assert_eq!(read.sid, sent.sid);
    let fetch = "fetch message".to_owned();
    assert_eq!(operations(&recorder), [(fetch.clone(), false), (fetch, true)]);
    assert_eq!(env.sandbox.request_count(), 3);
}

/// A rate-limited read waits for `Retry-After` (1 s from the sandbox, capped by the policy at
/// 250 ms here) instead of its own backoff (at most 1 ms here).
#[tokio::test]
async fn a_rate_limited_fetch_waits_for_retry_after() {
    let policy = RetryPolicy {
        max_attempts: 3,
        base: Duration::from_millis(1),
        cap: Duration::from_millis(250),
    };
    let env = common::start_with(|c| c.with_retry(policy)).await;
    let sent = env.twilio.send_sms(&guest(), BODY).await.expect("sent");
    env.sandbox
        .add_fault(FaultRule::new(Fault::RateLimited).path(FETCH_PATH).times(1));
    let started = Instant::now();
    assert!(env.twilio.fetch_message(&sent.sid).await.is_ok());
    assert!(
        started.elapsed() >= Duration::from_millis(245),
        "{:?}",
        started.elapsed()
    );
}

/// An address nobody listens on: connections to it are refused.
fn closed_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address")
}

/// A refused connection means nothing was sent, so even a send is retried: every attempt is
/// recorded, and the last error is a Connect error that says nothing went out.
#[tokio::test]
async fn a_send_whose_connection_is_refused_is_retried() {
    let addr = closed_address();
    let policy = RetryPolicy {
        max_attempts: 3,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(5),
    };
    let config = common::config_for(&format!("http://{addr}"), &TwilioSandboxConfig::default());
    let twilio = Twilio::new(config.with_retry(policy), dewy_connector::http_client());
    let (twilio, recorder) = scoped(&twilio);
    let error = twilio.send_sms(&guest(), BODY).await.expect_err("refused");
    assert!(matches!(error, TwilioError::Connect(_)), "{error:?}");
    assert!(error.is_retryable() && !error.may_have_been_sent());
    let send = "send sms".to_owned();
    assert_eq!(operations(&recorder), vec![(send, false); 3]);
}

/// A send whose first connection is refused succeeds once Twilio is reachable, and sends once.
#[tokio::test]
async fn a_send_goes_through_when_twilio_comes_back() {
    // GIVEN a connector pointed at a port where a sandbox starts after the first refused attempt
    let addr = closed_address();
    let policy = RetryPolicy {
        max_attempts: 20,
        base: Duration::from_millis(20),
        cap: Duration::from_millis(20),
    };
    let sandbox_config = TwilioSandboxConfig::default();
    let config = common::config_for(&format!("http://{addr}"), &sandbox_config);
    let twilio = Twilio::new(config.with_retry(policy), dewy_connector::http_client());
    let (twilio, recorder) = scoped(&twilio);
    let watcher = recorder.clone();
    let starter = tokio::spawn(async move {
        while watcher.calls().is_empty() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        TwilioSandbox::start_on(addr, sandbox_config)
            .await
            .expect("the sandbox starts")
    });
    // WHEN sending
    let sent = twilio.send_sms(&guest(), BODY).await.expect("sent after a retry");
    // THEN the first attempt failed, the last succeeded, and one message exists
    let sandbox = starter.await.expect("the starter finishes");
    let calls = operations(&recorder);
    assert!(calls.len() >= 2, "{calls:?}");
    assert_eq!(calls.first().map(|c| c.1), Some(false));
    assert_eq!(calls.last().map(|c| c.1), Some(true));
    assert_eq!(sandbox.messages().len(), 1);
    assert_eq!(sandbox.messages()[0].sid, sent.sid.as_str());
}

/// Consecutive failures open the breaker; sends then fail fast without reaching Twilio, and after
/// the cool-down a probe that succeeds closes it again.
#[tokio::test]
async fn the_breaker_opens_fails_fast_and_recovers() {
    // GIVEN a breaker that opens after 2 failures for 300 ms, and every send failing
    let breaker = BreakerConfig {
        failure_threshold: 2,
        cool_down: Duration::from_millis(300),
    };
    let env = common::start_with(|c| c.with_breaker(breaker)).await;
    env.sandbox
        .add_fault(FaultRule::new(Fault::ServerError).path(SEND_PATH));
    for _ in 0..2 {
        let error = env.twilio.send_sms(&guest(), BODY).await.expect_err("500");
        assert_eq!(error.status(), Some(500));
    }
    // WHEN sending again THEN it fails at once with CircuitOpen, sending and recording nothing
    let (twilio, recorder) = scoped(&env.twilio);
    let started = Instant::now();
    let refused = twilio.send_sms(&guest(), BODY).await.expect_err("open");
    assert_eq!(refused, TwilioError::CircuitOpen);
    assert!(!refused.may_have_been_sent());
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(env.sandbox.request_count(), 2);
    assert!(recorder.calls().is_empty());
    // AND WHEN Twilio recovers and the cool-down passes THEN a probe gets through and closes it
    env.sandbox.clear_faults();
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(twilio.send_sms(&guest(), BODY).await.is_ok());
    assert!(twilio.send_sms(&guest(), BODY).await.is_ok());
}

/// Refusals (4xx) show Twilio is alive: they never open the breaker.
#[tokio::test]
async fn refusals_do_not_open_the_breaker() {
    let breaker = BreakerConfig {
        failure_threshold: 1,
        cool_down: Duration::from_secs(60),
    };
    let env = common::start_with(|c| c.with_breaker(breaker)).await;
    for _ in 0..3 {
        let refused = env.twilio.send_sms(&common::number("+15005550001"), BODY).await;
        assert!(refused.is_err_and(|e| e.is_recipient_rejected()));
    }
    assert!(env.twilio.send_sms(&guest(), BODY).await.is_ok());
}
