//! The demo users of the local stack.

use aws_lc_rs::digest;

/// A user the local issuer can sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// The sign-in name and the `email` claim.
    pub email: String,
    /// The Cognito groups (`guest`, `staff`, `housekeeping`, `maintenance`, `manager`).
    pub groups: Vec<String>,
}

impl DemoUser {
    /// A user in the given groups.
    pub fn new(email: impl Into<String>, groups: &[&str]) -> Self {
        DemoUser {
            email: email.into(),
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        }
    }

    /// A stable, UUID-shaped subject derived from the email, so the same user has the same `sub`
    /// across restarts of the local stack (as in a real user pool).
    pub fn subject(&self) -> String {
        let hash = digest::digest(&digest::SHA256, self.email.trim().to_lowercase().as_bytes());
        let mut b = [0u8; 16];
        b.copy_from_slice(hash.as_ref().get(..16).unwrap_or(&[0; 16]));
        crate::claims::format_uuid(b)
    }
}

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "Hotel2026!";

/// The demo users: ten guests, two managers, one member of each staff job (front desk,
/// housekeeping, maintenance), the seeded example guests
/// (`kay@example.com`, `carl.smith@example.com`) so the check-in demo works for a signed-in guest,
/// and `new.guest@hotel.com`, who signed up but has no Salesforce Contact yet: asks for towels and
/// is told to create a contact first (docs/decisions.md, "A guest without a Contact").
pub fn demo_users() -> Vec<DemoUser> {
    let mut users: Vec<DemoUser> = (1..=10)
        .map(|i| DemoUser::new(format!("guest{i}@hotel.com"), &["guest"]))
        .collect();
    users.push(DemoUser::new("manager1@hotel.com", &["manager"]));
    users.push(DemoUser::new("manager2@hotel.com", &["manager"]));
    users.push(DemoUser::new("staff1@hotel.com", &["staff"]));
    users.push(DemoUser::new("housekeeping1@hotel.com", &["housekeeping"]));
    users.push(DemoUser::new("maintenance1@hotel.com", &["maintenance"]));
    users.push(DemoUser::new("kay@example.com", &["guest"]));
    users.push(DemoUser::new("carl.smith@example.com", &["guest"]));
    users.push(DemoUser::new("new.guest@hotel.com", &["guest"]));
    users
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_stable_uuid_shaped_and_distinct() {
        let users = demo_users();
        assert_eq!(users.len(), 18);
        let a = users[0].subject();
        assert_eq!(a, DemoUser::new("GUEST1@hotel.com", &[]).subject());
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        let mut subs: Vec<String> = users.iter().map(DemoUser::subject).collect();
        subs.sort();
        subs.dedup();
        assert_eq!(subs.len(), users.len());
    }
}
