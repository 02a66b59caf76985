//! `process_guest_checkout`: charges the guest and checks their current stay out, in one call.
//!
//! Three sequential round trips, for a returning Stripe customer and a first-time payer alike:
//! 1. **read**, in parallel: the guest's Contact, the guest's stays with room and opportunity
//!    (one relationship query), and the Stripe customer with the guest's email;
//! 2. **charge**: one PaymentIntent created and confirmed in the same call, attached to the
//!    returning customer; for a first-time payer, the guest's Stripe customer is created at the same
//!    time (see below);
//! 3. **write**: one Composite `allOrNone` request: booking Checked Out, room Cleaning with no
//!    guest, opportunity Closed Won with the charge id.
//!
//! A first-time payer's first payment is not attached to their Stripe customer: it names the guest
//! in its metadata (`guest_email`, `booking_number`, which is what a completion's ownership check
//! reads), and the customer, created in parallel, is there for every later payment. This keeps the
//! checkout within three round trips: Stripe cannot create a customer inside a PaymentIntent call,
//! and creating it in round 1, before the checks pass, would leave customers behind for checkouts
//! refused for a missing guest or stay. The customer's creation is best effort once the charge is
//! under way: its failure is logged, never fails nor refunds the checkout (the next checkout creates
//! it). A declined card still leaves the customer, which the guest's next attempt then uses.
//!
//! A retry of the same token must send Stripe the same PaymentIntent parameters under the same key
//! (Stripe refuses a key reused with others), even though its first attempt may have created the
//! customer before crashing. So the customer carries a `created_by` marker (this operation's
//! customer key), and a customer found with this operation's own marker still counts as a
//! first-time payer's: the payment again goes without a customer, and Stripe replays the create.
//!
//! A card needing 3-D Secure stops after the charge with a 202 naming the PaymentIntent. Once the
//! guest has authenticated, a second call with `payment_intent_id` (and a new token: the 202 is the
//! settled answer of the first, and is replayed to it) completes that payment instead of creating
//! one: see `complete`.
//!
//! Every prerequisite is checked before the charge. If the charge succeeded but the write failed,
//! the payment is refunded (the saga's compensation, see `settle`) and the answer is the final
//! `CHECKOUT_REFUNDED`, which the idempotency layer replays to any repeat of the token.

mod complete;
mod input;
mod orphan;
mod output;
mod settle;
mod status;

pub use input::CheckoutInput;
pub use output::{CheckoutCompleted, CheckoutOutput, PaymentRequiresAction};

use super::folio::{self, CURRENCY, Folio};
use super::lease;
use super::stay::{self, Narrowing};
use crate::payments;
use crate::payments::input::ChargeCents;
use crate::stay::Stay;
use chrono::NaiveDate;
use dewy_domain::input::Email;
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::objects::opportunity::OpportunityStage;
use dewy_domain::objects::room::RoomStatus;
use dewy_domain::state::transition;
use dewy_domain::{ErrorCode, ToolError};
use dewy_stripe::{
    CreateCustomer, CreatePaymentIntent, Customer, PaymentIntent, Stripe, StripeIdempotencyKey,
};
use dewy_tool::confirm::{MoneyDirection, StayRef};
use dewy_tool::{Context, Effect, GuestScope, KeyFrom, MoneyMove, Sample, Tool, ToolSpec, backend_error};
use serde_json::json;

/// The description of every checkout payment (shown in Stripe's dashboard and on receipts).
const DESCRIPTION: &str = "Hotel checkout payment";
/// The payment's metadata naming the guest and the booking: how a completion knows the payment is
/// this checkout's.
const META_GUEST_EMAIL: &str = "guest_email";
const META_BOOKING_NUMBER: &str = "booking_number";
/// The payment's metadata when a manager charged another amount than the bill.
const META_AMOUNT_DUE: &str = "amount_due";
const META_OVERRIDE_REASON: &str = "amount_override_reason";

/// The `process_guest_checkout` tool.
pub struct ProcessGuestCheckout;

impl Tool for ProcessGuestCheckout {
    type Input = CheckoutInput;
    type Output = CheckoutOutput;

