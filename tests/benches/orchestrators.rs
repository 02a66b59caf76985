//! Benchmark: every orchestrator against the original's sequential shape of the same workflow, on
//! the same sandboxes in the same run, with latency injected on every request.
//!
//! `cargo bench -p dewy-e2e --bench orchestrators` (optional: `-- <latency ms> <iterations>`,
//! default 100 10).
//!
//! The original (Workato recipes, recipes.md §1.1 and §1.2) ran every step one after another: an
//! orchestrator called atomic recipes, and each atomic made one or two requests. That shape is
//! re-enacted as a list of steps, each a real request of the same kind (SOQL query, record read,
//! update, upsert or create, Stripe GET or POST), run in order by one runner (`sequential`), each
//! step's result handed to the next as the recipe did. `plans` lists each orchestrator's steps.
//! Ours is the tool itself, called through the invoke path every transport uses and measured from
//! its `Invocation`.
//!
//! Every run gets records of its own (`fixtures`: inserted straight into the sandbox with latency
//! off, not measured) and fresh idempotency tokens, so no run sees another's writes. Salesforce,
//! Stripe and Twilio all answer at the injected latency. The original sent no text; ours queues one
//! for a maintenance request (in process here, on SQS in AWS) and the notifier sends it after the
//! tool has answered, so the text is not on the measured path.

// A bench's root module looks for its modules beside it in benches/, among the other benches.
#[path = "orchestrators/atomics.rs"]
mod atomics;
#[path = "orchestrators/fixtures.rs"]
mod fixtures;
#[path = "orchestrators/plans.rs"]
mod plans;
#[path = "orchestrators/sequential.rs"]
mod sequential;

use dewy_connector::CallSummary;
use dewy_e2e::World;
use dewy_salesforce_sandbox::Latency;
use fixtures::Fixtures;
use plans::Plan;
use std::time::Duration;

/// The orchestrators, in the order of recipes.md §1.1.
const ORCHESTRATORS: [&str; 13] = [
    "check_in_guest",
    "process_guest_checkout",
    "compensate_checkout_failure",
    "create_booking_orchestrator",
    "manage_booking_orchestrator",
    "manage_cases_orchestrator",
    "submit_guest_service_request",
    "submit_maintenance_request",
    "upsert_contact_by_email",
    "search_rooms_on_behalf_of_guest",
    "search_rooms_on_behalf_of_staff",
    "search_cases_on_behalf_of_guest",
    "search_cases_on_behalf_of_staff",
];

/// What a checkout charges, in cents (ours and the original alike).
const AMOUNT: u64 = 45_000;

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; the numbers are ours.
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let latency_ms: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10).max(1);
    let world = World::start().await;
    let latency = Latency::fixed(Duration::from_millis(latency_ms));
    let fixtures = Fixtures::new(&world);

    println!(
        "Every orchestrator, ours against the original's sequential shape; Salesforce, Stripe and Twilio \
         sandboxes at {latency_ms} ms per request, {iterations} runs each\n"
    );
    println!(
        "| orchestrator | shape | backend calls | sequential round trips | p50 | p95 | speed-up at p50 |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut speed_ups = Vec::new();
    for name in ORCHESTRATORS {
        let (mut ours, mut original) = (Vec::new(), Vec::new());
        for i in 0..iterations {
            // Alternate which shape goes first, so that drift in the machine's load hits both alike.
            for ours_turn in [i % 2 == 0, i % 2 != 0] {
                set_latency(&world, None);
                let plan = plans::plan(&fixtures, name).await;
                set_latency(&world, Some(latency));
                if ours_turn {
                    ours.push(call_ours(&world, name, plan).await);
                } else {
                    let token = fixtures.token();
                    original.push(sequential::run(&world, plan.original, &token).await);
                }
            }
        }
        set_latency(&world, None);
        let (ours, original) = (Stats::of(&mut ours), Stats::of(&mut original));
        let speed_up = original.p50.as_secs_f64() / ours.p50.as_secs_f64();
        speed_ups.push((name, speed_up));
        println!("{}", ours.row(name, "ours", &format!("**{speed_up:.2}x**")));
        println!("{}", original.row("", "original (sequential)", ""));
    }

    println!("\nSpeed-up at p50 (original p50 / ours p50):");
    for (name, speed_up) in speed_ups {
        println!("- {name}: {speed_up:.2}x");
    }
}

/// Sets (or with `None` removes) the latency of every sandbox at once.
fn set_latency(world: &World, latency: Option<Latency>) {
    world.sandbox.set_latency(latency);
    world.stripe.set_latency(latency);
    world.twilio.set_latency(latency);
}

/// One measured run of a shape.
struct Sample {
    elapsed: Duration,
    calls: CallSummary,
}

/// Calls our tool; a failure stops the benchmark, since its timing would mean nothing.
async fn call_ours(world: &World, name: &str, plan: Plan) -> Sample {
    let invocation = world.call(name, plan.caller, plan.arguments).await;
    assert!(
        invocation.result.is_ok() && !invocation.replayed,
        "{name}: {}",
        invocation.body()
    );
    Sample {
        elapsed: invocation.duration,
        calls: invocation.calls,
    }
}

/// The figures of one shape over all its runs.
struct Stats {
    calls: CallSummary,
    p50: Duration,
    p95: Duration,
}

impl Stats {
    fn of(samples: &mut [Sample]) -> Stats {
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

    /// A table row: `9 (5 salesforce + 4 stripe)` calls, round trips, p50, p95.
    fn row(&self, name: &str, shape: &str, speed_up: &str) -> String {
        let per_backend: Vec<String> = self
            .calls
            .calls
            .iter()
            .map(|(backend, n)| format!("{n} {}", backend.as_str()))
            .collect();
        format!(
            "| {name} | {shape} | {} ({}) | {} | {:.0} ms | {:.0} ms | {speed_up} |",
            self.calls.total_calls,
            per_backend.join(" + "),
            self.calls.sequential_round_trips,
            self.p50.as_secs_f64() * 1e3,
            self.p95.as_secs_f64() * 1e3,
        )
    }
}
