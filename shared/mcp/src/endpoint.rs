//! The MCP endpoints, one per job, and which callers and tools each serves.

use dewy_tool::{Caller, Persona, ToolSpec};

/// An MCP endpoint, one per job: an agent connected to one carries only the tools of that job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `/mcp/guest`: guest tools, scoped to the signed-in guest's own records.
    Guest,
    /// `/mcp/staff`: the front desk's tools, on anyone's records.
    Staff,
    /// `/mcp/housekeeping`: rooms to clean and the requests housekeeping carries out.
    Housekeeping,
    /// `/mcp/maintenance`: repairs, their cases, and the rooms' devices.
    Maintenance,
    /// `/mcp/manager`: the tools that move money, and the bill they start from.
    Manager,
}

impl Endpoint {
    /// Every endpoint, in the order they are mounted.
    pub const ALL: [Endpoint; 5] = [
        Endpoint::Guest,
        Endpoint::Staff,
        Endpoint::Housekeeping,
        Endpoint::Maintenance,
        Endpoint::Manager,
    ];

    /// The job this endpoint serves: a caller must hold it, and it lists the tools the job may call.
    pub fn job(self) -> Persona {
        match self {
            Endpoint::Guest => Persona::Guest,
            Endpoint::Staff => Persona::Staff,
            Endpoint::Housekeeping => Persona::Housekeeping,
            Endpoint::Maintenance => Persona::Maintenance,
            Endpoint::Manager => Persona::Manager,
        }
    }

    /// The persona segment of the path: the job's group name, e.g. `housekeeping`.
    pub fn name(self) -> &'static str {
        self.job().group()
    }

    /// The endpoint's path, e.g. `/mcp/guest`.
    pub fn path(self) -> String {
        format!("/mcp/{}", self.name())
    }

    /// The personas a caller acts as here: the job, and on a staff endpoint a manager's authority
    /// too (a manager checking a guest out on `/mcp/staff` may still override the amount).
    pub fn personas(self) -> &'static [Persona] {
        match self {
            Endpoint::Guest => &[Persona::Guest],
            Endpoint::Staff => &[Persona::Staff, Persona::Manager],
            Endpoint::Housekeeping => &[Persona::Housekeeping, Persona::Manager],
            Endpoint::Maintenance => &[Persona::Maintenance, Persona::Manager],
            Endpoint::Manager => &[Persona::Manager],
        }
    }

    /// The caller as this endpoint sees them: only their personas the endpoint acts as, or `None`
    /// when they do not hold its job.
    ///
    /// Narrowing matters for someone who is both guest and staff: on the guest endpoint they act as
    /// a guest (so the invoke path scopes them to their own records, matching the guest schemas that
    /// omit the email), and on a staff endpoint guest-only tools stay out of reach.
    pub fn view(self, caller: &Caller) -> Option<Caller> {
        if !caller.personas.contains(&self.job()) {
            return None;
        }
        let personas: Vec<Persona> = caller
            .personas
            .iter()
            .copied()
            .filter(|p| self.personas().contains(p))
            .collect();
        Some(Caller {
            personas,
            ..caller.clone()
        })
    }

    /// Whether this endpoint lists and runs the tool for `caller` (already narrowed by [`view`]).
    ///
    /// [`view`]: Endpoint::view
    pub fn serves(self, spec: &ToolSpec, caller: &Caller) -> bool {
        self.offers(spec) && spec.allows(&caller.personas)
    }

    /// Whether the tool belongs to this endpoint's job. A second name of a tool is not listed.
    pub fn offers(self, spec: &ToolSpec) -> bool {
        spec.personas.contains(&self.job()) && spec.alias_of.is_none()
    }

    /// One sentence for `initialize`/`server/discover` instructions.
    pub fn instructions(self) -> &'static str {
        match self {
            Endpoint::Guest => {
                "Dewy Resort guest tools: they act only on the signed-in guest's own reservations, so never ask the guest for their email address."
            }
            Endpoint::Staff => {
                "Dewy Resort front-desk tools: check-in, checkout, bookings, contacts and guests' requests, on any guest's records, so name the guest (usually by email) in each call."
            }
            Endpoint::Housekeeping => {
                "Dewy Resort housekeeping tools: find the rooms to clean, mark them ready, and work through the service requests filed as cases."
            }
            Endpoint::Maintenance => {
                "Dewy Resort maintenance tools: file and track repair cases, move rooms in and out of maintenance, and check or operate a room's lights, thermostat and blinds."
            }
            Endpoint::Manager => {
                "Dewy Resort manager tools: settle and refund bills, run Stripe payments step by step, and keep the sales pipeline; each call that moves money names the guest and the amount."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_are_narrowed_to_the_endpoint_personas() {
        let both = Caller::from_claims("s", Some("a@b.co"), ["guest", "manager"]);
        assert_eq!(
            Endpoint::Guest.view(&both).map(|c| c.personas),
            Some(vec![Persona::Guest])
        );
        assert_eq!(
            Endpoint::Staff.view(&both).map(|c| c.personas),
            Some(vec![Persona::Staff, Persona::Manager])
        );
        assert_eq!(
            Endpoint::Housekeeping.view(&both).map(|c| c.personas),
            Some(vec![Persona::Housekeeping, Persona::Manager])
        );
        assert_eq!(
            Endpoint::Manager.view(&both).map(|c| c.personas),
            Some(vec![Persona::Manager])
        );
        let guest = Caller::from_claims("s", Some("a@b.co"), ["guest"]);
        assert_eq!(Endpoint::Staff.view(&guest), None);
        let housekeeper = Caller::from_claims("s", None, ["housekeeping"]);
        assert_eq!(Endpoint::Maintenance.view(&housekeeper), None);
        assert_eq!(Endpoint::Manager.view(&housekeeper), None);
        assert_eq!(
            Endpoint::Housekeeping.view(&housekeeper).map(|c| c.personas),
            Some(vec![Persona::Housekeeping])
        );
        assert_eq!(Endpoint::Guest.view(&Caller::from_claims("s", None, ["x"])), None);
    }
}
