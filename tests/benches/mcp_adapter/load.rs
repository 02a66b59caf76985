//! Closed-loop virtual clients and the figures of one run.
//!
//! Each virtual client owns one `reqwest::Client` kept to one keep-alive connection (like a real
//! MCP client) and sends its next request as soon as the last one is answered. Requests started
//! during the warm-up are checked (a failure counts) but not timed.

use crate::cpu::Usage;
use crate::scenarios::Scenario;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Where and as whom the clients send.
pub struct Target {
    pub url: String,
    pub token: String,
    /// The checked first answer of a read scenario (see `Scenario::problem`).
    pub reference: Option<Vec<u8>>,
    /// The number of the next request, shared by every client so that no two writes carry the same
    /// idempotency token (a repeated token is an instant replay, not a write).
    pub sequence: AtomicU64,
}

/// One virtual client's run.
#[derive(Default)]
struct ClientRun {
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
}

/// One request, outside any measurement: its status and body.
pub async fn send(http: &reqwest::Client, target: &Target, body: Vec<u8>) -> Result<(u16, Vec<u8>), String> {
    let response = http
        .post(&target.url)
        .bearer_auth(&target.token)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .body(body)
        .send()
        .await
        .map_err(|error| format!("sending: {error}"))?;
    let status = response.status().as_u16();
    let bytes = response
        .bytes()
        .await
        .map_err(|error| format!("reading the body: {error}"))?;
    Ok((status, bytes.to_vec()))
}

async fn client(target: Arc<Target>, scenario: Scenario, measure_from: Instant, end: Instant) -> ClientRun {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    let mut run = ClientRun::default();
    while Instant::now() < end {
        let n = target.sequence.fetch_add(1, Ordering::Relaxed);
        let body = scenario.body(n);
        let started = Instant::now();
        let problem = match send(&http, &target, body).await {
            Ok((status, body)) => scenario.problem(n, status, &body, target.reference.as_deref()),
            Err(error) => Some(error),
        };
        let elapsed = started.elapsed();
        if started >= measure_from {
            run.latencies.push(elapsed);
        }
        // A failure during the warm-up invalidates the run all the same.
        if let Some(problem) = problem {
            run.errors += 1;
            run.first_error.get_or_insert(problem);
        }
    }
    run
}

/// The figures of one scenario at one client count.
pub struct Row {
    /// Requests timed (started after the warm-up).
    pub requests: usize,
    /// Requests that failed, warm-up included.
    pub errors: usize,
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    /// CPU time spent per counted request, by part.
    pub cpu_per_request: Usage,
    /// CPU time of the whole process over the window, as a share of the machine's cores.
    pub busy: f64,
    pub first_error: Option<String>,
}

/// Runs `clients` virtual clients for `warm_up`, then measures for `window`.
pub async fn measure(
    target: &Arc<Target>,
    scenario: Scenario,
    clients: usize,
    warm_up: Duration,
    window: Duration,
    cores: usize,
) -> Row {
    let measure_from = Instant::now() + warm_up;
    let end = measure_from + window;
    let tasks: Vec<_> = (0..clients)
        .map(|_| tokio::spawn(client(target.clone(), scenario, measure_from, end)))
        .collect();
    tokio::time::sleep_until(measure_from.into()).await;
    let cpu_before = Usage::now();
    let mut latencies = Vec::new();
    let (mut errors, mut first_error) = (0, None);
    for task in tasks {
        let run = task.await.unwrap();
        latencies.extend(run.latencies);
        errors += run.errors;
        if first_error.is_none() {
            first_error = run.first_error;
        }
    }
    let cpu = Usage::now().since(cpu_before);
    // Requests started in the window; the last ones finish just after it, so the rate uses the time
    // from the window's start to the last answer.
    let span = measure_from.elapsed().max(window);
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    let count = latencies.len().max(1) as u32;
    let all = cpu.adapter + cpu.sandbox + cpu.load + cpu.other;
    Row {
        requests: latencies.len(),
        errors,
        per_second: latencies.len() as f64 / span.as_secs_f64(),
        p50: at(0.5),
        p99: at(0.99),
        cpu_per_request: Usage {
            adapter: cpu.adapter / count,
            sandbox: cpu.sandbox / count,
            load: cpu.load / count,
            other: cpu.other / count,
        },
        busy: all.as_secs_f64() / (span.as_secs_f64() * cores.max(1) as f64),
        first_error,
    }
}
