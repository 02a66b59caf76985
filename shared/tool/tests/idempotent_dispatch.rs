//! The idempotency layer as every tool meets it through `invoke`: side-effecting tools run once per
//! operation, read-only tools every time, failures are never replayed, and downstream keys are
//! stable across retries.

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

use dewy_connector::{Deadline, Secret};
use dewy_domain::{ErrorCode, ToolError};
use dewy_idempotency::MemoryStore;
use dewy_salesforce::{Credentials, Salesforce, SalesforceConfig};
use dewy_tool::dispatch::invoke;
use dewy_tool::{Backends, Caller, Context, Effect, KeyFrom, Persona, Tool, ToolSpec, Write};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Input {
    idempotency_token: String,
    amount: u32,
    #[serde(default)]
    fail: bool,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
struct Output {
    run: usize,
    downstream_key: Option<String>,
}

const fn spec(name: &'static str, read_only: bool) -> ToolSpec {
    ToolSpec {
        name,
        description: "demo",
        personas: &[Persona::Staff],
        deployment: dewy_tool::Deployment {
            memory_mb: 128,
            timeout_secs: 3,
            stripe: false,
            texts: false,
            home_assistant: false,
        },
        effect: if read_only {
            Effect::ReadOnly
        } else {
            Effect::Writes(Write {
                key: KeyFrom::Token("idempotency_token"),
                destructive: false,
                idempotent: false,
                moves_money: false,
            })
        },
        open_world: false,
        alias_of: None,
        guest_scope: None,
    }
}

macro_rules! demo_tool {
    ($name:ident, $read_only:expr) => {
        /// Counts its executions; fails when asked to.
        struct $name(AtomicUsize);
        impl Tool for $name {
            type Input = Input;
            type Output = Output;
            const SPEC: ToolSpec = spec(stringify!($name), $read_only);
            fn sample(&self, _today: chrono::NaiveDate) -> dewy_tool::Sample {
                dewy_tool::Sample::staff("staff1@hotel.com", serde_json::json!({}))
            }
            async fn call(&self, ctx: &Context, input: Input) -> Result<Output, ToolError> {
                let run = self.0.fetch_add(1, Ordering::SeqCst) + 1;
                if input.fail {
                    return Err(ToolError::new(ErrorCode::SalesforceUnavailable, "down"));
                }
                Ok(Output {
                    run,
                    downstream_key: ctx.downstream_key("payment_intent"),
                })
            }
        }
        impl $name {
            fn new() -> Self {
                $name(AtomicUsize::new(0))
            }
            fn runs(&self) -> usize {
                self.0.load(Ordering::SeqCst)
            }
        }
    };
}

demo_tool!(Charge, false);
demo_tool!(Lookup, true);

/// Backends whose Salesforce is never called (the demo tools do not use it).
fn backends() -> Backends {
    let config = SalesforceConfig::new(
        "http://127.0.0.1:9".parse().unwrap(),
        Credentials::ClientCredentials {
            client_id: "unused".into(),
            client_secret: Secret::new("unused".to_owned()),
        },
    );
    Backends::new(
        Salesforce::new(config, reqwest::Client::new()),
        Arc::new(MemoryStore::new()),
    )
}

fn staff(sub: &str) -> Caller {
    Caller::from_claims(sub, None, ["staff"])
}

async fn call(
    tool: &dyn dewy_tool::DynTool,
    backends: &Backends,
    caller: Caller,
    args: Value,
) -> dewy_tool::Invocation {
    invoke(
        tool,
        backends,
        caller,
        Deadline::after(Duration::from_secs(5)),
        args,
    )
    .await
}

#[tokio::test]
async fn a_side_effecting_tool_runs_once_per_operation() {
    let (tool, backends) = (Charge::new(), backends());
    let args = json!({"idempotency_token": "t-1", "amount": 5000});
    let first = call(&tool, &backends, staff("a"), args.clone()).await;
    let again = call(&tool, &backends, staff("a"), args).await;
    assert_eq!(tool.runs(), 1);
    assert!(!first.replayed && again.replayed);
    assert_eq!(first.result.unwrap(), again.result.unwrap());

    // The same token from another caller is another operation.
    let other = call(
        &tool,
        &backends,
        staff("b"),
        json!({"idempotency_token": "t-1", "amount": 5000}),
    )
    .await;
    assert!(!other.replayed);
    assert_eq!(tool.runs(), 2);

    let changed = call(
        &tool,
        &backends,
        staff("a"),
        json!({"idempotency_token": "t-1", "amount": 6000}),
    )
    .await;
    assert_eq!(changed.result.unwrap_err().code, ErrorCode::IdempotencyKeyReused);
    assert_eq!(tool.runs(), 2, "a refused call does not run");
}

#[tokio::test]
async fn a_read_only_tool_runs_every_time_and_has_no_downstream_key() {
    let (tool, backends) = (Lookup::new(), backends());
    let args = json!({"idempotency_token": "t-1", "amount": 1});
    for _ in 0..3 {
        let invocation = call(&tool, &backends, staff("a"), args.clone()).await;
        assert!(!invocation.replayed);
        assert_eq!(invocation.result.unwrap()["downstream_key"], Value::Null);
    }
    assert_eq!(tool.runs(), 3);
}

#[tokio::test]
async fn failures_and_bad_input_are_never_replayed() {
    let (tool, backends) = (Charge::new(), backends());
    let failing = json!({"idempotency_token": "t-2", "amount": 5000, "fail": true});
    for _ in 0..2 {
        let invocation = call(&tool, &backends, staff("a"), failing.clone()).await;
        assert_eq!(
            invocation.result.unwrap_err().code,
            ErrorCode::SalesforceUnavailable
        );
        assert!(!invocation.replayed);
    }
    assert_eq!(tool.runs(), 2, "each retry of a failure runs again");

    let bad = call(&tool, &backends, staff("a"), json!({"idempotency_token": "t-3"})).await;
    assert_eq!(bad.result.unwrap_err().code, ErrorCode::RequiredFieldsMissing);
    let good = call(
        &tool,
        &backends,
        staff("a"),
        json!({"idempotency_token": "t-3", "amount": 1}),
    )
    .await;
    assert!(good.result.is_ok(), "bad input took no lock on the key");
}

#[tokio::test]
async fn downstream_keys_survive_a_retry_that_runs_again() {
    let tool = Charge::new();
    let args = json!({"idempotency_token": "t-4", "amount": 5000});
    // Two containers (two stores): the operation runs twice, as after a lost record, and must send
    // the same key downstream both times so Stripe dedupes it.
    let first = call(&tool, &backends(), staff("a"), args.clone())
        .await
        .result
        .unwrap();
    let second = call(&tool, &backends(), staff("a"), args).await.result.unwrap();
    assert_eq!(tool.runs(), 2);
    let key = first["downstream_key"].as_str().unwrap();
    assert_eq!(second["downstream_key"], key);
    assert!(
        key.starts_with("Charge#") && key.ends_with(":payment_intent"),
        "{key}"
    );
    assert!(key.len() <= 255, "Stripe accepts keys up to 255 characters");
}
