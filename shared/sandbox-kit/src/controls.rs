//! [`Controls`]: one sandbox's knobs, request log and shutdown signal, shared by its server, its
//! admin routes, its handle and (for latency) its handlers.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use http::Method;
use tokio::sync::watch;

use crate::knobs::Knobs;
use crate::log::Stats;
use crate::{Api, FaultPhase, FaultRule, Latency, LoggedRequest};

/// Locks a mutex, carrying on if a previous holder panicked: the sandboxes' state is test data, and
/// each sandbox validates a change before it writes it (or writes it in one assignment), so what a
/// panicking holder left behind is still consistent.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One sandbox's knobs (latency, fault rules), its request counter and log, its [`Api`], and the
/// signal that it is shutting down. Each part has its own lock; none is held across an await.
#[derive(Debug)]
pub struct Controls {
    api: Box<dyn Api>,
    knobs: Mutex<Knobs>,
    stats: Mutex<Stats>,
    /// When the sandbox started; the admin stats give times relative to it.
    started: Instant,
    /// Becomes `true` when the sandbox shuts down; held requests give up then.
    shutdown: watch::Sender<bool>,
}

impl Controls {
    /// Fresh controls for a sandbox speaking `api`: no latency, no faults, nothing logged.
    pub fn new(api: impl Api) -> Self {
        Self {
            api: Box::new(api),
            knobs: Mutex::default(),
            stats: Mutex::default(),
            started: Instant::now(),
            shutdown: watch::Sender::new(false),
        }
    }

    /// The sandbox's API format.
    pub fn api(&self) -> &dyn Api {
        self.api.as_ref()
    }

    /// When the sandbox started.
    pub(crate) fn started(&self) -> Instant {
        self.started
    }

    /// The latency added to every API request, if any.
    pub fn latency(&self) -> Option<Latency> {
        lock(&self.knobs).latency
    }

    /// Sets (or with `None` clears) the latency added to every API request.
    pub fn set_latency(&self, latency: Option<Latency>) {
        lock(&self.knobs).latency = latency;
    }

    /// Waits out one sample of the configured latency (at once if there is none).
    pub async fn wait_latency(&self) {
        if let Some(latency) = self.latency() {
            tokio::time::sleep(latency.sample()).await;
        }
    }

    /// Adds a fault rule; rules are tried in the order they were added.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.knobs).faults.push(rule);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.knobs).faults.clear();
    }

    /// The rule firing for this request in this phase, if any; spends one use of it.
    pub(crate) fn pick_fault(&self, method: &Method, path: &str, phase: FaultPhase) -> Option<FaultRule> {
        lock(&self.knobs).pick_fault(method, path, phase)
    }

    /// API requests received since start or the last reset (admin requests excluded).
    pub fn request_count(&self) -> u64 {
        lock(&self.stats).count
    }

    /// The API requests received, oldest first.
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        lock(&self.stats).log.iter().cloned().collect()
    }

    /// Clears the request counter and log.
    pub fn reset_stats(&self) {
        *lock(&self.stats) = Stats::default();
    }

    /// Clears the latency, the fault rules, the request counter and the log.
    pub fn reset(&self) {
        *lock(&self.knobs) = Knobs::default();
        self.reset_stats();
    }

    /// Counts one API request.
    pub(crate) fn count_request(&self) {
        lock(&self.stats).count += 1;
    }

    /// Appends to the log.
    pub(crate) fn record(&self, entry: LoggedRequest) {
        lock(&self.stats).record(entry);
    }

    /// The counter and the log, locked.
    pub(crate) fn stats(&self) -> MutexGuard<'_, Stats> {
        lock(&self.stats)
    }

    /// Tells the server, its connections and held requests to stop.
    pub(crate) fn shut_down(&self) {
        self.shutdown.send_replace(true);
    }

    /// Resolves once the sandbox is shutting down.
    pub(crate) async fn stopped(&self) {
        let mut shutdown = self.shutdown.subscribe();
        let _ = shutdown.wait_for(|stop| *stop).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Fault;
    use axum::response::Response;
    use http::HeaderMap;
    use serde_json::Value;
    use std::time::Duration;

    #[derive(Debug)]
    struct Plain;

    impl Api for Plain {
        fn json(&self, status: u16, _: &Value) -> Response {
            let mut response = Response::default();
            *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
            response
        }
        fn server_error(&self, _: &FaultRule, _: &HeaderMap) -> Response {
            self.json(500, &Value::Null)
        }
        fn rate_limited(&self, _: &FaultRule, _: &HeaderMap) -> Response {
            self.json(429, &Value::Null)
        }
    }

    /// `reset_stats` clears only the stats; `reset` clears the knobs as well.
    #[test]
    fn resets_clear_what_they_say() {
        let controls = Controls::new(Plain);
        controls.set_latency(Some(Latency::fixed(Duration::from_millis(5))));
        controls.add_fault(FaultRule::new(Fault::ServerError));
        controls.count_request();
        controls.reset_stats();
        assert_eq!(controls.request_count(), 0);
        assert!(controls.latency().is_some());
        assert!(
            controls
                .pick_fault(&Method::GET, "/", FaultPhase::BeforeHandling)
                .is_some()
        );
        controls.count_request();
        controls.reset();
        assert_eq!((controls.request_count(), controls.latency()), (0, None));
        assert!(
            controls
                .pick_fault(&Method::GET, "/", FaultPhase::BeforeHandling)
                .is_none()
        );
    }

    /// Waiting for the shutdown signal ends once it is given, also for waiters that come later.
    #[tokio::test]
    async fn stopped_resolves_after_shut_down() {
        let controls = std::sync::Arc::new(Controls::new(Plain));
        let waiter = tokio::spawn({
            let controls = controls.clone();
            async move { controls.stopped().await }
        });
        controls.shut_down();
        assert!(tokio::time::timeout(Duration::from_secs(1), waiter).await.is_ok());
        assert!(
            tokio::time::timeout(Duration::from_secs(1), controls.stopped())
                .await
                .is_ok()
        );
    }
}
