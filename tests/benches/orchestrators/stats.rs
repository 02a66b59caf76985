//! Percentiles and table rows over the samples of one shape.

use dewy_connector::{Backend, CallSummary};
use std::time::Duration;

/// One measured run of a shape.
pub struct Sample {
    pub elapsed: Duration,
    pub calls: CallSummary,
}

/// The figures of one shape over all its runs.
pub struct Stats {
    pub calls: CallSummary,
    pub p50: Duration,
    pub p95: Duration,
}

impl Stats {
    pub fn of(samples: &mut [Sample]) -> Stats {
        samples.sort_by_key(|s| s.elapsed);
        let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize].elapsed;
        // Every run of a shape makes the same calls; the largest is shown should one ever differ.
        let most = samples
            .iter()
            .max_by_key(|s| (s.calls.total_calls, s.calls.sequential_round_trips))
            .map(|s| s.calls.clone())
            .unwrap_or_default();
        Stats {
            calls: most,
            p50: at(0.5),
            p95: at(0.95),
        }
    }

    /// How many times faster `self` is than `other`, at p50.
    pub fn speed_up_over(&self, other: &Stats) -> f64 {
        other.p50.as_secs_f64() / self.p50.as_secs_f64()
    }

    /// A table row: `9 (5 salesforce + 4 stripe)` backend calls, the coordination store's calls
    /// (DynamoDB, the leases), round trips without and with it, p50, p95, then `last`.
    pub fn row(&self, name: &str, shape: &str, last: &str) -> String {
        let per_backend: Vec<String> = self
            .calls
            .calls
            .iter()
            .filter(|(backend, _)| **backend != Backend::DynamoDb)
            .map(|(backend, n)| format!("{n} {}", backend.as_str()))
            .collect();
        let store = self.calls.calls.get(&Backend::DynamoDb).copied().unwrap_or(0);
        format!(
            "| {name} | {shape} | {} ({}) | {store} | {} ({}) | {:.0} ms | {:.0} ms | {last} |",
            self.calls.total_calls,
            per_backend.join(" + "),
            self.calls.sequential_round_trips,
            self.calls.round_trips_with_store,
            self.p50.as_secs_f64() * 1e3,
            self.p95.as_secs_f64() * 1e3,
        )
    }
}
