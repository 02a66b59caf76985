//! The SMS outbox as deployed, against moto (a real HTTP AWS emulator): a tool function queues its
//! text on SQS through the AWS SDK, and the `sms_notifier` function's handler delivers the batch SQS
//! hands it, claiming each message in the DynamoDB idempotency table, so a redelivered batch texts
//! nobody twice and only the messages worth retrying are reported back to SQS.

use aws_sdk_sqs::config::{BehaviorVersion, Credentials, Region};
use dewy_connector::Backend;
use dewy_e2e::{World, guest};
use dewy_notifier::SqsOutbox;
use dewy_notifier::{Notifier, OutgoingSms};
use dewy_runtime::notifier::handle;
use dewy_tool::Sms;
use dewy_twilio::Twilio;
use dewy_twilio_sandbox::{Fault, FaultRule};
use lambda_http::aws_lambda_events::sqs::SqsEvent;
use serde_json::{Value, json};
use std::sync::Arc;

const KAY: &str = "kay@example.com";
const KAY_MOBILE: &str = "+15550200142";

/// An SQS client on moto and a fresh queue, or `None` when moto is not running (see
/// `dewy_idempotency::moto::store`, which also fails the test under `DEWY_REQUIRE_MOTO`).
async fn queue(test: &str) -> Option<(aws_sdk_sqs::Client, String, dewy_idempotency::DynamoStore)> {
    let store = dewy_idempotency::moto::store(test).await?;
    let url = std::env::var("MOTO_URL").expect("set when the store was made");
    let config = aws_sdk_sqs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .build();
    let client = aws_sdk_sqs::Client::from_conf(config);
    let name = dewy_idempotency::moto::unique_name(&format!("sms-{test}"));
    let created = client
        .create_queue()
        .queue_name(name)
        .send()
        .await
        .expect("create the queue");
    let queue_url = created.queue_url().expect("a queue URL").to_owned();
    Some((client, queue_url, store))
}

/// What SQS hands the notifier: the queue's waiting messages as a Lambda SQS event (its documented
/// shape, parsed with the runtime's own types).
async fn receive_event(client: &aws_sdk_sqs::Client, queue_url: &str) -> SqsEvent {
    let received = client
        .receive_message()
        .queue_url(queue_url)
        .max_number_of_messages(10)
        .send()
        .await
        .expect("receive");
    let records: Vec<Value> = received
        .messages()
        .iter()
        .map(|m| {
            json!({
                "messageId": m.message_id(), "receiptHandle": m.receipt_handle(), "body": m.body(),
                "attributes": {}, "messageAttributes": {}, "md5OfBody": m.md5_of_body(),
                "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:sms",
                "awsRegion": "us-east-1"
            })
        })
        .collect();
    serde_json::from_value(json!({ "Records": records })).expect("a Lambda SQS event")
}

#[tokio::test]
async fn a_queued_text_is_sent_once_by_the_notifier_function() {
    let Some((sqs, queue_url, store)) = queue("sms-once").await else {
        return;
    };
    let mut world = World::start().await;
    let on_call = world.backends.sms.as_ref().and_then(|s| s.on_call.clone());
    world.backends.sms = Some(Sms {
        outbox: Arc::new(SqsOutbox::new(sqs.clone(), &queue_url)),
        on_call,
    });
    world.prefers_sms(KAY, Some(KAY_MOBILE));

    // The tool queues the text on SQS and answers, without calling Twilio.
    let invocation = world.call("check_in_guest", guest(KAY), json!({})).await;
    let notification = invocation.result.as_ref().unwrap()["notification"].clone();
    assert_eq!(notification["status"], "queued", "{notification}");
    assert_eq!(invocation.calls.calls.get(&Backend::Twilio), None);
    assert!(world.twilio.messages().is_empty());

    let event = receive_event(&sqs, &queue_url).await;
    assert_eq!(event.records.len(), 1);
    let queued: OutgoingSms = serde_json::from_str(event.records[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(queued.id, notification["id"].as_str().unwrap());
    assert_eq!(queued.to.as_str(), KAY_MOBILE);

    // The notifier function delivers the batch; SQS redelivering it texts nobody twice.
    let twilio = Twilio::new(
        dewy_local::twilio_config(&world.twilio),
        dewy_connector::http_client(),
    );
    let notifier = Notifier::new(twilio, Arc::new(store));
    let event_json = serde_json::to_value(&event).unwrap();
    let response = handle(&notifier, event).await;
    assert!(response.batch_item_failures.is_empty(), "{response:?}");
    let again = handle(&notifier, serde_json::from_value(event_json).unwrap()).await;
    assert!(again.batch_item_failures.is_empty());
    let messages = world.twilio.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].to, KAY_MOBILE);
    assert!(messages[0].body.starts_with("Welcome, Kay!"));
}

#[tokio::test]
async fn only_the_messages_worth_retrying_go_back_to_the_queue() {
    let Some((sqs, queue_url, store)) = queue("sms-retry").await else {
        return;
    };
    let world = World::start().await;
    let outbox = SqsOutbox::new(sqs.clone(), &queue_url);
    let one = OutgoingSms::new(
        "t#one:sms",
        dewy_twilio::E164::parse("+15558675310").unwrap(),
        "One",
    );
    let two = OutgoingSms::new(
        "t#two:sms",
        dewy_twilio::E164::parse("+15558675311").unwrap(),
        "Two",
    );
    for sms in [&one, &two] {
        dewy_notifier::Outbox::enqueue(&outbox, sms)
            .await
            .expect("queued on SQS");
    }
    sqs.send_message()
        .queue_url(&queue_url)
        .message_body("not a text")
        .send()
        .await
        .unwrap();
    let event = receive_event(&sqs, &queue_url).await;
    assert_eq!(event.records.len(), 3);
    let id_of = |body: &str| {
        event
            .records
            .iter()
            .find(|r| r.body.as_deref().is_some_and(|b| b.contains(body)))
            .and_then(|r| r.message_id.clone())
            .unwrap()
    };
    let texts = [id_of("One"), id_of("Two")];
    let unreadable = id_of("not a text");
    // Twilio rate limits one of the two sends (whichever comes first: they run concurrently).
    world
        .twilio
        .add_fault(FaultRule::new(Fault::RateLimited).path("/Messages.json").times(1));
    let twilio = Twilio::new(
        dewy_local::twilio_config(&world.twilio),
        dewy_connector::http_client(),
    );
    let notifier = Notifier::new(twilio, Arc::new(store));

    let response = handle(&notifier, event).await;

    let failures: Vec<&str> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert_eq!(failures.len(), 2, "{response:?}");
    assert!(
        failures.contains(&unreadable.as_str()),
        "the unreadable message goes back (to the DLQ in time)"
    );
    assert!(
        texts.iter().any(|id| failures.contains(&id.as_str())),
        "the rate-limited text goes back"
    );
    assert_eq!(world.twilio.messages().len(), 1, "the other text was sent");
}
