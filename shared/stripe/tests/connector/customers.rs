//! Customers: the lookup by email and the keyed create.

use crate::common::{self, key, operations, scoped};
use dewy_stripe::{CreateCustomer, StripeError};

/// A missing customer is `None`; once created (with metadata), the lookup finds the newest one.
#[tokio::test]
async fn customers_are_created_and_found_by_email() {
    // GIVEN no customers
    let env = common::start().await;
    let (stripe, recorder) = scoped(&env.stripe);
    let email = "ana@example.com";
    // WHEN looking one up THEN there is none
    assert_eq!(stripe.search_customers_by_email(email).await.unwrap(), None);
    // WHEN creating it
    let request = CreateCustomer::new(email)
        .name("Ana Lima")
        .phone("+15550100")
        .metadata("guest_id", "003A");
    let created = stripe.create_customer(&request, &key("ana")).await.unwrap();
    // THEN it has Stripe's shape and the lookup finds it
    assert!(created.id.starts_with("cus_"));
    assert_eq!(created.metadata["guest_id"], "003A");
    assert_eq!(created.name.as_deref(), Some("Ana Lima"));
    let found = stripe.search_customers_by_email(email).await.unwrap();
    assert_eq!(found.as_ref().map(|c| c.id.as_str()), Some(created.id.as_str()));
    // AND the filter is exact (Stripe's is case-sensitive)
    assert_eq!(
        stripe.search_customers_by_email("ANA@example.com").await.unwrap(),
        None
    );
    // AND every call was recorded
    let ops: Vec<String> = operations(&recorder).into_iter().map(|(op, _)| op).collect();
    assert_eq!(
        ops,
        [
            "list customers",
            "create customer",
            "list customers",
            "list customers"
        ]
    );
    // AND the list call asked for one customer by email
    let log = env.sandbox.request_log();
    assert_eq!(log[0].path, "/v1/customers");
    assert_eq!(log[1].idempotency_key.as_deref(), Some("test-ana"));
}

/// Emails with `+` and `&` survive the query string.
#[tokio::test]
async fn emails_are_encoded_in_the_query() {
    let env = common::start().await;
    let email = "ana+hotel&spa@example.com";
    let id = common::customer(&env.stripe, email).await;
    let found = env.stripe.search_customers_by_email(email).await.unwrap();
    assert_eq!(found.map(|c| c.id), Some(id));
}

/// An empty email is refused without a request: Stripe would read `email=` as no filter at all and
/// the "match" would be whichever customer is newest.
#[tokio::test]
async fn an_empty_email_is_refused_without_a_request() {
    let env = common::start().await;
    common::customer(&env.stripe, "someone@example.com").await;
    let before = env.sandbox.request_count();
    let error = env.stripe.search_customers_by_email(" ").await.unwrap_err();
    assert!(matches!(error, StripeError::InvalidInput(_)), "{error:?}");
    assert_eq!(env.sandbox.request_count(), before);
}
