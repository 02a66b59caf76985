//! Delivery through the production Twilio connector against the Twilio sandbox: once per message
//! id however often it is delivered, each failure settled by whether a retry could help.

use dewy_connector::Secret;
use dewy_idempotency::MemoryStore;
use dewy_notifier::{LocalOutbox, Notifier, Outbox, Outcome, OutgoingSms};
use dewy_twilio::{AccountSid, Credentials, E164, SenderId, Twilio, TwilioConfig};
use dewy_twilio_sandbox::{Fault, FaultRule, TwilioSandbox, TwilioSandboxConfig};
use std::sync::Arc;
use std::time::{Duration, Instant};

const GUEST: &str = "+15558675310";

struct Env {
    sandbox: TwilioSandbox,
    notifier: Notifier,
}

/// A sandbox and a notifier with a short request timeout (so a hanging Twilio is quick to test).
async fn start() -> Env {
    let sandbox = TwilioSandbox::start(TwilioSandboxConfig::default())
        .await
        .expect("the sandbox starts");
    let config = sandbox.config();
    let account = AccountSid::parse(&config.account_sid).expect("account SID");
    let auth = Credentials::AuthToken {
        account_sid: account.clone(),
        auth_token: Secret::new(config.auth_token.clone()),
    };
    let from = SenderId::Number(E164::parse(&config.phone_number).expect("E.164"));
    let url = url::Url::parse(&sandbox.base_url()).expect("the base URL parses");
    let twilio_config =
        TwilioConfig::new(url, account, auth, from).with_request_timeout(Duration::from_millis(500));
    let twilio = Twilio::new(twilio_config, dewy_connector::http_client());
    let notifier = Notifier::new(twilio, Arc::new(MemoryStore::new()));
    Env { sandbox, notifier }
}

fn text(id: &str, to: &str, body: &str) -> OutgoingSms {
    OutgoingSms::new(id, E164::parse(to).expect("a valid number"), body)
}

#[tokio::test]
async fn a_message_is_sent_once_however_often_it_is_delivered() {
    let env = start().await;
    let sms = text("check_in_guest#a1:sms", GUEST, "Welcome!");

    let first = env.notifier.deliver(&sms).await;
    let again = env.notifier.deliver(&sms).await;

    assert_eq!(first.outcome, Outcome::Sent);
    let messages = env.sandbox.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(first.sid.as_deref(), Some(messages[0].sid.as_str()));
    assert_eq!(
        (messages[0].to.as_str(), messages[0].body.as_str()),
        (GUEST, "Welcome!")
    );
    assert_eq!(again.outcome, Outcome::Duplicate);
}

#[tokio::test]
async fn a_rejected_number_is_settled_and_not_retried() {
    let env = start().await;
    let sms = text("t#rejected:sms", "+15005550009", "Welcome!");

    let first = env.notifier.deliver(&sms).await;
    let again = env.notifier.deliver(&sms).await;

    assert_eq!(first.outcome, Outcome::Rejected, "{first:?}");
    assert!(!first.should_retry());
    assert!(first.reason.unwrap().contains("Twilio error"));
    assert_eq!(again.outcome, Outcome::Duplicate);
    assert!(env.sandbox.messages().is_empty());
}

#[tokio::test]
async fn a_passing_failure_frees_the_message_for_a_retry() {
    let env = start().await;
    env.sandbox
        .add_fault(FaultRule::new(Fault::RateLimited).path("/Messages.json").times(1));
    let sms = text("t#limited:sms", GUEST, "Welcome!");

    let first = env.notifier.deliver(&sms).await;
    let retried = env.notifier.deliver(&sms).await;

    assert_eq!(first.outcome, Outcome::Retry, "{first:?}");
    assert!(first.reason.unwrap().contains("nothing was sent"));
    assert_eq!(retried.outcome, Outcome::Sent, "{retried:?}");
    assert_eq!(env.sandbox.messages().len(), 1);
}

#[tokio::test]
async fn a_send_that_may_have_gone_out_is_never_sent_again() {
    let env = start().await;
    env.sandbox
        .add_fault(FaultRule::new(Fault::Timeout).path("/Messages.json").times(1));
    let sms = text("t#timeout:sms", GUEST, "Welcome!");

    let first = env.notifier.deliver(&sms).await;
    let again = env.notifier.deliver(&sms).await;

    assert_eq!(first.outcome, Outcome::Unknown, "{first:?}");
    assert_eq!(again.outcome, Outcome::Duplicate);
    assert_eq!(env.sandbox.request_count(), 1, "one send, never repeated");
}

#[tokio::test]
async fn an_id_used_for_another_text_sends_nothing() {
    let env = start().await;
    env.notifier.deliver(&text("t#same:sms", GUEST, "Welcome!")).await;

    let other = env
        .notifier
        .deliver(&text("t#same:sms", GUEST, "Something else"))
        .await;

    assert_eq!(other.outcome, Outcome::Failed, "{other:?}");
    assert_eq!(env.sandbox.messages().len(), 1);
}

/// Waits (up to 5 s) until the sandbox holds `n` messages, and a little longer to be sure no more
/// follow.
async fn wait_for_messages(sandbox: &TwilioSandbox, n: usize) {
    let start = Instant::now();
    while sandbox.messages().len() < n && start.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sandbox.messages().len(), n);
}

#[tokio::test]
async fn the_local_outbox_delivers_in_the_background_and_retries() {
    let env = start().await;
    env.sandbox
        .add_fault(FaultRule::new(Fault::RateLimited).path("/Messages.json").times(1));
    let outbox = LocalOutbox::start(env.notifier.clone());
    let sms = text("t#local:sms", GUEST, "Welcome!");

    outbox.enqueue(&sms).await.expect("queued");
    outbox.enqueue(&sms).await.expect("queued again");

    wait_for_messages(&env.sandbox, 1).await;
}
