//! Benchmark: throughput and latency of the MCP adapter under concurrent clients, for `tools/list`,
//! a read-only `tools/call` and a write `tools/call`, with where the CPU time goes.
//!
//! `cargo bench -p dewy-e2e --bench mcp_adapter` (optional: `-- <seconds per run> <warm-up
//! seconds> <client counts> <scenarios>`, default `5 1 1,10,50,100 list,staff-list,read,write`: 16
//! runs, about 100 s). Prints a Markdown table; exits non-zero if any request failed.
//!
//! # What runs
//! The adapter as the local stack serves it: `POST /mcp/guest`, bearer token from the local issuer
//! verified on every request by the production JWT verifier (RS256), rmcp's stateless Streamable
//! HTTP service in JSON mode, in-process dispatch to the tools through the shared invoke path
//! (persona checks, guest scoping, idempotency store in memory), the production Salesforce
//! connector talking HTTP to the Salesforce sandbox with no added latency. Requests are stateless
//! 2025-11-25 JSON-RPC (no `initialize` first), all as one signed-in guest:
//! - `list`, `tools/list`: no backend call, so the adapter's cost alone;
//! - `staff-list`, `tools/list` on `POST /mcp/staff` as a manager (`manager1@hotel.com`): the
//!   longest list, the same cost otherwise;
//! - `read`, `tools/call search_rooms_on_behalf_of_guest` (annotated read-only): one SOQL query;
//! - `write`, `tools/call submit_guest_service_request` with a fresh idempotency token each time:
//!   every call files a new case (four parallel reads, the upsert, a read of the case number: six
//!   sandbox requests); none is an idempotent replay.
//!
//! Closed loop: each virtual client has its own keep-alive connection and sends its next request
//! when the last is answered. Every answer is checked (status 200, the JSON-RPC id, the guest's tool
//! list without staff tools, his room found, a new case created and not replayed), and after a
//! write run the sandbox must hold exactly one case per write request sent. Each run starts on a
//! freshly seeded stack: the sandbox scans its tables, so the cases one run files would slow the
//! next. No tracing subscriber is installed, so log and metric records are not formatted (in AWS
//! every call writes its JSON log lines and its EMF record).
//!
//! # What shares the cores
//! Adapter, Salesforce sandbox and load generator are one process on the same cores (2 on the
//! reference machine), each on a Tokio runtime of its own (as many workers as cores) with named
//! threads. The table gives the CPU time each part spends per request (from `/proc`, Linux only).
//! "Adapter only" is the rate the adapter's CPU time per request would allow on all the cores
//! (cores ÷ adapter CPU per request): an estimate of the adapter deployed alone, not a measurement.
//!
//! What we saw on 2 cores at 50 clients: the load generator spends about 40-60 µs per request
//! (reqwest, and comparing each read's answer with the first one instead of parsing it); the
//! sandbox about 70 µs per read and 1.5-2.5 ms per write; the adapter about 150-200 µs per
//! `tools/list` or read (RS256 verification about 20 µs of it) and 0.6-0.85 ms per write (six
//! Salesforce round trips through the connector). So `tools/list` and the read measure mostly the
//! adapter, and the write mostly the sandbox, whose store sits behind one lock: writes top out near
//! one core's worth of sandbox work (about 400-500 a second), whatever the client count. In AWS
//! the adapter calls tools through Lambda Invoke instead of in-process, and Salesforce is elsewhere.

// A bench's root module looks for its modules beside it in benches/, among the other benches.
#[path = "mcp_adapter/cpu.rs"]
mod cpu;
#[path = "mcp_adapter/load.rs"]
mod load;
#[path = "mcp_adapter/scenarios.rs"]
mod scenarios;
#[path = "mcp_adapter/stack.rs"]
mod stack;

use load::{Row, Target};
use scenarios::Scenario;
use stack::Stack;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

struct Options {
    window: Duration,
    warm_up: Duration,
    clients: Vec<usize>,
    scenarios: Vec<Scenario>,
}

impl Options {
    /// From the command line; `cargo bench` passes `--bench`, the rest are ours.
    fn parse() -> Options {
        let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
        let seconds = |arg: Option<String>, default: f64| {
            Duration::from_secs_f64(arg.map_or(default, |a| a.parse().expect("seconds")))
        };
        let window = seconds(args.next(), 5.0);
        let warm_up = seconds(args.next(), 1.0);
        let clients = args.next().map_or(vec![1, 10, 50, 100], |list| {
            list.split(',')
                .map(|n| n.parse().expect("client counts: e.g. 1,10,50,100"))
                .collect()
        });
        let scenarios = args.next().map_or(Scenario::ALL.to_vec(), |list| {
            list.split(',')
                .map(|key| {
                    *Scenario::ALL
                        .iter()
                        .find(|s| s.key() == key)
                        .expect("scenarios: list, staff-list, read and/or write")
                })
                .collect()
        });
        Options {
            window,
            warm_up,
            clients,
            scenarios,
        }
    }
}

