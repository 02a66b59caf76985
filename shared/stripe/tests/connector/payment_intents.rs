//! PaymentIntents: the outcomes of each test card, confirm in one or two calls, retrieve.

use crate::common::{self, checkout, key, operations, scoped};
use dewy_stripe::{ConfirmPaymentIntent, CreatePaymentIntent, PaymentIntentStatus, StripeError};

/// Create-and-confirm with a good card succeeds in one call with a charge and the metadata.
#[tokio::test]
async fn a_good_card_is_charged_in_one_call() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "ok@example.com").await;
    let (stripe, recorder) = scoped(&env.stripe);
    let pi = stripe
        .create_payment_intent(&checkout(&customer, "pm_card_visa"), &key("one-call"))
        .await
        .unwrap();
    assert_eq!(pi.status, PaymentIntentStatus::Succeeded);
    assert_eq!(
        (pi.amount, pi.amount_received, pi.currency.as_str()),
        (5000, 5000, "usd")
    );
    assert_eq!(pi.customer.as_deref(), Some(customer.as_str()));
    assert_eq!(pi.metadata["booking_number"], "BK-0001");
    assert!(pi.charge_id().is_some_and(|c| c.starts_with("ch_")));
    assert!(
        pi.client_secret
            .as_deref()
            .is_some_and(|s| s.starts_with(&format!("{}_secret_", pi.id)))
    );
    assert_eq!(
        operations(&recorder),
        [("create payment_intent".to_owned(), true)]
    );
    // AND retrieving it expands the charge
    let again = stripe.retrieve_payment_intent(&pi.id).await.unwrap();
    let charge = again.charge().expect("expanded");
    assert_eq!(
        (charge.id.as_str(), charge.amount, charge.paid),
        (pi.charge_id().unwrap(), 5000, true)
    );
}

/// Create, then confirm in a second call (with the mastercard test card).
#[tokio::test]
async fn create_then_confirm() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "two@example.com").await;
    let created = env
        .stripe
        .create_payment_intent(
            &CreatePaymentIntent::new(7500, "usd").customer(&customer),
            &key("create"),
        )
        .await
        .unwrap();
    assert_eq!(created.status, PaymentIntentStatus::RequiresPaymentMethod);
    assert_eq!(created.charge_id(), None);
    let confirmed = env
        .stripe
        .confirm_payment_intent(
            &created.id,
            &ConfirmPaymentIntent::new("pm_card_mastercard"),
            &key("confirm"),
        )
        .await
        .unwrap();
    assert!(confirmed.is_succeeded());
    assert_eq!(confirmed.amount_received, 7500);
    // AND confirming again is an unexpected state that carries the PaymentIntent
    let again = env
        .stripe
        .confirm_payment_intent(
            &created.id,
            &ConfirmPaymentIntent::new("pm_card_visa"),
            &key("confirm-again"),
        )
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some("payment_intent_unexpected_state"));
    assert_eq!(again.status(), Some(400));
    assert!(again.payment_intent().is_some_and(|pi| pi.is_succeeded()));
}

/// Declines are Card errors with their decline code and the PaymentIntent, left for another card.
#[tokio::test]
async fn declines_carry_the_decline_code_and_the_payment_intent() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "declined@example.com").await;
    for (card, decline_code) in [
        ("pm_card_chargeDeclined", "generic_decline"),
        ("pm_card_insufficientFunds", "insufficient_funds"),
    ] {
        let (stripe, recorder) = scoped(&env.stripe);
        let error = stripe
            .create_payment_intent(&checkout(&customer, card), &key(card))
            .await
            .unwrap_err();
        let StripeError::Card { code, message, .. } = &error else {
            panic!("a card error: {error:?}");
        };
        assert_eq!(
            (code.as_str(), error.decline_code()),
            ("card_declined", Some(decline_code))
        );
        assert!(!message.is_empty() && !error.is_retryable());
        let pi = error.payment_intent().expect("the PaymentIntent");
        assert_eq!(pi.status, PaymentIntentStatus::RequiresPaymentMethod);
        let last = pi.last_payment_error.as_ref().expect("last_payment_error");
        assert_eq!(last.decline_code.as_deref(), Some(decline_code));
        // A decline is one call, not retried.
        assert_eq!(
            operations(&recorder),
            [("create payment_intent".to_owned(), false)]
        );
    }
    assert_eq!(env.sandbox.payment_intents().len(), 2);
    assert!(
        env.sandbox
            .payment_intents()
            .iter()
            .all(|pi| pi.amount_received == 0)
    );
}

