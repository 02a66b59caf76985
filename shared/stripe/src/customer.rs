//! Customers: looked up by email, created when missing.

use crate::client::Request;
use crate::form::Form;
use crate::{Stripe, StripeError, StripeIdempotencyKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A Stripe customer (the fields the hub uses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Customer {
    /// `cus_...`.
    pub id: String,
    /// The email.
    pub email: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// The phone number.
    pub phone: Option<String>,
    /// Metadata, e.g. `guest_id`.
    pub metadata: BTreeMap<String, String>,
}

/// The parameters of a new customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateCustomer<'a> {
    /// The email (also what [`Stripe::search_customers_by_email`] finds it by).
    pub email: &'a str,
    /// The name.
    pub name: Option<&'a str>,
    /// The phone number.
    pub phone: Option<&'a str>,
    /// Metadata entries (Stripe: at most 50 keys of up to 40 characters, values up to 500).
    pub metadata: Vec<(&'a str, &'a str)>,
}

impl<'a> CreateCustomer<'a> {
    /// A customer with this email and nothing else.
    pub fn new(email: &'a str) -> Self {
        CreateCustomer {
            email,
            ..CreateCustomer::default()
        }
    }

    /// With a name.
    pub fn name(mut self, name: &'a str) -> Self {
        self.name = Some(name);
        self
    }

    /// With a phone number.
    pub fn phone(mut self, phone: &'a str) -> Self {
        self.phone = Some(phone);
        self
    }

    /// With one more metadata entry.
    pub fn metadata(mut self, key: &'a str, value: &'a str) -> Self {
        self.metadata.push((key, value));
        self
    }

    fn form(&self) -> Form {
        Form::new()
            .field("email", self.email)
            .optional("name", self.name)
            .optional("phone", self.phone)
            .metadata(self.metadata.iter().copied())
    }
}

/// A page of a list endpoint.
#[derive(Debug, Deserialize)]
struct List<T> {
    data: Vec<T>,
}

impl Stripe {
    /// The newest customer whose email is exactly `email`, if any: `GET /v1/customers?email=&limit=1`.
    ///
    /// The list endpoint, not the Search API: search is eventually consistent (a customer created a
    /// second ago may not be found, and a retried checkout would create a duplicate), the list filter
    /// is not. Stripe's email filter is case-sensitive, so callers should normalise emails the same
    /// way when creating and when looking up.
    pub async fn search_customers_by_email(&self, email: &str) -> Result<Option<Customer>, StripeError> {
        if email.trim().is_empty() {
            // `email=` is no filter at all: the "match" would be whichever customer is newest.
            return Err(StripeError::InvalidInput(
                "an empty email cannot identify a customer".into(),
            ));
        }
        let params = Form::new().field("email", email).field("limit", 1);
        let request = Request::get("list customers", "/v1/customers".to_owned(), params);
        let page: List<Customer> = self.execute(&request).await?;
        Ok(page.data.into_iter().next())
    }

    /// Creates a customer: `POST /v1/customers`. Stripe never deduplicates customers, so look one up
    /// first ([`Stripe::search_customers_by_email`]); `key` makes a retried create safe.
    pub async fn create_customer(
        &self,
        customer: &CreateCustomer<'_>,
        key: &StripeIdempotencyKey,
    ) -> Result<Customer, StripeError> {
        let request = Request::post(
            "create customer",
            "/v1/customers".to_owned(),
            customer.form(),
            key,
        );
        self.execute(&request).await
    }
}
