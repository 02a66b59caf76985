//! Benchmark: every orchestrator against the original's sequential shape of the same workflow, on
//! the same sandboxes in the same run, with latency injected on every backend request; for check-in
//! and checkout also an agent composing the atomic skills through the MCP endpoint.
//!
//! `cargo bench -p dewy-e2e --bench orchestrators` runs everything at 50, 100 and 200 ms per
//! request, 10 runs of each shape (about 10 minutes). Options after `--`:
//! `--latency 100` (comma-separated list, ms), `--runs 20`, `--only check_in_guest,...`,
//! `--model-turn <ms>` (the agent's wait between tool calls; default: the latency).
//!
//! The original (Workato recipes; docs/architecture.md shows its round trips) ran every step one
//! after another: an orchestrator called atomic recipes, and each atomic made one or two requests.
//! That shape is re-enacted as a list of steps, each a real request of the same kind (SOQL query,
//! record read, update, upsert or create, Stripe GET or POST), run in order by one runner
//! (`sequential`), each step's result handed to the next as the recipe did. `plans` lists each
//! orchestrator's steps. Check-in also runs the original as its documentation describes it (6
//! calls: 3 reads + 3 updates; the recipe as built takes the room's status from the booking search,
//! 5 calls). Ours is the tool itself, called through the invoke path every transport uses and
//! measured from its `Invocation`.
//!
//! For check-in and checkout, `agent` times both shapes as an MCP client sees them: ours as one
//! `tools/call`, and an agent's composition of the atomic skills, one `tools/call` after another,
//! with and without a model turn between calls (see `agent` for what is and is not counted).
//!
//! Every run gets records of its own (`fixtures`: inserted straight into the sandbox with latency
//! off, not measured) and fresh idempotency tokens, so no run sees another's writes. Salesforce,
//! Stripe, Twilio and Home Assistant all answer at the injected latency. The original sent no text; ours queues one
//! for a maintenance request (in process here, on SQS in AWS) and the notifier sends it after the
//! tool has answered, so the text is not on the measured path.

// A bench's root module looks for its modules beside it in benches/, among the other benches.
#[path = "orchestrators/agent.rs"]
mod agent;
#[path = "orchestrators/atomics.rs"]
mod atomics;
#[path = "orchestrators/fixtures.rs"]
mod fixtures;
#[path = "orchestrators/plans.rs"]
mod plans;
#[path = "orchestrators/sequential.rs"]
mod sequential;
#[path = "orchestrators/stats.rs"]
mod stats;

use agent::Mcp;
use dewy_e2e::World;
use dewy_salesforce_sandbox::Latency;
use fixtures::Fixtures;
use plans::Plan;
use stats::{Sample, Stats};
use std::time::Duration;

/// The orchestrators, in the original's order, then the room controls (tools the original had as
/// recipes but never served).
const ORCHESTRATORS: [&str; 15] = [
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
    "list_room_devices",
    "control_light",
];

/// What a checkout charges, in cents (ours and the original alike): the bill of the fixtures'
/// checked-in stay, one night (it arrived today) at $150.
const AMOUNT: u64 = 15_000;

/// The ways a workflow is run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Our tool, through the invoke path every transport uses.
    Ours,
    /// The original's steps as built, one request after another.
    Original,
    /// The original as its documentation describes it (check-in only).
    Documented,
    /// Our tool as one MCP `tools/call`.
    OursViaMcp,
    /// An agent composing atomic skills through MCP, with no model time between calls.
    AgentIo,
    /// The same agent, waiting a model turn between calls.
    Agent,
}

