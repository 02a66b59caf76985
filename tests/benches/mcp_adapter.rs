//! Benchmark: throughput and latency of the local MCP adapter (`/mcp/guest` on the local stack) under
//! concurrent clients, for `tools/list` and for `tools/call` of `check_in_guest`'s repeat path.
//!
//! `cargo bench -p dewy-e2e --bench mcp_adapter` (optional: `-- <seconds per scenario> <warm-up
//! seconds>`, default 5 1).
//!
//! The whole local stack runs in this process: token issuer, production JWT verifier (every request
//! is verified), rmcp's stateless Streamable HTTP service in JSON mode, and the Salesforce sandbox
//! (its own HTTP server, no added latency). The load generator shares the same tokio runtime and
//! cores, so the figures are a floor for the adapter alone.
//!
//! Each virtual client owns one `reqwest::Client` (one keep-alive connection, like a real MCP client)
//! and sends its next request as soon as the last one is answered (closed loop). Requests are
//! stateless 2025-11-25 JSON-RPC: no `initialize` first. Every answer must be `200` with a JSON-RPC
//! `result` of the expected shape; anything else counts as an error.

use dewy_local::{LocalOptions, LocalStack};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a scenario sends and how its answer is checked.
#[derive(Clone, Copy)]
enum Method {
    ToolsList,
    CheckInRepeat,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::ToolsList => "tools/list",
            Method::CheckInRepeat => "tools/call check_in_guest (repeat)",
        }
    }

    fn body(self) -> Vec<u8> {
        let message = match self {
            Method::ToolsList => json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}),
            Method::CheckInRepeat => json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": {"name": "check_in_guest", "arguments": {}}}),
        };
        serde_json::to_vec(&message).unwrap()
    }

    /// `None` when the answer is what this method must return, else why not.
    fn problem(self, status: u16, body: &[u8]) -> Option<String> {
        if status != 200 {
            return Some(format!("HTTP {status}: {}", String::from_utf8_lossy(body)));
        }
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return Some(format!("not JSON: {}", String::from_utf8_lossy(body)));
        };
        let result = &value["result"];
        let fits = match self {
            Method::ToolsList => result["tools"]
                .as_array()
                .is_some_and(|tools| tools.iter().any(|t| t["name"] == "check_in_guest")),
            Method::CheckInRepeat => {
                result["isError"] == false && result["structuredContent"]["already_checked_in"] == true
            }
        };
        (!fits).then(|| format!("unexpected answer: {value}"))
    }
}

/// One virtual client's run: latencies of requests measured inside the window, errors, the first
/// error seen.
#[derive(Default)]
struct Run {
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
}

/// Sends requests in a closed loop until `end`, recording those that start at or after `measure_from`.
async fn client(
    url: Arc<String>,
    token: Arc<String>,
    body: Arc<Vec<u8>>,
    method: Method,
    measure_from: Instant,
    end: Instant,
) -> Run {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    let mut run = Run::default();
    while Instant::now() < end {
        let started = Instant::now();
        let outcome = http
            .post(url.as_str())
            .bearer_auth(token.as_str())
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .body(body.as_ref().clone())
            .send()
            .await;
        let problem = match outcome {
            Ok(response) => {
                let status = response.status().as_u16();
                match response.bytes().await {
                    Ok(bytes) => method.problem(status, &bytes),
                    Err(error) => Some(format!("reading the body: {error}")),
                }
            }
            Err(error) => Some(format!("sending: {error}")),
        };
        let elapsed = started.elapsed();
        if started < measure_from {
            continue;
        }
        run.latencies.push(elapsed);
        if let Some(problem) = problem {
            run.errors += 1;
            run.first_error.get_or_insert(problem);
        }
    }
    run
}

/// One table row.
struct Row {
    method: Method,
    clients: usize,
    requests: usize,
    errors: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    first_error: Option<String>,
}

async fn scenario(
    url: &Arc<String>,
    token: &Arc<String>,
    method: Method,
    clients: usize,
    warm_up: Duration,
    window: Duration,
) -> Row {
    let body = Arc::new(method.body());
    let measure_from = Instant::now() + warm_up;
    let end = measure_from + window;
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            tokio::spawn(client(
                url.clone(),
                token.clone(),
                body.clone(),
                method,
                measure_from,
                end,
            ))
        })
        .collect();
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
    Row {
        method,
        clients,
        requests: latencies.len(),
        errors,
        per_second: latencies.len() as f64 / span.as_secs_f64(),
        p50: at(0.5),
        p99: at(0.99),
        first_error,
    }
}

/// One request outside the measurement, to prove the stateless path works before measuring.
async fn once(url: &str, token: &str, method: Method) -> (u16, Vec<u8>) {
    let response = reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .body(method.body())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let seconds: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5.0);
    let warm_up: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1.0);
    let (window, warm_up) = (Duration::from_secs_f64(seconds), Duration::from_secs_f64(warm_up));

    let stack = LocalStack::start(LocalOptions::ephemeral()).await.unwrap();
    stack.salesforce.set_latency(None);
    let token = Arc::new(stack.token("kay@example.com").unwrap());
    let url = Arc::new(format!("{}/mcp/guest", stack.api_url));

    // Stateless: both methods answer without `initialize`. The first call checks Kay in; from then
    // on every call takes the repeat path (`already_checked_in: true`).
    let (status, body) = once(&url, &token, Method::ToolsList).await;
    if let Some(problem) = Method::ToolsList.problem(status, &body) {
        panic!("tools/list without initialize failed: {problem}");
    }
    let (status, body) = once(&url, &token, Method::CheckInRepeat).await;
    let first: Value = serde_json::from_slice(&body).unwrap_or_default();
    assert!(
        status == 200 && first["result"]["isError"] == false,
        "the first check-in failed: HTTP {status} {first}"
    );
    let (status, body) = once(&url, &token, Method::CheckInRepeat).await;
    if let Some(problem) = Method::CheckInRepeat.problem(status, &body) {
        panic!("the repeat check-in failed: {problem}");
    }

    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "MCP adapter (local stack, POST /mcp/guest, stateless 2025-11-25, JSON responses), \
         Salesforce sandbox latency 0, {seconds} s per scenario after {warm_up:?} warm-up.\n\
         Server, sandbox and load generator share one process, one tokio runtime and {cores} cores.\n"
    );
    println!("| scenario | clients | requests | errors | req/s | p50 | p99 |");
    println!("|---|---|---|---|---|---|---|");
    let mut total_errors = 0;
    let mut first_error = None;
    for method in [Method::ToolsList, Method::CheckInRepeat] {
        for clients in [1, 10, 50, 100] {
            let row = scenario(&url, &token, method, clients, warm_up, window).await;
            println!(
                "| {} | {} | {} | {} | {:.0} | {:.2} ms | {:.2} ms |",
                row.method.name(),
                row.clients,
                row.requests,
                row.errors,
                row.per_second,
                row.p50.as_secs_f64() * 1e3,
                row.p99.as_secs_f64() * 1e3,
            );
            total_errors += row.errors;
            if first_error.is_none() {
                first_error = row.first_error;
            }
        }
    }
    if total_errors > 0 {
        println!(
            "\n**WARNING: {total_errors} requests failed; the figures above include them and are not valid.**\n\
             First error: {}",
            first_error.unwrap_or_default()
        );
        std::process::exit(1);
    }
    println!("\nAll requests answered 200 with the expected JSON-RPC result.");
}
