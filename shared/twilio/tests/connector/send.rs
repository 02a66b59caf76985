//! Sending: the happy path, Twilio's refusals, and what is refused before any request.

use crate::common::{self, BODY, GUEST, guest, number, operations, scoped};
use dewy_connector::{Backend, Secret};
use dewy_twilio::{
    ApiKeySid, Credentials, MAX_BODY_CHARS, MessageStatus, MessagingServiceSid, SenderId, TwilioError, codes,
};
use dewy_twilio_sandbox::{MessageStatus as SandboxStatus, TwilioSandboxConfig};

/// A send is one POST, stores one message, answers `queued` with an SM SID, and is recorded as one
/// Twilio call.
#[tokio::test]
async fn a_message_is_sent_once_and_recorded() {
    // GIVEN a connector and a recorder
    let env = common::start().await;
    let (twilio, recorder) = scoped(&env.twilio);
    // WHEN it sends an SMS
    let message = twilio.send_sms(&guest(), BODY).await.expect("sent");
    // THEN Twilio's answer is decoded
    assert_eq!(message.status, MessageStatus::Queued);
    assert!(message.sid.as_str().starts_with("SM"));
    assert_eq!(message.to, GUEST);
    assert_eq!(
        message.from.as_deref(),
        Some(TwilioSandboxConfig::DEFAULT_PHONE_NUMBER)
    );
    assert_eq!(message.num_segments, Some(1));
    assert!(message.date_created.is_some());
    // AND exactly one message was stored, with the body and sender sent
    let stored = env.sandbox.messages();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].sid, message.sid.as_str());
    assert_eq!((stored[0].to.as_str(), stored[0].body.as_str()), (GUEST, BODY));
    assert_eq!(env.sandbox.request_count(), 1);
    // AND the recorder holds one successful Twilio call
    let calls = recorder.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].backend, Backend::Twilio);
    assert_eq!(operations(&recorder), [("send sms".to_owned(), true)]);
    assert_eq!(recorder.summary().calls[&Backend::Twilio], 1);
}

/// Through a Messaging Service the answer is `accepted` with no sender yet, as Twilio answers.
#[tokio::test]
async fn a_messaging_service_sends_with_the_pools_number() {
    let env = common::start_with(|mut config| {
        let sid = MessagingServiceSid::parse(TwilioSandboxConfig::DEFAULT_MESSAGING_SERVICE_SID);
        config.from = SenderId::MessagingService(sid.expect("MG SID"));
        config
    })
    .await;
    let message = env.twilio.send_sms(&guest(), BODY).await.expect("sent");
    assert_eq!((message.status, message.from), (MessageStatus::Accepted, None));
    let stored = env.sandbox.message(message.sid.as_str()).expect("stored");
    assert_eq!(
        stored.from.as_deref(),
        Some(TwilioSandboxConfig::DEFAULT_PHONE_NUMBER)
    );
}

/// An invalid number is a 400 with code 21211: the recipient's fault, not retryable, nothing stored.
#[tokio::test]
async fn an_invalid_number_is_refused_by_twilio() {
    let env = common::start().await;
    let error = env
        .twilio
        .send_sms(&number("+15005550001"), BODY)
        .await
        .expect_err("invalid To");
    assert_eq!(
        (error.status(), error.code()),
        (Some(400), Some(codes::INVALID_TO))
    );
    assert!(matches!(error, TwilioError::InvalidRequest { .. }), "{error:?}");
    assert!(error.is_recipient_rejected() && !error.is_retryable() && !error.may_have_been_sent());
    assert!(env.sandbox.messages().is_empty());
    assert_eq!(env.sandbox.request_count(), 1);
}

/// A recipient who replied STOP is 21610, and a landline 21614: both recipient rejections.
#[tokio::test]
async fn blocked_and_landline_numbers_are_recipient_rejections() {
    let env = common::start().await;
    let blocked = env
        .twilio
        .send_sms(&number("+15005550004"), BODY)
        .await
        .expect_err("unsubscribed");
    assert_eq!(blocked.code(), Some(codes::UNSUBSCRIBED));
    assert!(blocked.is_recipient_rejected());
    let landline = env
        .twilio
        .send_sms(&number("+15005550009"), BODY)
        .await
        .expect_err("not SMS-capable");
    assert_eq!(landline.code(), Some(codes::NOT_SMS_CAPABLE));
    assert!(env.sandbox.messages().is_empty());
}

/// A body over 1600 characters, or an empty one, fails before any request: nothing logged, nothing
/// recorded.
#[tokio::test]
async fn bodies_twilio_would_refuse_never_leave() {
    let env = common::start().await;
    let (twilio, recorder) = scoped(&env.twilio);
    let long = "a".repeat(MAX_BODY_CHARS + 1);
    let error = twilio.send_sms(&guest(), &long).await.expect_err("too long");
    assert_eq!(error, TwilioError::BodyTooLong { chars: 1601 });
    assert_eq!(error.code(), Some(codes::BODY_TOO_LONG));
    let empty = twilio.send_sms(&guest(), " \n").await.expect_err("empty");
    assert_eq!(empty, TwilioError::EmptyBody);
    assert_eq!(env.sandbox.request_count(), 0);
    assert!(recorder.calls().is_empty());
    // The longest allowed body goes through, as 11 segments.
    let longest = "a".repeat(MAX_BODY_CHARS);
    let sent = twilio
        .send_sms(&guest(), &longest)
        .await
        .expect("1600 characters");
    assert_eq!(sent.num_segments, Some(11));
}

/// Wrong credentials are an Authentication error (401, 20003), which is not retried.
#[tokio::test]
async fn wrong_credentials_are_an_authentication_error() {
    let env = common::start_with(|mut config| {
        config.auth = Credentials::AuthToken {
            account_sid: config.account_sid.clone(),
            auth_token: Secret::new("wrong"),
        };
        config
    })
    .await;
    let error = env.twilio.send_sms(&guest(), BODY).await.expect_err("401");
    assert!(matches!(error, TwilioError::Authentication { .. }), "{error:?}");
    assert_eq!(
        (error.status(), error.code()),
        (Some(401), Some(codes::AUTHENTICATE))
    );
    assert!(!error.is_retryable());
    assert_eq!(env.sandbox.request_count(), 1);
    assert!(
        !format!("{error} {error:?}").contains("wrong"),
        "no credential in the error"
    );
}

/// An API key authenticates as well as the auth token.
#[tokio::test]
async fn an_api_key_authenticates() {
    let env = common::start_with(|mut config| {
        let sandbox = TwilioSandboxConfig::default();
        config.auth = Credentials::ApiKey {
            key_sid: ApiKeySid::parse(&sandbox.api_key_sid).expect("SK SID"),
            secret: Secret::new(sandbox.api_key_secret),
        };
        config
    })
    .await;
    assert!(env.twilio.send_sms(&guest(), BODY).await.is_ok());
}

/// The configured status callback is sent with every message.
#[tokio::test]
async fn the_status_callback_is_sent() {
    let callback = url::Url::parse("https://hotel.example/twilio/status").expect("url");
    let env = common::start_with(|config| config.with_status_callback(callback.clone())).await;
    let message = env.twilio.send_sms(&guest(), BODY).await.expect("sent");
    let stored = env.sandbox.message(message.sid.as_str()).expect("stored");
    assert_eq!(stored.status_callback.as_deref(), Some(callback.as_str()));
    assert_eq!(stored.status, SandboxStatus::Delivered);
}
