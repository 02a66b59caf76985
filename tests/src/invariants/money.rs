//! The invariants that join Salesforce to Stripe: checkout charges and records together or refunds,
//! its compensation refunds once and puts the stay back, and every answer about money is true.
//!
//! Stripe's state alone cannot say which payment a tool call made (the Idempotency-Key is not on
//! the PaymentIntent), so the run passes what the tools answered ([`Said`]).

use super::{rows, text};
use dewy_salesforce_sandbox::Sandbox;
use dewy_stripe_sandbox::{ChargeRecord, PaymentIntentStatus, StripeSandbox};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the checkouts and compensations of a run answered.
#[derive(Debug, Default)]
pub struct Said {
    /// Checkout token → the guest it checks out.
    pub checkout_tokens: BTreeMap<String, String>,
    /// Checkout token → every PaymentIntent its answers named (success or error).
    pub checkout_payments: BTreeMap<String, BTreeSet<String>>,
    /// Completed checkouts: payment intent → (charge, booking number).
    pub completed: BTreeMap<String, (String, String)>,
    /// The payment intents of `CHECKOUT_REFUNDED` answers.
    pub refunded: BTreeSet<String>,
    /// Payment intents an error answer said were charged and not refunded (`refunded: false`).
    pub held: BTreeSet<String>,
    /// Compensation token → the refund ids its successful answers named.
    pub compensations: BTreeMap<String, BTreeSet<String>>,
    /// Payment intents whose compensation refunded but answered that Salesforce could not be put
    /// back (the manager was told, with the refund id).
    pub revert_failed: BTreeSet<String>,
}

