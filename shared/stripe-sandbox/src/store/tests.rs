//! Stripe's rules, exercised on the store directly.

use std::collections::BTreeMap;

use super::{Confirmation, IntentFilter, NewCustomer, NewPaymentIntent, NewRefund, Store};
use crate::records::{NextActionRecord, PaymentIntentStatus};

fn intent(amount: i64, payment_method: Option<&str>, confirm: bool) -> NewPaymentIntent {
    NewPaymentIntent {
        amount,
        currency: "usd".into(),
        customer: None,
        description: Some("Hotel checkout payment".into()),
        metadata: BTreeMap::from([("booking_number".into(), "BK-0001".into())]),
        payment_method: payment_method.map(str::to_owned),
        confirm,
        return_url: None,
        automatic_payment_methods: true,
        allow_redirects: false,
    }
}

/// A visa card succeeds with a charge; the amount is received.
#[test]
fn a_good_card_succeeds_with_a_charge() {
    let mut store = Store::default();
    let id = store
        .create_payment_intent(intent(5000, Some("pm_card_visa"), true))
        .unwrap();
    let pi = store.payment_intent(&id).unwrap();
    assert_eq!(pi.status, PaymentIntentStatus::Succeeded);
    assert_eq!(pi.amount_received, 5000);
    let charge = store.charge(pi.latest_charge.as_deref().unwrap()).unwrap();
    assert!(charge.succeeded && charge.refundable() == 5000);
}

/// A decline is a 402 carrying the PaymentIntent, which stays behind in requires_payment_method.
#[test]
fn a_decline_leaves_the_payment_intent_for_another_method() {
    let mut store = Store::default();
    let error = store
        .create_payment_intent(intent(5000, Some("pm_card_chargeDeclined"), true))
        .unwrap_err();
    assert_eq!((error.status, error.code), (402, Some("card_declined")));
    assert_eq!(error.decline_code, Some("generic_decline"));
    let rendered = error.payment_intent.unwrap();
    assert_eq!(rendered["status"], "requires_payment_method");
    assert_eq!(rendered["last_payment_error"]["decline_code"], "generic_decline");
    let id = rendered["id"].as_str().unwrap();
    assert_eq!(store.payment_intents.len(), 1);
    // AND a retry with a good card on the same PaymentIntent succeeds
    store
        .confirm_payment_intent(
            id,
            Confirmation {
                payment_method: Some("pm_card_visa".into()),
                return_url: None,
            },
        )
        .unwrap();
    assert_eq!(
        store.payment_intent(id).unwrap().status,
        PaymentIntentStatus::Succeeded
    );
    assert_eq!(store.charges.len(), 2);
    // AND confirming again is an unexpected state
    let again = store
        .confirm_payment_intent(id, Confirmation::default())
        .unwrap_err();
    assert_eq!(again.code, Some("payment_intent_unexpected_state"));
}

/// Authentication-required cards wait for 3-D Secure; with a return_url the next action redirects.
#[test]
fn authentication_required_then_completed() {
    let mut store = Store::default();
    let id = store
        .create_payment_intent(intent(5000, Some("pm_card_authenticationRequired"), true))
        .unwrap();
    let pi = store.payment_intent(&id).unwrap();
    assert_eq!(pi.status, PaymentIntentStatus::RequiresAction);
    assert_eq!(pi.next_action, Some(NextActionRecord::UseStripeSdk));
    let mut with_return = intent(5000, Some("pm_card_authenticationRequired"), true);
    with_return.return_url = Some("https://hotel.example/done".into());
    let redirected = store.create_payment_intent(with_return).unwrap();
    assert!(matches!(
        store.payment_intent(&redirected).unwrap().next_action,
        Some(NextActionRecord::RedirectToUrl { .. })
    ));
    store.authenticate(&id, true).unwrap();
    assert_eq!(
        store.payment_intent(&id).unwrap().status,
        PaymentIntentStatus::Succeeded
    );
}

/// Amounts under the currency minimum, unknown currencies, customers and cards are refused before
/// anything is created.
#[test]
fn validation_happens_before_anything_is_created() {
    let mut store = Store::default();
    let small = store.create_payment_intent(intent(49, None, false)).unwrap_err();
    assert_eq!(small.code, Some("amount_too_small"));
    assert_eq!(small.param.as_deref(), Some("amount"));
    assert_eq!(small.message, "Amount must be at least $0.50 usd");
    let mut odd = intent(5000, None, false);
    odd.currency = "xyz".into();
    assert!(store.create_payment_intent(odd).is_err());
    let mut stranger = intent(5000, None, false);
    stranger.customer = Some("cus_missing".into());
    let missing = store.create_payment_intent(stranger).unwrap_err();
    assert_eq!(missing.code, Some("resource_missing"));
    let unknown_card = store
        .create_payment_intent(intent(5000, Some("pm_card_nope"), true))
        .unwrap_err();
    assert_eq!(unknown_card.param.as_deref(), Some("payment_method"));
    // Redirects allowed and no return_url: Stripe refuses to confirm.
    let mut redirects = intent(5000, Some("pm_card_visa"), true);
    redirects.allow_redirects = true;
    assert!(store.create_payment_intent(redirects).is_err());
    assert!(store.payment_intents.is_empty() && store.charges.is_empty());
}