    const SPEC: ToolSpec = ToolSpec {
        name: "process_guest_checkout",
        personas: crate::personas::GUEST_FRONT_DESK_AND_MANAGER,
        deployment: crate::deployment::ORCHESTRATOR.with_stripe(),
        description: "Check a guest out: charges the card the stay's bill (as get_stay_folio shows it), then \
            marks the booking Checked Out, the room Cleaning and the opportunity Closed Won, all at once \
            (refunding the payment if that fails). 3-D Secure: a 202 answer gives payment_intent_id and the \
            next action and records nothing; once the guest has authenticated, call again with that \
            payment_intent_id and a NEW idempotency_token to finish without a new charge. A decline or \
            failed authentication is 402. A stay is never charged twice, whatever the token: 409 \
            CHECKOUT_IN_PROGRESS means another checkout of the guest is running (retry shortly); 409 \
            STAY_ALREADY_CHECKED_OUT names its payment.",
        effect: Effect::adds(KeyFrom::Token("idempotency_token")).moving_money(),
        open_world: true,
        alias_of: None,
        guest_scope: Some(GuestScope {
            email_field: "guest_email",
        }),
    };

    fn sample(&self, _today: NaiveDate) -> Sample {
        Sample::guest(
            "guest1@hotel.com",
            json!({
                "guest_email": "guest1@hotel.com",
                "guest_name": "Alice Johnson",
                "amount": 45000,
                "payment_method_id": "pm_card_visa",
                "idempotency_token": "6b1e3c5a-8d2f-4a7b-9c0e-1f3a5b7d9e24",
                "room_number": "100",
            }),
        )
    }

    fn success_status(&self, output: &Self::Output) -> u16 {
        output.status()
    }

    async fn call(&self, ctx: &Context, input: CheckoutInput) -> Result<CheckoutOutput, ToolError> {
        ctx.audit().check("payment_details_valid", input.validate())?;
        match &input.payment_intent_id {
            Some(intent_id) => complete::complete(ctx, &input, intent_id).await,
            None => start(ctx, &input).await,
        }
    }
}

/// A new payment, under the guest's checkout lease (see `lease`): every check, then the charge,
/// then the record (or a 202 while the guest must authenticate).
async fn start(ctx: &Context, input: &CheckoutInput) -> Result<CheckoutOutput, ToolError> {
    let payment_method = input.payment_method()?;
    let stripe = ctx.stripe()?;
    let email = &input.guest_email;
    let narrowing = input.narrowing();

    // Round trip 1: Salesforce and Stripe read at once, and the lease taken beside them. Checked
    // Out stays are read too, to answer a checkout that comes after the stay was checked out.
    let statuses = [BookingStatus::CheckedIn, BookingStatus::CheckedOut];
    let (lease, (guest, stays, customer)) = lease::read_under_lease(ctx, email, || async {
        tokio::try_join!(
            stay::find_guest(ctx, email),
            stay::find(ctx, email, &statuses, narrowing),
            async {
                stripe
                    .search_customers_by_email(email.as_str())
                    .await
                    .map_err(backend_error::stripe)
            },
        )
    })
    .await?;
    let mut carried = lease::carried(&lease);
    let read = Round1 {
        guest,
        stays,
        customer,
    };
    let result = start_leased(ctx, input, payment_method, read, &mut carried).await;
    lease.release(ctx, lease::state_after(&result, &carried)).await;
    result
}

/// What round trip 1 of a new payment read.
struct Round1 {
    guest: Option<String>,
    stays: Vec<Stay>,
    customer: Option<Customer>,
}

