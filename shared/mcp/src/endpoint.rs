//! The two MCP endpoints and which callers and tools each serves.

use dewy_tool::{Caller, Persona, ToolSpec};

/// An MCP endpoint, one per audience: guests and hotel staff see different tool lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `/mcp/guest`: guest tools, scoped to the signed-in guest's own records.
    Guest,
    /// `/mcp/staff`: staff and manager tools, on anyone's records.
    Staff,
}

impl Endpoint {
    /// Both endpoints, in the order they are mounted.
    pub const ALL: [Endpoint; 2] = [Endpoint::Guest, Endpoint::Staff];

    /// The persona segment of the path, `guest` or `staff`.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Guest => "guest",
            Endpoint::Staff => "staff",
        }
    }

    /// The endpoint's path, e.g. `/mcp/guest`.
    pub fn path(self) -> String {
        format!("/mcp/{}", self.name())
    }

    /// The personas this endpoint acts as.
    pub fn personas(self) -> &'static [Persona] {
        match self {
            Endpoint::Guest => &[Persona::Guest],
            Endpoint::Staff => &[Persona::Staff, Persona::Manager],
        }
    }

    /// The caller as this endpoint sees them: only their personas the endpoint serves, or `None`
    /// when they have none of them.
    ///
    /// Narrowing matters for someone who is both guest and staff: on the guest endpoint they act as
    /// a guest (so the invoke path scopes them to their own records, matching the guest schemas that
    /// omit the email), and on the staff endpoint guest-only tools stay out of reach.
    pub fn view(self, caller: &Caller) -> Option<Caller> {
        let personas: Vec<Persona> = caller
            .personas
            .iter()
            .copied()
            .filter(|p| self.personas().contains(p))
            .collect();
        if personas.is_empty() {
            return None;
        }
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

    /// Whether the tool belongs on this endpoint for some caller.
    pub fn offers(self, spec: &ToolSpec) -> bool {
        spec.personas.iter().any(|p| self.personas().contains(p))
    }

    /// One sentence for `initialize`/`server/discover` instructions.
    pub fn instructions(self) -> &'static str {
        match self {
            Endpoint::Guest => {
                "Dewy Resort guest tools: they act only on the signed-in guest's own reservations, so never ask the guest for their email address."
            }
            Endpoint::Staff => {
                "Dewy Resort staff tools: they act on any guest's records, so name the guest (usually by email) in each call."
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
        let guest = Caller::from_claims("s", Some("a@b.co"), ["guest"]);
        assert_eq!(Endpoint::Staff.view(&guest), None);
        assert_eq!(Endpoint::Guest.view(&Caller::from_claims("s", None, ["x"])), None);
    }
}