impl Shape {
    fn label(self) -> &'static str {
        match self {
            Shape::Ours => "ours",
            Shape::Original => "original (sequential, as built)",
            Shape::Documented => "original (sequential, as documented: 3 reads + 3 updates)",
            Shape::OursViaMcp => "ours, one MCP tools/call",
            Shape::AgentIo => "agent composing atomic skills via MCP, I/O only",
            Shape::Agent => "agent composing atomic skills via MCP, a model turn between calls",
        }
    }

    /// The shape this one is compared with.
    fn baseline(self) -> Shape {
        match self {
            Shape::Ours | Shape::Original | Shape::Documented => Shape::Ours,
            Shape::OursViaMcp | Shape::AgentIo | Shape::Agent => Shape::OursViaMcp,
        }
    }

    /// The shapes orchestrator `name` is run in.
    fn all_for(name: &str) -> Vec<Shape> {
        use Shape::*;
        match name {
            "check_in_guest" => vec![Ours, Original, Documented, OursViaMcp, AgentIo, Agent],
            "process_guest_checkout" => vec![Ours, Original, OursViaMcp, AgentIo, Agent],
            _ => vec![Ours, Original],
        }
    }
}

/// What to run, from the arguments after `--`.
struct Options {
    latencies_ms: Vec<u64>,
    runs: usize,
    only: Vec<String>,
    model_turn_ms: Option<u64>,
}

impl Options {
    fn parse() -> Options {
        let mut options = Options {
            latencies_ms: vec![50, 100, 200],
            runs: 10,
            only: Vec::new(),
            model_turn_ms: None,
        };
        let mut args = std::env::args().skip(1);
        let list = |value: Option<String>| -> Vec<String> {
            let value = value.expect("an option needs a value");
            value.split(',').map(str::to_owned).collect()
        };
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--latency" => {
                    options.latencies_ms = list(args.next()).iter().map(|v| v.parse().unwrap()).collect()
                }
                "--runs" => options.runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(10).max(1),
                "--only" => options.only = list(args.next()),
                "--model-turn" => options.model_turn_ms = args.next().and_then(|v| v.parse().ok()),
                // `cargo bench` passes `--bench`.
                _ => {}
            }
        }
        for name in &options.only {
            assert!(
                ORCHESTRATORS.contains(&name.as_str()),
                "not an orchestrator: {name}"
            );
        }
        options
    }

    fn selected(&self) -> impl Iterator<Item = &'static str> {
        ORCHESTRATORS
            .into_iter()
            .filter(|name| self.only.is_empty() || self.only.iter().any(|o| o == name))
    }
}

/// One shape's figures for one orchestrator at one latency.
struct Measured {
    latency_ms: u64,
    name: &'static str,
    shape: Shape,
    stats: Stats,
}

