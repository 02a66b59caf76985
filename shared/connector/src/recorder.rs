use crate::Backend;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One backend call as it happened.
#[derive(Debug, Clone)]
pub struct CallRecord {
    /// The system called.
    pub backend: Backend,
    /// What was done, e.g. `query Booking__c` or `composite`.
    pub operation: String,
    /// When the request was sent.
    pub started: Instant,
    /// When the response (or the failure) arrived.
    pub finished: Instant,
    /// Whether the call succeeded.
    pub ok: bool,
}

/// The backend calls of one tool invocation.
///
/// Cheap to clone (one `Arc`); connectors hold a clone and append to it. Round trips are *derived*
/// from the recorded times rather than declared by the tool, so the figure cannot flatter the code.
#[derive(Debug, Clone, Default)]
pub struct CallRecorder {
    calls: Arc<Mutex<Vec<CallRecord>>>,
}

/// What a tool invocation cost in backend traffic.
///
/// The hotel's backends (Salesforce, Stripe, Twilio, Home Assistant) and the hub's own coordination
/// store (DynamoDB leases) are counted apart, so that "check-out takes 3 round trips" keeps meaning
/// the backends, and what the invariants cost shows as its own figure.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CallSummary {
    /// Calls per system, the coordination store included.
    pub calls: BTreeMap<Backend, usize>,
    /// Calls to the hotel's backends.
    pub total_calls: usize,
    /// The longest chain of backend calls that each started after the previous one finished: the
    /// number of round trips a caller waited for one after another.
    pub sequential_round_trips: usize,
    /// The same chain over every call, the coordination store's included: what the invariants add
    /// to the critical path is the difference (a lease taken beside the first reads adds only its
    /// release).
    pub round_trips_with_store: usize,
}

impl CallRecorder {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one call.
    pub fn record(&self, record: CallRecord) {
        self.lock().push(record);
    }

    /// The calls so far, in the order they finished.
    pub fn calls(&self) -> Vec<CallRecord> {
        self.lock().clone()
    }

    /// Calls per backend and sequential round trips.
    pub fn summary(&self) -> CallSummary {
        let calls = self.calls();
        let mut per_backend = BTreeMap::new();
        for call in &calls {
            *per_backend.entry(call.backend).or_insert(0) += 1;
        }
        let round_trips_with_store = longest_chain(calls.clone());
        let backends: Vec<CallRecord> = calls
            .into_iter()
            .filter(|call| call.backend != Backend::DynamoDb)
            .collect();
        CallSummary {
            total_calls: backends.len(),
            calls: per_backend,
            sequential_round_trips: longest_chain(backends),
            round_trips_with_store,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<CallRecord>> {
        // A panic while holding this lock cannot leave the Vec half-written, so a poisoned lock is safe.
        self.calls.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The longest chain of calls each started after the previous one finished. The longest chain of
/// non-overlapping intervals equals the greedy earliest-finish schedule.
fn longest_chain(mut calls: Vec<CallRecord>) -> usize {
    calls.sort_by_key(|call| call.finished);
    let mut chain = 0;
    let mut last_finish: Option<Instant> = None;
    for call in &calls {
        if last_finish.is_none_or(|finish| call.started >= finish) {
            chain += 1;
            last_finish = Some(call.finished);
        }
    }
    chain
}

/// Runs one backend call (one attempt) and records it in `recorder`, if any, as ok when it returned
/// `Ok`. For connectors whose attempts are plain futures; see [`RetryPolicy::run`](crate::RetryPolicy::run).
pub async fn record_call<T, E>(
    recorder: Option<&CallRecorder>,
    backend: Backend,
    operation: &str,
    call: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    let started = Instant::now();
    let result = call.await;
    if let Some(recorder) = recorder {
        recorder.record(CallRecord {
            backend,
            operation: operation.to_owned(),
            started,
            finished: Instant::now(),
            ok: result.is_ok(),
        });
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn call(recorder: &CallRecorder, base: Instant, from_ms: u64, to_ms: u64) {
        recorder.record(CallRecord {
            backend: Backend::Salesforce,
            operation: "query".into(),
            started: base + Duration::from_millis(from_ms),
            finished: base + Duration::from_millis(to_ms),
            ok: true,
        });
    }

    #[test]
    fn parallel_calls_are_one_round_trip_and_dependent_calls_add_one_each() {
        // GIVEN two overlapping reads, then a write after both, then another write
        let recorder = CallRecorder::new();
        let base = Instant::now();
        call(&recorder, base, 0, 100);
        call(&recorder, base, 1, 120);
        call(&recorder, base, 121, 220);
        call(&recorder, base, 221, 300);
        // THEN four calls took three sequential round trips
        let summary = recorder.summary();
        assert_eq!(summary.total_calls, 4);
        assert_eq!(summary.sequential_round_trips, 3);
        assert_eq!(summary.calls[&Backend::Salesforce], 4);
    }

    #[test]
    fn a_short_call_then_one_that_starts_late_counts_both() {
        // GIVEN a short call and a long one in parallel, and a third that starts after the long one
        let recorder = CallRecorder::new();
        let base = Instant::now();
        call(&recorder, base, 0, 10);
        call(&recorder, base, 0, 100);
        call(&recorder, base, 100, 110);
        assert_eq!(recorder.summary().sequential_round_trips, 2);
    }

    #[tokio::test]
    async fn record_call_records_each_attempt_with_its_outcome() {
        let recorder = CallRecorder::new();
        let failed: Result<(), &str> =
            record_call(Some(&recorder), Backend::Twilio, "send sms", async { Err("503") }).await;
        assert!(failed.is_err());
        let _ = record_call(Some(&recorder), Backend::Twilio, "send sms", async {
            Ok::<_, ()>(())
        })
        .await;
        let oks: Vec<bool> = recorder.calls().iter().map(|c| c.ok).collect();
        assert_eq!(oks, [false, true]);
    }

    #[test]
    fn no_calls_is_zero_round_trips() {
        assert_eq!(CallRecorder::new().summary(), CallSummary::default());
    }
}
