//! The one contract every [`IdempotencyStore`] must meet, run against each store by `stores.rs`.

use dewy_idempotency::{Begin, IdempotencyError, IdempotencyStore, StoredResponse};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::Barrier;

/// How many concurrent `begin`s race for one key.
const RACERS: usize = 100;

fn later(secs: u64) -> SystemTime {
    SystemTime::now() + Duration::from_secs(secs)
}

/// Well in the past: both stores compare in whole seconds (`expiration`), so a margin of a
/// few seconds keeps the test independent of rounding.
fn earlier(secs: u64) -> SystemTime {
    SystemTime::now() - Duration::from_secs(secs)
}

/// Runs every case against `store`. `prefix` makes the ids unique per run, so the suite can share
/// a table with other runs.
pub async fn run<S>(store: Arc<S>, prefix: &str)
where
    S: IdempotencyStore + ?Sized + 'static,
{
    lifecycle(&*store, &format!("{prefix}-lifecycle")).await;
    abandon_allows_a_retry(&*store, &format!("{prefix}-abandon")).await;
    expired_completed_record_is_retaken(&*store, &format!("{prefix}-expired")).await;
    timed_out_lock_is_retaken(&*store, &format!("{prefix}-timedout")).await;
    concurrent_begins_have_one_winner(store, &format!("{prefix}-race")).await;
}

/// Started → InProgress → complete → Replay (same hash) / KeyReused (other hash).
async fn lifecycle<S: IdempotencyStore + ?Sized>(store: &S, id: &str) {
    let begin = store.begin(id, "hash-a", later(30), later(3600)).await;
    assert_eq!(begin, Ok(Begin::Started), "first begin takes the lock");

    let again = store.begin(id, "hash-a", later(30), later(3600)).await;
    assert_eq!(again, Err(IdempotencyError::InProgress), "a live lock blocks");
    let other = store.begin(id, "hash-b", later(30), later(3600)).await;
    assert_eq!(
        other,
        Err(IdempotencyError::KeyReused),
        "in progress, other payload"
    );

    let response = StoredResponse {
        status: 201,
        body: json!({"booking": {"id": "b-1", "nights": 2}, "note": "ünïcode \"q\""}),
    };
    store
        .complete(id, &response, later(3600))
        .await
        .expect("complete");

    let replay = store.begin(id, "hash-a", later(30), later(3600)).await;
    assert_eq!(
        replay,
        Ok(Begin::Replay(response.clone())),
        "same payload replays"
    );
    let replay_again = store.begin(id, "hash-a", later(30), later(3600)).await;
    assert_eq!(
        replay_again,
        Ok(Begin::Replay(response)),
        "replay does not consume the record"
    );

    let reused = store.begin(id, "hash-b", later(30), later(3600)).await;
    assert_eq!(
        reused,
        Err(IdempotencyError::KeyReused),
        "other payload is refused"
    );
}

/// A failed execution deletes its record, so the retry runs again.
async fn abandon_allows_a_retry<S: IdempotencyStore + ?Sized>(store: &S, id: &str) {
    assert_eq!(
        store.begin(id, "h", later(30), later(3600)).await,
        Ok(Begin::Started)
    );
    store.abandon(id).await.expect("abandon");
    assert_eq!(
        store.begin(id, "h", later(30), later(3600)).await,
        Ok(Begin::Started),
        "after abandon the key is free"
    );
    store.abandon(id).await.expect("abandon");
    store
        .abandon(id)
        .await
        .expect("abandoning a missing record is fine");
}

/// An expired COMPLETED record is ignored even if TTL deletion has not removed it yet.
async fn expired_completed_record_is_retaken<S: IdempotencyStore + ?Sized>(store: &S, id: &str) {
    assert_eq!(
        store.begin(id, "h", later(30), later(3600)).await,
        Ok(Begin::Started)
    );
    let response = StoredResponse {
        status: 200,
        body: json!({"old": true}),
    };
    store
        .complete(id, &response, earlier(10))
        .await
        .expect("complete");
    assert_eq!(
        store.begin(id, "h", later(30), later(3600)).await,
        Ok(Begin::Started),
        "expired record is not replayed"
    );
    // The retaken record is fresh: it is INPROGRESS, not the old COMPLETED one.
    assert_eq!(
        store.begin(id, "h", later(30), later(3600)).await,
        Err(IdempotencyError::InProgress)
    );
}

/// An INPROGRESS record whose holder passed its deadline can be taken over.
async fn timed_out_lock_is_retaken<S: IdempotencyStore + ?Sized>(store: &S, id: &str) {
    assert_eq!(
        store.begin(id, "h", earlier(5), later(3600)).await,
        Ok(Begin::Started)
    );
    assert_eq!(
        store.begin(id, "h", later(30), later(3600)).await,
        Ok(Begin::Started),
        "a timed-out lock is reclaimed"
    );
    assert_eq!(
        store.begin(id, "h", later(30), later(3600)).await,
        Err(IdempotencyError::InProgress),
        "the new lock is live"
    );
}

/// `RACERS` simultaneous begins on one key: exactly one takes the lock, the rest see InProgress.
async fn concurrent_begins_have_one_winner<S>(store: Arc<S>, id: &str)
where
    S: IdempotencyStore + ?Sized + 'static,
{
    let barrier = Arc::new(Barrier::new(RACERS));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..RACERS {
        let (store, barrier, id) = (Arc::clone(&store), Arc::clone(&barrier), id.to_owned());
        tasks.spawn(async move {
            barrier.wait().await;
            store.begin(&id, "h", later(30), later(3600)).await
        });
    }
    let (mut started, mut in_progress, mut other) = (0, 0, Vec::new());
    while let Some(joined) = tasks.join_next().await {
        match joined.expect("task") {
            Ok(Begin::Started) => started += 1,
            Err(IdempotencyError::InProgress) => in_progress += 1,
            unexpected => other.push(unexpected),
        }
    }
    assert_eq!(other, Vec::new(), "only Started or InProgress expected");
    assert_eq!((started, in_progress), (1, RACERS - 1), "exactly one winner");
}
