//! Per-call overhead of the store: `begin` + `complete` on fresh keys, then a replaying `begin`.
//! Printed, not asserted: run with `--nocapture` to see the figures.

use dewy_idempotency::{Begin, IdempotencyStore, StoredResponse};
use serde_json::json;
use std::time::{Duration, Instant, SystemTime};

/// Times `rounds` begin+complete pairs and `rounds` replays, and prints a summary line for each.
pub async fn measure<S: IdempotencyStore + ?Sized>(store: &S, label: &str, prefix: &str, rounds: usize) {
    let response = StoredResponse {
        status: 200,
        body: json!({"ok": true, "id": "r-1"}),
    };
    let expiry = SystemTime::now() + Duration::from_secs(3600);
    let mut pairs = Vec::with_capacity(rounds);
    let mut replays = Vec::with_capacity(rounds);
    for i in 0..rounds {
        let id = format!("{prefix}-overhead-{i}");
        let start = Instant::now();
        let begin = store.begin(&id, "h", expiry, expiry).await;
        assert_eq!(begin, Ok(Begin::Started));
        store.complete(&id, &response, expiry).await.expect("complete");
        pairs.push(start.elapsed());

        let start = Instant::now();
        let replay = store.begin(&id, "h", expiry, expiry).await;
        replays.push(start.elapsed());
        assert!(matches!(replay, Ok(Begin::Replay(_))));
    }
    println!("{}", summary(&format!("{label} begin+complete"), pairs));
    println!("{}", summary(&format!("{label} replay begin"), replays));
}

/// Times `rounds` rate-limit checks (one conditional write each), admitted and refused alike.
pub async fn measure_rates<S: dewy_idempotency::RateStore + ?Sized>(
    store: &S,
    label: &str,
    prefix: &str,
    rounds: usize,
) {
    let key = format!("reads#{prefix}-overhead");
    let limit = u32::try_from(rounds / 2).unwrap_or(u32::MAX);
    let window = Duration::from_secs(3600);
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        store
            .admit(dewy_idempotency::RateCall {
                key: &key,
                limit,
                window,
                now: SystemTime::now(),
            })
            .await
            .expect("admit");
        samples.push(start.elapsed());
    }
    println!("{}", summary(&format!("{label} rate-limit admit"), samples));
}

fn summary(label: &str, mut samples: Vec<Duration>) -> String {
    samples.sort_unstable();
    let n = samples.len().max(1);
    let mean = samples.iter().sum::<Duration>() / u32::try_from(n).unwrap_or(u32::MAX);
    let pct = |p: usize| samples.get((n * p / 100).min(n - 1)).copied().unwrap_or_default();
    format!(
        "OVERHEAD {label}: n={} mean={mean:?} p50={:?} p99={:?} max={:?}",
        samples.len(),
        pct(50),
        pct(99),
        samples.last().copied().unwrap_or_default()
    )
}