/// Checks the money invariants; one line per violation.
pub fn money_violations(sandbox: &Sandbox, stripe: &StripeSandbox, said: &Said) -> Vec<String> {
    let charges: HashMap<String, ChargeRecord> =
        stripe.charges().into_iter().map(|c| (c.id.clone(), c)).collect();
    let intents = stripe.payment_intents();
    let refunds = stripe.refunds();
    let bookings = rows(
        sandbox,
        "SELECT Id, Name, Status__c, Primary_Guest__c, Check_In_Date__c, Check_Out_Date__c, Room__r.Status__c, \
         Room__r.Current_Guest__c, Room__r.Nightly_Rate__c, Opportunity__r.StageName, Opportunity__r.Payment_ID__c, \
         Opportunity__r.Amount FROM Booking__c",
    );
    let by_name: HashMap<&str, &Value> = bookings.iter().map(|b| (text(b, "Name"), b)).collect();
    let payment_id = |b: &Value| text(&b["Opportunity__r"], "Payment_ID__c").to_owned();
    let fully_refunded = |charge: &ChargeRecord| charge.amount_refunded >= charge.amount;
    let refunded_intents: BTreeSet<&str> = refunds.iter().map(|r| r.payment_intent.as_str()).collect();
    let mut found = Vec::new();

    // Every booking a checkout checked out: Closed Won, paid by a live charge, room released.
    for booking in bookings.iter().filter(|b| text(b, "Status__c") == "Checked Out") {
        let name = text(booking, "Name");
        let paid_by = payment_id(booking);
        let by_checkout = charges.contains_key(&paid_by) || said.completed.values().any(|(_, n)| n == name);
        if !by_checkout {
            continue;
        }
        let stage = text(&booking["Opportunity__r"], "StageName");
        if stage != "Closed Won" {
            found.push(format!(
                "{name} is Checked Out by a checkout but its opportunity is at {stage}"
            ));
        }
        match charges.get(&paid_by) {
            None => found.push(format!(
                "{name} is Checked Out with Payment_ID__c '{paid_by}', no Stripe charge"
            )),
            Some(charge) if !charge.succeeded => {
                found.push(format!("{name} is paid by the failed charge {paid_by}"))
            }
            Some(charge)
                if fully_refunded(charge) && !said.revert_failed.contains(&charge.payment_intent) =>
            {
                found.push(format!(
                    "{name} is Checked Out but its charge {paid_by} was refunded"
                ));
            }
            Some(_) => {}
        }
        let room = &booking["Room__r"];
        if text(room, "Status__c") == "Occupied"
            && text(room, "Current_Guest__c") == text(booking, "Primary_Guest__c")
        {
            found.push(format!(
                "{name} is Checked Out but its room is still Occupied by the guest"
            ));
        }
    }

    // A stay put back by a compensation: its payment was refunded, and it records no payment.
    for booking in bookings.iter().filter(|b| {
        text(b, "Status__c") == "Checked In"
            && text(&b["Opportunity__r"], "StageName") == "Negotiation/Review"
    }) {
        let name = text(booking, "Name");
        let refunded_for_it = intents.iter().any(|pi| {
            pi.metadata.get("booking_number").map(String::as_str) == Some(name)
                && refunded_intents.contains(pi.id.as_str())
        });
        if !refunded_for_it || !payment_id(booking).is_empty() {
            found.push(format!(
                "{name} was put back (Checked In, Negotiation/Review, payment '{}') without a refund of its payment",
                payment_id(booking)
            ));
        }
    }

    // Every payment taken is recorded on a checked-out booking, refunded, or reported as held.
    let paid_bookings: HashMap<String, &Value> = bookings
        .iter()
        .filter(|b| text(b, "Status__c") == "Checked Out")
        .map(|b| (payment_id(b), b))
        .collect();
    for intent in intents
        .iter()
        .filter(|pi| pi.status == PaymentIntentStatus::Succeeded)
    {
        let Some(charge) = intent.latest_charge.as_ref().and_then(|c| charges.get(c)) else {
            found.push(format!("{} succeeded without a charge", intent.id));
            continue;
        };
        let recorded = paid_bookings.contains_key(&charge.id);
        if !fully_refunded(charge) && !recorded && !said.held.contains(&intent.id) {
            found.push(format!(
                "{} ({}, booking {}) was charged {} and is neither refunded nor recorded on a checked-out booking",
                intent.id,
                intent.metadata.get("guest_email").map_or("?", String::as_str),
                intent.metadata.get("booking_number").map_or("?", String::as_str),
                charge.amount
            ));
        }
    }

    // A stay is charged at most once: no booking has two payments standing (a payment refunded by
    // a compensation may be followed by a new one).
    let mut standing_per_booking: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for intent in intents
        .iter()
        .filter(|pi| pi.status == PaymentIntentStatus::Succeeded)
    {
        let standing = intent
            .latest_charge
            .as_ref()
            .and_then(|c| charges.get(c))
            .is_some_and(|charge| !fully_refunded(charge));
        if let (true, Some(number)) = (standing, intent.metadata.get("booking_number")) {
            standing_per_booking
                .entry(number)
                .or_default()
                .push(intent.id.as_str());
        }
    }
    for (number, standing) in standing_per_booking.iter().filter(|(_, s)| s.len() > 1) {
        found.push(format!(
            "{number} is charged {} times: {standing:?}",
            standing.len()
        ));
    }

    // Every stay checked out by a checkout paid its bill (nights × the room's rate), and the
    // money balances: what Stripe kept (charges less refunds) is what Salesforce records as paid
    // (the Amount of each opportunity closed by a checkout), plus payments reported as held.
    let mut recorded_cents = 0;
    for booking in bookings.iter().filter(|b| text(b, "Status__c") == "Checked Out") {
        let Some(charge) = charges.get(&payment_id(booking)) else {
            continue;
        };
        if fully_refunded(charge) {
            continue;
        }
        let name = text(booking, "Name");
        let opportunity_amount = booking["Opportunity__r"]["Amount"].as_f64().unwrap_or(0.0);
        recorded_cents += (opportunity_amount * 100.0).round() as u64;
        if let Some(bill) = bill_cents(booking)
            && bill != charge.amount
        {
            found.push(format!(
                "{name} was charged {} cents for a bill of {bill}",
                charge.amount
            ));
        }
    }
    let kept: u64 = charges
        .values()
        .filter(|c| c.succeeded)
        .map(|c| c.amount.saturating_sub(c.amount_refunded))
        .sum();
    let held: u64 = said
        .held
        .iter()
        .filter_map(|intent| intent_charge(&intents, &charges, intent))
        .filter(|c| !fully_refunded(c))
        .map(|c| c.amount)
        .sum();
    if kept != recorded_cents + held {
        found.push(format!(
            "money does not balance: Stripe kept {kept} cents, Salesforce records {recorded_cents} as paid and \
             {held} were reported held"
        ));
    }

    // What the tools answered is what happened.
    for intent in &said.refunded {
        let refunded = intent_charge(&intents, &charges, intent).is_some_and(fully_refunded);
        if !refunded {
            found.push(format!(
                "CHECKOUT_REFUNDED was answered for {intent}, which is not refunded"
            ));
        }
    }
    for (intent, (charge, number)) in &said.completed {
        let booking = by_name.get(number.as_str());
        let recorded =
            booking.is_some_and(|b| text(b, "Status__c") == "Checked Out" && payment_id(b) == *charge);
        let compensated_since = charges.get(charge).is_some_and(fully_refunded);
        if !recorded && !compensated_since {
            found.push(format!(
                "checkout answered success for {intent} on {number}, but the booking is {} with payment '{}'",
                booking.map_or("missing", |b| text(b, "Status__c")),
                booking.map(|b| payment_id(b)).unwrap_or_default()
            ));
        }
    }

    // At most one payment per checkout token, at most one refund per payment and per compensation.
    for (token, named) in &said.checkout_payments {
        if named.len() > 1 {
            found.push(format!(
                "checkout token {token} answered with several payments: {named:?}"
            ));
        }
    }
    let mut tokens_per_guest: HashMap<&str, usize> = HashMap::new();
    for email in said.checkout_tokens.values() {
        *tokens_per_guest.entry(email.as_str()).or_default() += 1;
    }
    let mut paid_per_guest: HashMap<&str, usize> = HashMap::new();
    for intent in intents
        .iter()
        .filter(|pi| pi.status == PaymentIntentStatus::Succeeded)
    {
        let email = intent.metadata.get("guest_email").map_or("", String::as_str);
        *paid_per_guest.entry(email).or_default() += 1;
    }
    for (email, paid) in paid_per_guest {
        let tokens = tokens_per_guest.get(email).copied().unwrap_or(0);
        if paid > tokens {
            found.push(format!("{email} paid {paid} times for {tokens} checkout tokens"));
        }
    }
    let mut refunds_per_intent: HashMap<&str, usize> = HashMap::new();
    for refund in &refunds {
        *refunds_per_intent
            .entry(refund.payment_intent.as_str())
            .or_default() += 1;
    }
    for (intent, n) in refunds_per_intent.into_iter().filter(|(_, n)| *n > 1) {
        found.push(format!("{intent} was refunded {n} times"));
    }
    for (token, refund_ids) in &said.compensations {
        if refund_ids.len() > 1 {
            found.push(format!(
                "compensation token {token} answered with several refunds: {refund_ids:?}"
            ));
        }
    }
    found
}

fn intent_charge<'a>(
    intents: &[dewy_stripe_sandbox::PaymentIntentRecord],
    charges: &'a HashMap<String, ChargeRecord>,
    intent: &str,
) -> Option<&'a ChargeRecord> {
    let pi = intents.iter().find(|pi| pi.id == intent)?;
    charges.get(pi.latest_charge.as_ref()?)
}

/// A checked-out booking's bill in cents, as the folio computes it: nights (at least one) × the
/// room's nightly rate to the cent. `None` when the booking lacks a date or rate.
fn bill_cents(booking: &Value) -> Option<u64> {
    let date = |field: &str| chrono::NaiveDate::parse_from_str(booking[field].as_str()?, "%Y-%m-%d").ok();
    let nights = (date("Check_Out_Date__c")? - date("Check_In_Date__c")?)
        .num_days()
        .max(1);
    let rate = booking["Room__r"]["Nightly_Rate__c"].as_f64()?;
    Some(u64::try_from(nights).ok()? * (rate * 100.0).round() as u64)
}