/// One request outside the measurement: the stateless path works, and a read's answer to compare
/// the measured ones with.
async fn reference(target: &Target, scenario: Scenario) -> Option<Vec<u8>> {
    let (status, body) = load::send(&reqwest::Client::new(), target, scenario.body(0))
        .await
        .unwrap();
    if let Some(problem) = scenario.problem(0, status, &body, None) {
        panic!("{} failed before measuring: {problem}", scenario.title());
    }
    (scenario != Scenario::WriteCall).then_some(body)
}

/// `None` when every write request sent (the reference one included) filed exactly one case, else
/// what the sandbox holds instead.
fn one_case_per_write(stack: &Stack, target: &Target) -> Option<String> {
    let sent = target.sequence.load(Ordering::Relaxed);
    let soql = "SELECT Id FROM Case WHERE External_ID__c LIKE 'bench-%'";
    let filed = stack.sandboxes.salesforce.query(soql).unwrap().len() as u64;
    (filed != sent).then(|| format!("{sent} write requests filed {filed} cases"))
}

fn micros(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1e6)
}

fn print_row(scenario: Scenario, clients: usize, row: &Row, cores: usize) {
    let cpu = &row.cpu_per_request;
    let adapter_only = cores as f64 / cpu.adapter.as_secs_f64().max(1e-9);
    println!(
        "| {} | {clients} | {:.0} | {:.2} ms | {:.2} ms | {} | {} | {} | {} | {} | {:.0} % | {:.0} |",
        scenario.key(),
        row.per_second,
        row.p50.as_secs_f64() * 1e3,
        row.p99.as_secs_f64() * 1e3,
        row.requests,
        row.errors,
        micros(cpu.adapter),
        micros(cpu.sandbox),
        micros(cpu.load + cpu.other),
        row.busy * 100.0,
        adapter_only,
    );
}

/// One row of the table, on `stack` (fresh for it): the reference request, the measured run, and
/// for writes the check that each request filed its own case. Why the run is invalid, if it is.
async fn one_row(
    stack: &Stack,
    scenario: Scenario,
    clients: usize,
    options: &Options,
    cores: usize,
) -> (Row, Option<String>) {
    let (endpoint, user) = scenario.endpoint_and_user();
    let mut target = Target {
        url: format!("{}/mcp/{endpoint}", stack.url),
        token: stack.token(user),
        reference: None,
        sequence: AtomicU64::new(1),
    };
    target.reference = reference(&target, scenario).await;
    let target = Arc::new(target);
    let row = load::measure(&target, scenario, clients, options.warm_up, options.window, cores).await;
    let mut problem = row.first_error.clone();
    if scenario == Scenario::WriteCall && problem.is_none() {
        problem = one_case_per_write(stack, &target);
    }
    (row, problem)
}

fn main() {
    let options = Options::parse();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "MCP adapter: POST /mcp/guest as {} (staff-list: /mcp/staff as {}), stateless 2025-11-25 JSON-RPC, JSON responses, Salesforce \
         sandbox latency 0; {:?} per run after {:?} warm-up, each run on a freshly seeded stack.\n\
         Adapter, sandbox and load generator: one process, a runtime each, {cores} cores shared.\n",
        scenarios::GUEST,
        scenarios::MANAGER,
        options.window,
        options.warm_up,
    );
    for scenario in &options.scenarios {
        println!("- {}: {}", scenario.key(), scenario.title());
    }
    println!(
        "\n| scenario | clients | req/s | p50 | p99 | requests | failed | adapter CPU µs/req | \
         sandbox CPU µs/req | load generator CPU µs/req | CPU busy | adapter only, est. req/s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let load = stack::runtime(stack::LOAD, cores);
    let mut failed = Vec::new();
    for &scenario in &options.scenarios {
        for &clients in &options.clients {
            // A fresh stack per row: the sandbox scans its tables, so the cases one row files would
            // slow the next, and the rows would depend on their order.
            let stack = Stack::start(cores);
            let (row, problem) = load.block_on(one_row(&stack, scenario, clients, &options, cores));
            drop(stack);
            print_row(scenario, clients, &row, cores);
            if let Some(problem) = problem {
                failed.push(format!("{} with {clients} clients: {problem}", scenario.key()));
            }
        }
    }
    if !failed.is_empty() {
        println!("\n**Requests failed; the figures above are not valid.** First error of each run:");
        for failure in failed {
            println!("- {failure}");
        }
        std::process::exit(1);
    }
    println!("\nAll requests answered 200 with the expected JSON-RPC result.");
}
