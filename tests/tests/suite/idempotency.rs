//! The idempotency layer's concurrency proof: a hundred identical check-ins at once change the
//! records once, with the in-memory store and with the DynamoDB store on moto. The others get the
//! first result back (marked as a replay) or 409 IDEMPOTENCY_IN_PROGRESS marked retryable; a retry
//! after completion gets the replay.

use dewy_connector::Deadline;
use dewy_domain::ErrorCode;
use dewy_e2e::{World, guest, moto_idempotency, record_statuses};
use dewy_salesforce_sandbox::Latency;
use dewy_tool::dispatch::invoke;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const KAY: &str = "kay@example.com";
const CALLS: usize = 100;

#[derive(Debug, Default, PartialEq)]
struct Tally {
    executed: usize,
    replayed: usize,
    in_progress: usize,
}

/// Fires `CALLS` identical check-ins at once and checks what each got and what Salesforce saw.
async fn a_hundred_at_once(world: Arc<World>) {
    // Slow Salesforce down so the calls overlap the first one's whole execution.
    world
        .sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(20))));
    world.sandbox.reset_stats();
    // Spread over 100 ms, about twice the first call's run: the early ones find it in progress,
    // the late ones find it done.
    let calls = (0..CALLS).map(|i| {
        let world = Arc::clone(&world);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(i as u64)).await;
            world.call("check_in_guest", guest(KAY), json!({})).await
        })
    });
    let mut tally = Tally::default();
    let mut first_result: Option<Value> = None;
    for call in futures::future::join_all(calls).await {
        let invocation = call.expect("no call panics");
        match invocation.result {
            Ok(output) if invocation.replayed => {
                tally.replayed += 1;
                if let Some(first) = &first_result {
                    assert_eq!(&output, first, "a replay is the first result");
                }
            }
            Ok(output) => {
                tally.executed += 1;
                first_result = Some(output);
            }
            Err(error) if error.code == ErrorCode::IdempotencyInProgress => {
                tally.in_progress += 1;
                assert_eq!(error.http_status(), 409);
                assert_eq!(error.details.as_ref().unwrap()["retryable"], true);
            }
            Err(error) => panic!("unexpected answer: {error:?}"),
        }
    }
    assert_eq!(tally.executed, 1, "{tally:?}");
    assert_eq!(tally.executed + tally.replayed + tally.in_progress, CALLS);

    let writes: Vec<_> = world
        .sandbox
        .request_log()
        .into_iter()
        .filter(|r| r.method != "GET")
        .collect();
    assert_eq!(writes.len(), 1, "one composite write: {writes:?}");
    let first = first_result.expect("one call executed");
    let booking = world.one(
        "SELECT Status__c, Checked_In_At__c FROM Booking__c WHERE Room__r.Room_Number__c = '105' AND Check_In_Date__c = TODAY",
    );
    assert_eq!(booking["Status__c"], "Checked In");
    // Salesforce writes `2026-11-24T10:00:00.000+0000`; the tool answers in RFC 3339.
    let stored = chrono::DateTime::parse_from_str(
        booking["Checked_In_At__c"].as_str().unwrap(),
        "%Y-%m-%dT%H:%M:%S%.3f%z",
    )
    .unwrap();
    let answered = chrono::DateTime::parse_from_rfc3339(first["checked_in_at"].as_str().unwrap()).unwrap();
    assert_eq!(stored, answered, "the one write is the one executed call's");

    // A retry after completion, by another client (staff at the desk), gets the replay.
    let retry = world
        .call("check_in_guest", dewy_e2e::staff(), json!({ "guest_email": KAY }))
        .await;
    assert!(retry.replayed);
    assert_eq!(retry.result.unwrap(), first);
    eprintln!("{CALLS} concurrent check-ins: {tally:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_check_ins_transition_once_with_the_memory_store() {
    a_hundred_at_once(Arc::new(World::start().await)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_check_ins_transition_once_with_dynamodb_on_moto() {
    let Some((store, _)) = moto_idempotency("concurrent").await else {
        return;
    };
    let mut world = World::start().await;
    world.backends.idempotency = Arc::new(store.clone());
    a_hundred_at_once(Arc::new(world)).await;
    assert_eq!(record_statuses(&store).await, vec!["COMPLETED"]);
}

/// A failed call releases its lock: the retry runs the tool again (nothing is replayed) and
/// succeeds once the fault has passed.
#[tokio::test]
async fn a_failure_is_not_replayed() {
    let world = World::start().await;
    world.sandbox.add_fault(
        dewy_salesforce_sandbox::FaultRule::new(dewy_salesforce_sandbox::Fault::ServerError)
            .path("/composite")
            .times(1),
    );
    let failed = world.call("check_in_guest", guest(KAY), json!({})).await;
    assert_eq!(failed.result.unwrap_err().code, ErrorCode::SalesforceUnavailable);
    let retried = world.call("check_in_guest", guest(KAY), json!({})).await;
    assert!(!retried.replayed);
    assert_eq!(retried.result.unwrap()["already_checked_in"], false);
}

/// The same operation sent with different details is refused with 422, and nothing runs.
#[tokio::test]
async fn the_same_operation_with_other_details_is_refused() {
    let world = World::start().await;
    let first = world
        .call("check_in_guest", guest(KAY), json!({ "payment_id": "pi_1" }))
        .await;
    assert!(first.result.is_ok());
    world.sandbox.reset_stats();
    let other = world
        .call("check_in_guest", guest(KAY), json!({ "payment_id": "pi_2" }))
        .await;
    let error = other.result.unwrap_err();
    assert_eq!(
        (error.code, error.http_status()),
        (ErrorCode::IdempotencyKeyReused, 422)
    );
    assert_eq!(world.sandbox.request_count(), 0);
}

/// An invocation that timed out holds its lock only until its deadline: after that a retry runs.
#[tokio::test]
async fn a_timed_out_invocation_frees_the_key_at_its_deadline() {
    let world = World::start().await;
    world.sandbox.add_fault(
        dewy_salesforce_sandbox::FaultRule::new(dewy_salesforce_sandbox::Fault::Timeout)
            .path("/composite")
            .times(1),
    );
    let tool = dewy_tools::find("check_in_guest").unwrap();
    // The lock is released on failure; take it as a killed invocation would leave it: held.
    let deadline = Deadline::after(Duration::from_millis(400));
    let slow = invoke(tool, &world.backends, guest(KAY), deadline, json!({}));
    let busy = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        world.call("check_in_guest", guest(KAY), json!({})).await
    };
    let (slow, busy) = tokio::join!(slow, busy);
    assert_eq!(busy.result.unwrap_err().code, ErrorCode::IdempotencyInProgress);
    assert_eq!(slow.result.unwrap_err().code, ErrorCode::SalesforceTimeout);
    let after = world.call("check_in_guest", guest(KAY), json!({})).await;
    assert_eq!(after.result.unwrap()["room_number"], "105");
}

/// A replay answers with the status the first call answered with (201 for a case it created),
/// kept in the idempotency record beside the body.
async fn a_replay_keeps_the_first_status(world: World) {
    let arguments = json!({
        "idempotency_token": "0b6c2f4e-8a1d-4e3b-9c5f-7d2a4b6e8f10", "guest_email": KAY, "room_number": "105",
        "type": "Housekeeping", "priority": "Low", "description": "Fresh towels, please.",
    });
    let first = world
        .call(
            "manage_cases_orchestrator",
            dewy_e2e::housekeeping(),
            arguments.clone(),
        )
        .await;
    assert_eq!(
        (first.http_status(), first.replayed),
        (201, false),
        "{}",
        first.body()
    );
    let again = world
        .call("manage_cases_orchestrator", dewy_e2e::housekeeping(), arguments)
        .await;
    assert_eq!(
        (again.http_status(), again.replayed),
        (201, true),
        "{}",
        again.body()
    );
    assert_eq!(again.body(), first.body());
}

#[tokio::test]
async fn a_replay_keeps_the_first_status_with_the_memory_store() {
    a_replay_keeps_the_first_status(World::start().await).await;
}

#[tokio::test]
async fn a_replay_keeps_the_first_status_with_dynamodb_on_moto() {
    let Some((store, _)) = moto_idempotency("replay-status").await else {
        return;
    };
    let mut world = World::start().await;
    world.backends.idempotency = Arc::new(store);
    a_replay_keeps_the_first_status(world).await;
}
