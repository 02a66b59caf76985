//! Customers: create and list (optionally filtered by email).

use std::collections::BTreeMap;

use super::Store;
use crate::ids;
use crate::records::CustomerRecord;

/// The parameters of `POST /v1/customers`.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewCustomer {
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub description: Option<String>,
    pub metadata: BTreeMap<String, String>,
}

impl Store {
    /// Creates a customer. Stripe never deduplicates customers: two creates with the same email are
    /// two customers, which is why the hub looks one up by email first (and keys the create).
    pub fn create_customer(&mut self, new: NewCustomer) -> CustomerRecord {
        let customer = CustomerRecord {
            id: ids::customer(),
            email: new.email,
            name: new.name,
            phone: new.phone,
            description: new.description,
            metadata: new.metadata,
            created: ids::now_unix(),
        };
        self.customers.push(customer.clone());
        customer
    }

    /// Up to `limit` customers, newest first, whose email equals `email` exactly (Stripe's filter is
    /// case-sensitive); and whether more match.
    pub fn list_customers(&self, email: Option<&str>, limit: usize) -> (Vec<&CustomerRecord>, bool) {
        let mut matching = self
            .customers
            .iter()
            .rev()
            .filter(|c| email.is_none_or(|e| c.email.as_deref() == Some(e)));
        let page: Vec<&CustomerRecord> = matching.by_ref().take(limit).collect();
        let has_more = matching.next().is_some();
        (page, has_more)
    }
}
