//! Who is calling, as established by a verified token (Cognito in AWS, the local issuer locally).

use dewy_domain::input::Email;

/// A persona: a Cognito group that scopes which tools a user sees (docs/personas.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Persona {
    /// A hotel guest: guest orchestrators, only on their own records.
    Guest,
    /// Front-desk staff: check-in and checkout, bookings, contacts and guests' requests, on anyone's
    /// records.
    Staff,
    /// Housekeeping: rooms to clean and the service requests they carry out.
    Housekeeping,
    /// Maintenance: repairs, the cases they track, and the rooms' devices.
    Maintenance,
    /// A manager: every staff job, plus the tools that move money.
    Manager,
}

impl Persona {
    /// Every persona, in order.
    pub const ALL: [Persona; 5] = [
        Persona::Guest,
        Persona::Staff,
        Persona::Housekeeping,
        Persona::Maintenance,
        Persona::Manager,
    ];

    /// The staff jobs a manager also holds.
    pub const MANAGED: [Persona; 3] = [Persona::Staff, Persona::Housekeeping, Persona::Maintenance];

    /// The Cognito group that grants this persona.
    pub fn group(self) -> &'static str {
        match self {
            Persona::Guest => "guest",
            Persona::Staff => "staff",
            Persona::Housekeeping => "housekeeping",
            Persona::Maintenance => "maintenance",
            Persona::Manager => "manager",
        }
    }

    /// The persona for a Cognito group name, if the group is one.
    pub fn from_group(group: &str) -> Option<Persona> {
        match group.trim() {
            "guest" | "guests" => Some(Persona::Guest),
            "staff" => Some(Persona::Staff),
            "housekeeping" => Some(Persona::Housekeeping),
            "maintenance" => Some(Persona::Maintenance),
            "manager" | "managers" => Some(Persona::Manager),
            _ => None,
        }
    }
}

/// The verified caller of one invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The token's subject (`sub`).
    pub subject: String,
    /// The email in the token, if any. For a guest it is the only guest identity tools use.
    pub email: Option<Email>,
    /// The caller's personas, from the token's groups. A manager holds every staff job too.
    pub personas: Vec<Persona>,
}

impl Caller {
    /// A caller from a token's claims: subject, email and group names (unknown groups are ignored).
    pub fn from_claims<'a>(
        subject: &str,
        email: Option<&str>,
        groups: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut personas: Vec<Persona> = groups.into_iter().filter_map(Persona::from_group).collect();
        if personas.contains(&Persona::Manager) {
            personas.extend(Persona::MANAGED);
        }
        personas.sort();
        personas.dedup();
        Caller {
            subject: subject.to_owned(),
            email: email.and_then(|e| Email::parse(e).ok()),
            personas,
        }
    }

    /// The caller's personas as their group names, comma-separated (`"staff,manager"`): how logs,
    /// audit events and metrics name them.
    pub fn persona_names(&self) -> String {
        let names: Vec<&str> = self.personas.iter().map(|p| p.group()).collect();
        names.join(",")
    }

    /// Whether the caller is a guest and nothing more: such a caller is scoped to their own records.
    pub fn is_guest_only(&self) -> bool {
        guest_only(&self.personas)
    }
}

/// Whether `personas` are a guest's and nothing more. Also asked of an endpoint's personas, where
/// there is no caller yet: what an MCP listing shows must match what the invoke path then does.
pub fn guest_only(personas: &[Persona]) -> bool {
    personas.contains(&Persona::Guest) && personas.iter().all(|p| *p == Persona::Guest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_hold_every_staff_job_and_unknown_groups_are_ignored() {
        let caller = Caller::from_claims("sub-1", Some("Manager1@Hotel.com"), ["manager", "admins"]);
        assert_eq!(
            caller.personas,
            vec![
                Persona::Staff,
                Persona::Housekeeping,
                Persona::Maintenance,
                Persona::Manager
            ]
        );
        assert_eq!(caller.persona_names(), "staff,housekeeping,maintenance,manager");
        assert_eq!(
            Caller::from_claims("s", None, ["housekeeping"]).personas,
            vec![Persona::Housekeeping]
        );
        assert_eq!(caller.email.unwrap().as_str(), "manager1@hotel.com");
        assert!(!Caller::from_claims("s", None, ["guest", "staff"]).is_guest_only());
        assert!(Caller::from_claims("s", None, ["guest"]).is_guest_only());
        assert!(!Caller::from_claims("s", None, ["unknown"]).is_guest_only());
    }
}
