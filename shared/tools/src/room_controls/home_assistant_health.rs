//! `home_assistant_health`: whether Home Assistant answers, how fast, and how many room devices it
//! has.

use super::devices::Device;
use chrono::NaiveDate;
use dewy_domain::ToolError;
use dewy_tool::{Context, Effect, Sample, Tool, ToolSpec, backend_error};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Instant;

/// Input of `home_assistant_health`: nothing.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthInput {}

/// Output of `home_assistant_health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Health {
    /// Whether Home Assistant answered.
    pub reachable: bool,
    /// How long its answer took, in milliseconds.
    pub latency_ms: u64,
    /// The room devices it has (lights, thermostats, blinds).
    pub devices: usize,
    /// The rooms they are in.
    pub rooms: usize,
    /// All its entities, devices or not.
    pub entities: usize,
    /// Why it is not reachable: the error code a room-control command would get now.
    pub problem: Option<String>,
}

/// The `home_assistant_health` tool.
pub struct HomeAssistantHealth;

impl Tool for HomeAssistantHealth {
    type Input = HealthInput;
    type Output = Health;

    const SPEC: ToolSpec = ToolSpec {
        name: "home_assistant_health",
        personas: crate::personas::MAINTENANCE,
        deployment: crate::deployment::SKILL.with_home_assistant(),
        description: "Check Home Assistant, which runs the rooms' lights, thermostats and blinds: whether it \
            answers, how fast, how many devices it has, and if it does not answer, the error code room \
            controls get now.",
        effect: Effect::ReadOnly,
        open_world: true,
        alias_of: None,
        guest_scope: None,
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::maintenance("maintenance1@hotel.com", json!({}))
    }

    async fn call(&self, ctx: &Context, _input: HealthInput) -> Result<Health, ToolError> {
        let ha = ctx.home_assistant()?;
        let started = Instant::now();
        let states = ha.states().await;
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(match states {
            Ok(states) => {
                let devices = Device::all(&states);
                let rooms: BTreeSet<&str> = devices.iter().map(|d| d.room_number.as_str()).collect();
                Health {
                    reachable: true,
                    latency_ms,
                    devices: devices.len(),
                    rooms: rooms.len(),
                    entities: states.len(),
                    problem: None,
                }
            }
            Err(error) => Health {
                reachable: false,
                latency_ms,
                devices: 0,
                rooms: 0,
                entities: 0,
                problem: Some(backend_error::home_assistant(error).code.as_str()),
            },
        })
    }
}
