//! Reading a message back.

use crate::common::{self, BODY, guest};
use dewy_connector::RetryPolicy;
use dewy_twilio::{MessageSid, MessageStatus, TwilioError, codes};
use dewy_twilio_sandbox::TwilioSandboxConfig;

/// A sent message reads back as `delivered` (the sandbox delivers right after accepting).
#[tokio::test]
async fn a_sent_message_reads_back_delivered() {
    let env = common::start().await;
    let sent = env.twilio.send_sms(&guest(), BODY).await.expect("sent");
    let read = env.twilio.fetch_message(&sent.sid).await.expect("read");
    assert_eq!(read.sid, sent.sid);
    assert_eq!(read.status, MessageStatus::Delivered);
    assert!(!read.status.is_failure());
}

/// Without simulated delivery a message stays `queued`.
#[tokio::test]
async fn without_delivery_a_message_stays_queued() {
    let sandbox = common::sandbox_with(TwilioSandboxConfig {
        deliver: false,
        ..TwilioSandboxConfig::default()
    })
    .await;
    let config = common::config_for(&sandbox.base_url(), sandbox.config());
    let twilio = dewy_twilio::Twilio::new(config, dewy_connector::http_client());
    let sent = twilio.send_sms(&guest(), BODY).await.expect("sent");
    let read = twilio.fetch_message(&sent.sid).await.expect("read");
    assert_eq!(read.status, MessageStatus::Queued);
}

/// An unknown SID is NotFound (404, 20404), not retried.
#[tokio::test]
async fn an_unknown_message_is_not_found() {
    let env = common::start_with(|c| c.with_retry(RetryPolicy::default())).await;
    let sid = MessageSid::parse("SM0123456789abcdef0123456789abcdef").expect("SID");
    let error = env.twilio.fetch_message(&sid).await.expect_err("404");
    assert!(matches!(error, TwilioError::NotFound { .. }), "{error:?}");
    assert_eq!(
        (error.status(), error.code()),
        (Some(404), Some(codes::NOT_FOUND))
    );
    assert_eq!(env.sandbox.request_count(), 1);
    assert_eq!(common::account(&env.sandbox), env.twilio.config().account_sid);
}