#[tokio::main]
async fn main() {
    let options = Options::parse();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Orchestrators against the original's sequential shape and an agent composing atomic skills; \
         Salesforce, Stripe, Twilio and Home Assistant sandboxes at the latency shown per request; {} runs of each shape; \
         {cores} cores.",
        options.runs
    );
    let mut measured = Vec::new();
    for &latency_ms in &options.latencies_ms {
        let latency = Latency::fixed(Duration::from_millis(latency_ms));
        let model_turn = Duration::from_millis(options.model_turn_ms.unwrap_or(latency_ms));
        println!(
            "\n### {latency_ms} ms per request (agent's model turn: {} ms)\n",
            model_turn.as_millis()
        );
        println!(
            "| orchestrator | shape | backend calls | DynamoDB calls | sequential round trips (with DynamoDB) | p50 \
             | p95 | ours faster by (p50) |"
        );
        println!("|---|---|---|---|---|---|---|---|");
        for name in options.selected() {
            // Fresh sandboxes for each orchestrator: they scan their tables, so the records earlier
            // runs left would slow later ones, and slow a relationship query more than the original's
            // simple ones. Real Salesforce has indexes.
            let world = World::start().await;
            // Both shapes' clients speak 2025-11-25, so no person can be asked to confirm a
            // checkout's charge: the deployment setting that lets such moves through, audited.
            let api = world.serve_api_with(dewy_mcp::Unconfirmable::AllowAudited).await;
            let mcp = Mcp::new(&api);
            mcp.warm_up().await;
            let fixtures = Fixtures::new(&world);
            let shapes = Shape::all_for(name);
            let mut samples: Vec<Vec<Sample>> = shapes.iter().map(|_| Vec::new()).collect();
            for run in 0..options.runs {
                // Rotate the order of the shapes, so that drift in the machine's load hits all alike.
                for k in 0..shapes.len() {
                    let at = (run + k) % shapes.len();
                    let shape = shapes[at];
                    set_latency(&world, None);
                    let plan = if shape == Shape::Documented {
                        plans::documented_check_in(&fixtures)
                    } else {
                        plans::plan(&fixtures, name).await
                    };
                    set_latency(&world, Some(latency));
                    let sample = match shape {
                        Shape::Ours => call_ours(&world, name, plan).await,
                        Shape::Original | Shape::Documented => {
                            sequential::run(&world, plan.original, &fixtures.token()).await
                        }
                        Shape::OursViaMcp => mcp.ours(&world, name, plan).await,
                        Shape::AgentIo => mcp.agent(&world, name, plan, Duration::ZERO).await,
                        Shape::Agent => mcp.agent(&world, name, plan, model_turn).await,
                    };
                    samples[at].push(sample);
                }
            }
            set_latency(&world, None);
            let stats: Vec<Stats> = samples.iter_mut().map(|s| Stats::of(s)).collect();
            for (i, (&shape, shape_stats)) in shapes.iter().zip(&stats).enumerate() {
                let baseline = &stats[shapes.iter().position(|&s| s == shape.baseline()).unwrap()];
                let speed_up = if shape == shape.baseline() {
                    String::new()
                } else {
                    format!("**{:.2}x**", baseline.speed_up_over(shape_stats))
                };
                println!(
                    "{}",
                    shape_stats.row(if i == 0 { name } else { "" }, shape.label(), &speed_up)
                );
            }
            for (shape, stats) in shapes.into_iter().zip(stats) {
                measured.push(Measured {
                    latency_ms,
                    name,
                    shape,
                    stats,
                });
            }
        }
    }
    print_goals(&measured);
}

/// The speed goals at 100 ms per request, where they were measured (docs/decisions.md#speed-goals).
fn print_goals(measured: &[Measured]) {
    let find = |name: &str, shape: Shape| {
        measured
            .iter()
            .find(|m| m.latency_ms == 100 && m.name == name && m.shape == shape)
    };
    // (what, orchestrator, compared with, goal, what to know when reading it)
    let goals = [
        (
            "check-in vs the original as documented",
            "check_in_guest",
            Shape::Documented,
            Some(2.5),
            "",
        ),
        (
            "check-in vs the original as built",
            "check_in_guest",
            Shape::Original,
            None,
            " (5 requests against 2 round trips: 2.5x is the ceiling, less each request's overhead)",
        ),
        (
            "check-in vs an agent (model turn)",
            "check_in_guest",
            Shape::Agent,
            Some(6.0),
            "",
        ),
        (
            "check-in vs an agent (I/O only)",
            "check_in_guest",
            Shape::AgentIo,
            None,
            " (no model time at all: what no agent can beat)",
        ),
        (
            "checkout vs the original as built",
            "process_guest_checkout",
            Shape::Original,
            Some(2.0),
            "",
        ),
    ];
    let mut printed_header = false;
    for (what, name, shape, goal, reading) in goals {
        let (Some(slow), Some(fast)) = (find(name, shape), find(name, shape.baseline())) else {
            continue;
        };
        if !printed_header {
            println!("\nAt 100 ms per request (p50), against the speed goals:");
            printed_header = true;
        }
        let speed_up = fast.stats.speed_up_over(&slow.stats);
        let verdict = match goal {
            Some(goal) if speed_up >= goal => format!(" (goal {goal}x: met)"),
            Some(goal) => format!(" (goal {goal}x: MISSED)"),
            None => String::new(),
        };
        println!("- {what}: {speed_up:.2}x{verdict}{reading}");
    }
}

/// Sets (or with `None` removes) the latency of every sandbox at once.
fn set_latency(world: &World, latency: Option<Latency>) {
    world.sandbox.set_latency(latency);
    world.stripe.set_latency(latency);
    world.twilio.set_latency(latency);
    world.home_assistant.set_latency(latency);
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