/// A new payment once the lease is held and round trip 1 is read.
async fn start_leased(
    ctx: &Context,
    input: &CheckoutInput,
    payment_method: &str,
    read: Round1,
    carried: &mut lease::Carried,
) -> Result<CheckoutOutput, ToolError> {
    let stripe = ctx.stripe()?;
    let email = &input.guest_email;
    let narrowing = input.narrowing();
    let audit = ctx.audit();
    let guest_id = audit.check(
        "guest_found",
        read.guest.ok_or_else(|| stay::guest_not_found(email)),
    )?;
    let stay = audit.check("one_checked_in_stay", current_stay(&read.stays, email, narrowing))?;
    audit.check_on("transition_allowed", &stay.booking_id, check_can_check_out(&stay))?;
    let folio = audit.check_on("bill_computed", &stay.booking_id, Folio::of(&stay, ctx.today()))?;
    let amount = folio::amount_to_charge(ctx, input, &folio)?;
    if let Some(waiting) = carried.awaiting.as_ref() {
        // A payment an earlier checkout left waiting for the guest: one Stripe read, only then.
        let intent = stripe
            .retrieve_payment_intent(&waiting.payment_intent_id)
            .await
            .map_err(backend_error::stripe)?;
        audit.check_on(
            NO_PAYMENT_WAITING,
            &intent.id,
            lease::check_not_awaiting(&intent, waiting),
        )?;
        // That payment is over (failed or canceled): this checkout replaces it.
        carried.awaiting = None;
    }
    if let Some(lapsed) = carried.unsettled_lapse {
        // A checkout stopped without releasing the lease: it may have charged for this stay.
        let (found, others) = orphan::for_stay(orphan::find(stripe, email, lapsed).await?, &stay);
        if others == 0 {
            carried.unsettled_lapse = None;
        }
        if let Some(intent) = found {
            orphan::decide(ctx, &stay, &intent, &mut carried.awaiting)?;
            return status::answer(ctx, input, &stay, &intent).await;
        }
    }
    let customer = read.customer;

    // A person confirms the charge first when the caller's client can ask them (docs/confirmations.md).
    ctx.confirm(|| async {
        Ok(MoneyMove {
            direction: MoneyDirection::Charge,
            amount: amount.get(),
            currency: folio.currency.clone(),
            card: payments::card_of_method(ctx, payment_method).await?,
            stay: Some(StayRef {
                booking_number: folio.booking_number.clone(),
                room_number: Some(folio.room_number.clone()),
                check_in_date: Some(folio.check_in_date.to_string()),
                check_out_date: Some(folio.check_out_date.to_string()),
                guest_name: folio.guest_name.clone(),
            }),
        })
    })
    .await?;

    // Only now, with every check passed and the charge confirmed, anything is written to Stripe.
    let customer_key = crate::payments::stripe_key(ctx, "customer")?;
    let payment = Payment {
        input,
        payment_method,
        stay: &stay,
        amount,
        amount_due: folio.total_due,
    };
    let intent = match returning_customer(customer, &customer_key) {
        Some(customer_id) => payment.charge(ctx, stripe, Some(&customer_id)).await?,
        None => {
            payment
                .charge_first_time(ctx, stripe, &guest_id, &customer_key)
                .await?
        }
    };
    status::answer(ctx, input, &stay, &intent).await
}

/// The metadata entry naming the operation that created a customer: its customer key.
const META_CREATED_BY: &str = "created_by";

/// The id of the customer to attach the payment to: the one found, unless it is the one this very
/// operation created (a retry after a crash), whose first attempt charged without a customer and
/// must be repeated with the same parameters.
fn returning_customer(found: Option<Customer>, customer_key: &StripeIdempotencyKey) -> Option<String> {
    found
        .filter(|c| c.metadata.get(META_CREATED_BY).map(String::as_str) != Some(customer_key.as_str()))
        .map(|c| c.id)
}

/// The one Checked In stay to check out. None is a 404, or `409 STAY_ALREADY_CHECKED_OUT` naming
/// the payment when the stay was already checked out (a repeat after the replay window, or another
/// caller's checkout); several are a 409 listing them.
fn current_stay(stays: &[Stay], email: &Email, narrowing: Narrowing<'_>) -> Result<Stay, ToolError> {
    let checked_in: Vec<&Stay> = stays
        .iter()
        .filter(|s| s.status == BookingStatus::CheckedIn)
        .collect();
    match checked_in.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(no_current_stay(stays.first(), email, narrowing)),
        many => Err(stay::several_checked_in(email, many, "the one to check out")),
    }
}

fn no_current_stay(last_checked_out: Option<&Stay>, email: &Email, narrowing: Narrowing<'_>) -> ToolError {
    let mut which = String::new();
    if let Some(number) = narrowing.booking_number {
        which.push_str(&format!(" with booking number {number}"));
    }
    if let Some(number) = narrowing.room_number {
        which.push_str(&format!(" in room {number}"));
    }
    let mut details = json!({
        "guest_email": email,
        "booking_number": narrowing.booking_number,
        "room_number": narrowing.room_number,
        "already_checked_out": last_checked_out.is_some(),
    });
    match last_checked_out {
        Some(stay) => {
            details["last_stay"] = stay.summary();
            details["transaction_id"] = json!(stay.payment_id);
            let message = format!(
                "Guest {email} has no checked-in stay{which}: booking {} was already checked out{}, paid by {}. \
                 Nothing was charged.",
                stay.booking_number,
                stay.check_out_date.map_or(String::new(), |d| format!(" on {d}")),
                stay.payment_id.as_deref().unwrap_or("no recorded payment"),
            );
            ToolError::new(ErrorCode::StayAlreadyCheckedOut, message).with_details(details)
        }
        None => ToolError::new(
            ErrorCode::ReservationNotFound,
            format!(
                "Guest {email} has no checked-in stay{which}, so there is nothing to check out and nothing was \
                 charged. Check the guest's email, booking number and room number, and that they were checked in."
            ),
        )
        .with_details(details),
    }
}