/// A card that needs 3-D Secure leaves the PaymentIntent in requires_action: `use_stripe_sdk`
/// without a return URL, a redirect with one.
#[tokio::test]
async fn authentication_required_is_a_next_action() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "3ds@example.com").await;
    let sdk = env
        .stripe
        .create_payment_intent(
            &checkout(&customer, "pm_card_authenticationRequired"),
            &key("sdk"),
        )
        .await
        .unwrap();
    assert_eq!(sdk.status, PaymentIntentStatus::RequiresAction);
    let action = sdk.next_action.as_ref().expect("next_action");
    assert_eq!(
        (action.action_type.as_str(), action.redirect_url()),
        ("use_stripe_sdk", None)
    );
    let redirect = env
        .stripe
        .create_payment_intent(
            &checkout(&customer, "pm_card_authenticationRequired").return_url("https://dewy.example/paid"),
            &key("redirect"),
        )
        .await
        .unwrap();
    let action = redirect.next_action.as_ref().expect("next_action");
    assert_eq!(action.action_type, "redirect_to_url");
    let page = format!(
        "{}/redirect/authenticate/{}?",
        env.sandbox.base_url(),
        redirect.id
    );
    assert!(
        action.redirect_url().is_some_and(|u| u.starts_with(&page)),
        "{:?}",
        action.redirect_url()
    );
    // AND once the customer authenticates, the PaymentIntent has succeeded
    env.sandbox.authenticate(&sdk.id, true).unwrap();
    assert!(
        env.stripe
            .retrieve_payment_intent(&sdk.id)
            .await
            .unwrap()
            .is_succeeded()
    );
}

/// Less than 50 cents is `amount_too_small` on `amount`, and nothing is created.
#[tokio::test]
async fn amounts_below_the_minimum_are_refused() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "small@example.com").await;
    let intent = CreatePaymentIntent::new(49, "usd")
        .customer(&customer)
        .confirm_with("pm_card_visa");
    let error = env
        .stripe
        .create_payment_intent(&intent, &key("small"))
        .await
        .unwrap_err();
    let StripeError::InvalidRequest {
        status, code, param, ..
    } = &error
    else {
        panic!("invalid request: {error:?}");
    };
    assert_eq!(
        (*status, code.as_deref(), param.as_deref()),
        (400, Some("amount_too_small"), Some("amount"))
    );
    assert!(env.sandbox.payment_intents().is_empty());
    // AND a customer that does not exist is resource_missing
    let stranger = CreatePaymentIntent::new(5000, "usd").customer("cus_nobody");
    let error = env
        .stripe
        .create_payment_intent(&stranger, &key("stranger"))
        .await
        .unwrap_err();
    assert!(error.is_not_found());
}

/// A missing PaymentIntent is a 404 resource_missing; an id that could change the URL is refused
/// without a request.
#[tokio::test]
async fn missing_and_malformed_ids() {
    let env = common::start().await;
    let missing = env.stripe.retrieve_payment_intent("pi_nope").await.unwrap_err();
    assert_eq!(missing.status(), Some(404));
    assert!(missing.is_not_found());
    let before = env.sandbox.request_count();
    let malformed = env
        .stripe
        .retrieve_payment_intent("pi_1/confirm")
        .await
        .unwrap_err();
    assert!(matches!(malformed, StripeError::InvalidInput(_)), "{malformed:?}");
    assert_eq!(env.sandbox.request_count(), before);
}

/// Listing since a time pages through everything created since then, newest first, with each
/// latest charge expanded (the refunded amount readable), and nothing created before.
#[tokio::test]
async fn listing_since_a_time_reads_every_page() {
    let env = common::start().await;
    let customer = common::customer(&env.stripe, "list@example.com").await;
    let pay = |n: usize| {
        let stripe = env.stripe.clone();
        let customer = customer.clone();
        async move {
            stripe
                .create_payment_intent(&checkout(&customer, "pm_card_visa"), &key(&format!("list-{n}")))
                .await
                .unwrap()
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let mut made = Vec::new();
    for n in 0..205 {
        made.push(pay(n).await.id);
    }
    let (stripe, recorder) = scoped(&env.stripe);
    let listed = stripe.list_payment_intents_since(now - 1, 10).await.unwrap();
    let listed_ids: Vec<&str> = listed.iter().map(|p| p.id.as_str()).collect();
    made.reverse();
    assert_eq!(listed_ids, made, "every one, newest first");
    assert_eq!(recorder.calls().len(), 3, "three pages of 100");
    assert!(
        listed
            .iter()
            .all(|p| p.charge().is_some_and(|c| c.amount == 5000))
    );
    // AND a window that starts later holds nothing; more pages than allowed is an error
    assert!(
        stripe
            .list_payment_intents_since(now + 3600, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        stripe.list_payment_intents_since(now - 1, 2).await,
        Err(StripeError::InvalidInput(_))
    ));
}