/// Refunds: only of a succeeded payment, never more than what is left; omitted amount = the rest.
#[test]
fn refunds_track_what_is_left() {
    let mut store = Store::default();
    let declined = store
        .create_payment_intent(intent(5000, Some("pm_card_chargeDeclined"), true))
        .unwrap_err();
    let declined_id = declined.payment_intent.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refund = |payment_intent: &str, amount: Option<i64>| NewRefund {
        payment_intent: payment_intent.into(),
        amount,
        reason: Some("requested_by_customer".into()),
        metadata: BTreeMap::new(),
    };
    let not_paid = store.create_refund(refund(&declined_id, None)).unwrap_err();
    assert_eq!(not_paid.code, Some("charge_not_refundable"));
    let id = store
        .create_payment_intent(intent(5000, Some("pm_card_visa"), true))
        .unwrap();
    assert_eq!(store.create_refund(refund(&id, Some(2000))).unwrap().amount, 2000);
    let too_much = store.create_refund(refund(&id, Some(3001))).unwrap_err();
    assert_eq!(too_much.code, Some("amount_too_large"));
    assert_eq!(store.create_refund(refund(&id, None)).unwrap().amount, 3000);
    let done = store.create_refund(refund(&id, None)).unwrap_err();
    assert_eq!(done.code, Some("charge_already_refunded"));
    let mut bad_reason = refund(&id, None);
    bad_reason.reason = Some("because".into());
    assert!(store.create_refund(bad_reason).is_err());
}

/// Listing by email is exact (case-sensitive), newest first, and reports has_more.
#[test]
fn customers_list_by_exact_email() {
    let mut store = Store::default();
    let new = |email: &str| NewCustomer {
        email: Some(email.into()),
        ..NewCustomer::default()
    };
    let first = store.create_customer(new("ana@example.com"));
    let second = store.create_customer(new("ana@example.com"));
    store.create_customer(new("Ana@Example.com"));
    let (page, has_more) = store.list_customers(Some("ana@example.com"), 1);
    assert_eq!((page[0].id.as_str(), has_more), (second.id.as_str(), true));
    let (page, has_more) = store.list_customers(Some("ana@example.com"), 10);
    assert_eq!(
        (page.len(), page[1].id.as_str(), has_more),
        (2, first.id.as_str(), false)
    );
    assert!(store.list_customers(Some("nobody@example.com"), 1).0.is_empty());
}

/// Listing PaymentIntents pages both ways from a cursor, filters by customer and creation time,
/// and answers an unknown cursor with a 404.
#[test]
fn payment_intents_list_by_cursor_and_filter() {
    let mut store = Store::default();
    let ids: Vec<String> = (0..5)
        .map(|_| store.create_payment_intent(intent(5000, None, false)).unwrap())
        .collect();
    store.payment_intents[0].customer = Some("cus_1".into());
    store.payment_intents[0].created -= 100;
    let listed = |filter: &IntentFilter, limit: usize| {
        let (page, more) = store.list_payment_intents(filter, limit).unwrap();
        (page.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), more)
    };
    let all = IntentFilter::default();
    assert_eq!(listed(&all, 2), (vec![ids[4].clone(), ids[3].clone()], true));
    let after = IntentFilter {
        starting_after: Some(ids[3].clone()),
        ..IntentFilter::default()
    };
    assert_eq!(listed(&after, 2), (vec![ids[2].clone(), ids[1].clone()], true));
    let before = IntentFilter {
        ending_before: Some(ids[1].clone()),
        ..IntentFilter::default()
    };
    assert_eq!(listed(&before, 2), (vec![ids[3].clone(), ids[2].clone()], true));
    let customer = IntentFilter {
        customer: Some("cus_1".into()),
        ..IntentFilter::default()
    };
    assert_eq!(listed(&customer, 10), (vec![ids[0].clone()], false));
    let unknown = IntentFilter {
        starting_after: Some("pi_nope".into()),
        ..IntentFilter::default()
    };
    assert_eq!(store.list_payment_intents(&unknown, 10).unwrap_err().status, 404);
}
