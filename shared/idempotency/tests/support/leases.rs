//! The one contract every [`LeaseStore`] must meet, run against each store by `stores.rs`.

use dewy_idempotency::{Granted, LeaseError, LeaseStore};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::Barrier;

/// How many callers race for one lease.
const RACERS: usize = 50;

fn later(secs: u64) -> SystemTime {
    SystemTime::now() + Duration::from_secs(secs)
}

/// Runs every case against `store`; `prefix` makes the ids unique per run.
pub async fn run<S>(store: Arc<S>, prefix: &str)
where
    S: LeaseStore + ?Sized + 'static,
{
    held_released_and_taken_again(&*store, &format!("lease#{prefix}-cycle")).await;
    a_lapsed_lease_is_taken_and_its_holder_has_lost_it(&*store, &format!("lease#{prefix}-lapse")).await;
    an_expired_record_leaves_no_trace(&*store, &format!("lease#{prefix}-expired")).await;
    concurrent_acquires_have_one_winner(store, &format!("lease#{prefix}-race")).await;
}

/// Acquire → Held for others → Lost for a stranger's release → released with a state → the next
/// holder sees when and what.
async fn held_released_and_taken_again<S: LeaseStore + ?Sized>(store: &S, id: &str) {
    let before = SystemTime::now();
    let first = store.acquire(id, "a", later(30), later(3600)).await;
    assert_eq!(first, Ok(Granted { previous: None }), "a new lease has no past");

    match store.acquire(id, "b", later(30), later(3600)).await {
        Err(LeaseError::Held { until }) => {
            assert!(until > SystemTime::now(), "names the live holder's end")
        }
        other => panic!("a live lease must be refused, got {other:?}"),
    }
    assert_eq!(
        store.release(id, "b", None, later(3600)).await,
        Err(LeaseError::Lost),
        "only the holder releases"
    );

    let state = json!({"awaiting": "pi_123", "note": "ünïcode"});
    store
        .release(id, "a", Some(&state), later(3600))
        .await
        .expect("release");
    let second = store
        .acquire(id, "b", later(30), later(3600))
        .await
        .expect("free again");
    let previous = second.previous.clone().expect("the past is kept");
    assert_eq!(
        previous.state,
        Some(state),
        "the state travels to the next holder"
    );
    let released = previous.released_at.expect("it was released, not lapsed");
    assert!(
        released >= before - Duration::from_secs(1) && released <= SystemTime::now() + Duration::from_secs(1)
    );
    assert!(
        second.read_may_be_stale(before),
        "a read from before the release is stale"
    );
    assert!(
        !second.read_may_be_stale(SystemTime::now() + Duration::from_secs(5)),
        "a read well after it is not"
    );

    store.release(id, "b", None, later(3600)).await.expect("release");
    let third = store
        .acquire(id, "c", later(30), later(3600))
        .await
        .expect("free again");
    assert_eq!(third.state(), None, "releasing without a state clears it");
    store.release(id, "c", None, later(3600)).await.expect("release");
}

/// A holder that never releases loses the lease when it lapses; its late release is refused.
async fn a_lapsed_lease_is_taken_and_its_holder_has_lost_it<S: LeaseStore + ?Sized>(store: &S, id: &str) {
    let short = SystemTime::now() + Duration::from_millis(200);
    store
        .acquire(id, "dead", short, later(3600))
        .await
        .expect("acquire");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let next = store
        .acquire(id, "next", later(30), later(3600))
        .await
        .expect("a lapsed lease is free");
    let previous = next.previous.clone().expect("the lapsed lease is seen");
    assert_eq!(previous.released_at, None, "lapsed, not released");
    assert!(next.read_may_be_stale(SystemTime::now() - Duration::from_secs(5)));
    assert_eq!(
        store.release(id, "dead", Some(&json!("late")), later(3600)).await,
        Err(LeaseError::Lost),
        "the lapsed holder cannot release the new one's lease"
    );
    store
        .release(id, "next", None, later(3600))
        .await
        .expect("release");
}

/// A record past its expiry (the TTL attribute, which DynamoDB deletes late) is as good as none.
async fn an_expired_record_leaves_no_trace<S: LeaseStore + ?Sized>(store: &S, id: &str) {
    let expired = SystemTime::now() - Duration::from_secs(5);
    store
        .acquire(id, "old", later(30), expired)
        .await
        .expect("acquire");
    let next = store
        .acquire(id, "new", later(30), later(3600))
        .await
        .expect("an expired record is free");
    assert_eq!(next, Granted { previous: None });
    store
        .release(id, "new", None, later(3600))
        .await
        .expect("release");
}

/// Many callers at once: exactly one holds the lease.
async fn concurrent_acquires_have_one_winner<S>(store: Arc<S>, id: &str)
where
    S: LeaseStore + ?Sized + 'static,
{
    let barrier = Arc::new(Barrier::new(RACERS));
    let tasks: Vec<_> = (0..RACERS)
        .map(|i| {
            let (store, barrier, id) = (Arc::clone(&store), Arc::clone(&barrier), id.to_owned());
            tokio::spawn(async move {
                barrier.wait().await;
                store
                    .acquire(&id, &format!("racer-{i}"), later(30), later(3600))
                    .await
            })
        })
        .collect();
    let mut granted = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => granted += 1,
            Err(LeaseError::Held { .. }) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        granted, 1,
        "exactly one of {RACERS} concurrent callers holds the lease"
    );
}