/// Every state change the write will make must be one the domain's state machines allow, checked
/// before the guest is charged.
fn check_can_check_out(stay: &Stay) -> Result<(), ToolError> {
    transition(stay.status, BookingStatus::CheckedOut)?;
    transition(stay.room_status, RoomStatus::Cleaning)?;
    transition(stay.opportunity_stage, OpportunityStage::ClosedWon)?;
    Ok(())
}

/// The payment of one checkout: what every PaymentIntent request of it is made of.
struct Payment<'a> {
    input: &'a CheckoutInput,
    payment_method: &'a str,
    stay: &'a Stay,
    /// What is charged: the bill, or a manager's override.
    amount: ChargeCents,
    /// The bill's total.
    amount_due: u64,
}

impl Payment<'_> {
    /// A first-time payer's charge, without a customer, while their customer is created alongside
    /// (best effort: see the module docs). The PaymentIntent's outcome is the answer.
    async fn charge_first_time(
        &self,
        ctx: &Context,
        stripe: &Stripe,
        guest_id: &str,
        customer_key: &StripeIdempotencyKey,
    ) -> Result<PaymentIntent, ToolError> {
        let (intent, customer) = tokio::join!(
            self.charge(ctx, stripe, None),
            create_customer(stripe, self.input, guest_id, customer_key),
        );
        // The customer is made even when the card is declined (the guest's next attempt uses it).
        if let Ok(customer) = &customer {
            crate::payments::audit_customer(ctx, &customer.id);
        }
        let intent = intent?;
        if let Err(error) = customer {
            // No email here: the guest id and the payment are enough to find the guest.
            tracing::warn!(
                guest_id, payment_intent = %intent.id, error = %error.code.as_str(),
                "could not create the first-time payer's Stripe customer; the checkout goes on"
            );
        }
        Ok(intent)
    }

    /// Creates and confirms the PaymentIntent in one call, attached to `customer_id` if given. A
    /// declined card is `402 PAYMENT_FAILED` with its decline code (from `backend_error::stripe`).
    async fn charge(
        &self,
        ctx: &Context,
        stripe: &Stripe,
        customer_id: Option<&str>,
    ) -> Result<PaymentIntent, ToolError> {
        let key = crate::payments::stripe_key(ctx, "payment_intent")?;
        let amount_due = self.amount_due.to_string();
        let mut intent = CreatePaymentIntent::new(self.amount.get(), CURRENCY)
            .description(DESCRIPTION)
            .metadata(META_GUEST_EMAIL, self.input.guest_email.as_str())
            .metadata(META_BOOKING_NUMBER, &self.stay.booking_number)
            .confirm_with(self.payment_method);
        if self.amount.get() != self.amount_due {
            // A manager's override: the payment says what was due and why it differs.
            let reason = self
                .input
                .amount_override_reason
                .as_ref()
                .map_or("", |r| r.as_str());
            intent = intent
                .metadata(META_AMOUNT_DUE, &amount_due)
                .metadata(META_OVERRIDE_REASON, reason);
        }
        if let Some(customer_id) = customer_id {
            intent = intent.customer(customer_id);
        }
        if let Some(url) = &self.input.return_url {
            intent = intent.return_url(url.as_str());
        }
        let created = stripe
            .create_payment_intent(&intent, &key)
            .await
            .map_err(|error| {
                let mut mapped = backend_error::stripe(error);
                if mapped.code == ErrorCode::PaymentFailed {
                    mapped.message.push_str(NEW_TOKEN_HINT);
                    // A card error: the issuer's refusal is the payment's decision.
                    ctx.audit().refused(PAYMENT_SUCCEEDED, None, &mapped);
                }
                mapped
            })?;
        crate::payments::audit_payment_intent(ctx, &created);
        Ok(created)
    }
}

/// Creates the guest's Stripe customer, marked as created by this operation (`key`), so that a
/// retry recognises it (see `returning_customer`).
async fn create_customer(
    stripe: &Stripe,
    input: &CheckoutInput,
    guest_id: &str,
    key: &StripeIdempotencyKey,
) -> Result<Customer, ToolError> {
    let customer = CreateCustomer::new(input.guest_email.as_str())
        .name(input.guest_name.as_str())
        .metadata("guest_id", guest_id)
        .metadata(META_CREATED_BY, key.as_str());
    stripe
        .create_customer(&customer, key)
        .await
        .map_err(backend_error::stripe)
}

/// The audit check that no earlier payment of the guest is still open.
const NO_PAYMENT_WAITING: &str = "no_payment_waiting";

/// The audit check of a payment's outcome (see `status::answer`).
const PAYMENT_SUCCEEDED: &str = "payment_succeeded";

/// Stripe replays a declined request to the same key, so another card needs another token.
const NEW_TOKEN_HINT: &str = " Nothing was recorded; retry with a new idempotency_token.";
