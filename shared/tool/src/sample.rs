//! A tool's sample call: who calls and with what arguments, written beside the tool so that it
//! changes with the tool. `events/<tool>.json` (what `cargo lambda invoke` sends) is generated from
//! it, and a test runs every sample through its function's handler against the seeded sandboxes.
//!
//! A sample's dates are relative to the day it is rendered (`today`), so a regenerated event never
//! books a night in the past.

use crate::caller::Persona;
use serde_json::Value;

/// One call of a tool that its function accepts on the seeded sandboxes.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The caller's Cognito group.
    pub persona: Persona,
    /// The email in the caller's token: a seeded user's, so that a guest's call finds their records.
    pub email: &'static str,
    /// The tool's arguments, as a client sends them.
    pub arguments: Value,
}

impl Sample {
    /// A call by the guest signed in as `email`.
    pub fn guest(email: &'static str, arguments: Value) -> Sample {
        Sample {
            persona: Persona::Guest,
            email,
            arguments,
        }
    }

    /// A call by a member of staff signed in as `email`.
    pub fn staff(email: &'static str, arguments: Value) -> Sample {
        Sample {
            persona: Persona::Staff,
            email,
            arguments,
        }
    }

    /// A call by housekeeping, signed in as `email`.
    pub fn housekeeping(email: &'static str, arguments: Value) -> Sample {
        Sample {
            persona: Persona::Housekeeping,
            email,
            arguments,
        }
    }

    /// A call by maintenance, signed in as `email`.
    pub fn maintenance(email: &'static str, arguments: Value) -> Sample {
        Sample {
            persona: Persona::Maintenance,
            email,
            arguments,
        }
    }

    /// A call by a manager signed in as `email`.
    pub fn manager(email: &'static str, arguments: Value) -> Sample {
        Sample {
            persona: Persona::Manager,
            email,
            arguments,
        }
    }
}
