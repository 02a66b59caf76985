//! Creating and reading messages, and Twilio's error answers.

use crate::common::{self, authed, create, send, url};
use dewy_twilio_sandbox::{MessageStatus, TwilioSandboxConfig};

const FROM: &str = TwilioSandboxConfig::DEFAULT_PHONE_NUMBER;

/// A create answers 201 `queued` with Twilio's fields; a read answers the stored message, delivered.
#[tokio::test]
async fn a_message_is_created_and_read_back() {
    let sandbox = common::start().await;
    let form = [("To", "+15558675310"), ("From", FROM), ("Body", "Room ready")];
    let (status, created) = create(&sandbox, &form).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "queued");
    assert_eq!(created["to"], "+15558675310");
    assert_eq!(created["from"], FROM);
    assert_eq!(created["num_segments"], "1");
    assert_eq!(created["account_sid"], sandbox.config().account_sid.as_str());
    let sid = created["sid"].as_str().expect("a sid").to_owned();
    let read = authed(
        &sandbox,
        reqwest::Client::new().get(url(&sandbox, &format!("Messages/{sid}.json"))),
    );
    let (status, read) = send(read).await;
    assert_eq!(
        (status, &read["sid"], &read["status"]),
        (200, &created["sid"], &"delivered".into())
    );
    let stored = sandbox.messages();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].status, stored[0].body.as_str()),
        (MessageStatus::Delivered, "Room ready")
    );
}

/// A refused create answers Twilio's error body and stores nothing.
#[tokio::test]
async fn refusals_answer_twilios_error_body() {
    let sandbox = common::start().await;
    let (status, body) = create(
        &sandbox,
        &[("To", "+15005550004"), ("From", FROM), ("Body", "Hi")],
    )
    .await;
    assert_eq!(
        (status, &body["code"], &body["status"]),
        (400, &21610.into(), &400.into())
    );
    assert_eq!(body["more_info"], "https://www.twilio.com/docs/errors/21610");
    let (status, body) = create(&sandbox, &[("To", "+15558675310"), ("From", FROM)]).await;
    assert_eq!((status, &body["code"]), (400, &21602.into()));
    assert!(sandbox.messages().is_empty());
}

/// Wrong credentials, missing credentials and another account's path are all 401 20003, asking
/// for basic auth.
#[tokio::test]
async fn authentication_is_required_and_checked() {
    let sandbox = common::start().await;
    let client = reqwest::Client::new();
    let form = [("To", "+15558675310"), ("From", FROM), ("Body", "Hi")];
    let wrong = client
        .post(url(&sandbox, "Messages.json"))
        .basic_auth(&sandbox.config().account_sid, Some("nope"))
        .form(&form);
    let response = wrong.send().await.expect("answer");
    assert_eq!(response.status().as_u16(), 401);
    assert!(response.headers().contains_key("www-authenticate"));
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["code"], 20003);
    let (status, _) = send(client.post(url(&sandbox, "Messages.json")).form(&form)).await;
    assert_eq!(status, 401);
    let other = format!(
        "{}/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json",
        sandbox.base_url()
    );
    let (status, body) = send(authed(&sandbox, client.post(other).form(&form))).await;
    assert_eq!((status, &body["code"]), (401, &20003.into()));
    assert!(sandbox.messages().is_empty());
}

/// Unknown messages and paths are 404 20404; a wrong method is 405.
#[tokio::test]
async fn unknown_resources_and_methods() {
    let sandbox = common::start().await;
    let client = reqwest::Client::new();
    let missing = url(&sandbox, "Messages/SM0123456789abcdef0123456789abcdef.json");
    let (status, body) = send(authed(&sandbox, client.get(missing))).await;
    assert_eq!((status, &body["code"]), (404, &20404.into()));
    let (status, _) = send(client.get(format!("{}/nope", sandbox.base_url()))).await;
    assert_eq!(status, 404);
    let (status, body) = send(authed(&sandbox, client.delete(url(&sandbox, "Messages.json")))).await;
    assert_eq!((status, &body["code"]), (405, &20004.into()));
}
