//! PaymentIntents: create (optionally confirming in the same call), confirm, and the outcome of
//! each test payment method.

use std::collections::BTreeMap;

use super::Store;
use super::test_cards::{self, Behaviour};
use crate::api::TimestampRange;
use crate::error::SandboxError;
use crate::ids;
use crate::records::{
    ChargeRecord, NextActionRecord, PaymentErrorRecord, PaymentIntentRecord, PaymentIntentStatus,
};

/// Stripe's largest amount: 99,999,999 in the smallest unit.
const MAX_AMOUNT: i64 = 99_999_999;

/// The parameters of `POST /v1/payment_intents`, typed but not yet checked against Stripe's rules.
#[derive(Debug, Clone)]
pub(crate) struct NewPaymentIntent {
    pub amount: i64,
    pub currency: String,
    pub customer: Option<String>,
    pub description: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub payment_method: Option<String>,
    pub confirm: bool,
    pub return_url: Option<String>,
    /// `automatic_payment_methods[enabled]`. Since API version 2023-08-16 Stripe enables automatic
    /// payment methods by default, so this is true unless `payment_method_types` were given.
    pub automatic_payment_methods: bool,
    /// False when `automatic_payment_methods[allow_redirects]=never`.
    pub allow_redirects: bool,
}

/// The parameters of `POST /v1/payment_intents/{id}/confirm`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Confirmation {
    pub payment_method: Option<String>,
    pub return_url: Option<String>,
}

/// The filters and cursor of `GET /v1/payment_intents`.
#[derive(Debug, Clone, Default)]
pub(crate) struct IntentFilter {
    pub created: Option<TimestampRange>,
    pub customer: Option<String>,
    /// The page after this PaymentIntent (older ones)...
    pub starting_after: Option<String>,
    /// ...or the page before it (newer ones).
    pub ending_before: Option<String>,
}

/// The smallest chargeable amount per currency (Stripe's table, for the currencies the sandbox knows).
fn minimum_amount(currency: &str) -> Option<i64> {
    match currency {
        "usd" | "eur" | "cad" | "aud" | "nzd" | "chf" | "sgd" | "hkd" | "jpy" => Some(50),
        "gbp" => Some(30),
        "mxn" => Some(1000),
        _ => None,
    }
}

/// `50 usd` → `$0.50`.
fn display_amount(amount: i64, currency: &str) -> String {
    let symbol = match currency {
        "usd" | "cad" | "aud" | "nzd" | "sgd" | "hkd" | "mxn" => "$",
        "eur" => "€",
        "gbp" => "£",
        "jpy" => return format!("¥{amount}"),
        _ => "",
    };
    format!("{symbol}{}.{:02}", amount / 100, amount % 100)
}

/// Stripe's message when automatic payment methods may redirect and no `return_url` was given.
const REDIRECT_NEEDS_RETURN_URL: &str = "This PaymentIntent is configured to accept payment methods enabled in \
     your Dashboard, some of which may require a full page redirect to succeed. If you do not want to \
     accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and \
     `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment \
     Intents. If you do want to accept redirect-based payment methods, set the `return_url` parameter \
     when confirming a PaymentIntent or SetupIntent.";

/// Checks a payment method and the redirect rule before anything changes.
fn check_confirmable(
    payment_method: Option<&str>,
    return_url: Option<&str>,
    intent_redirects: bool,
) -> Result<(String, Behaviour), SandboxError> {
    let Some(payment_method) = payment_method else {
        return Err(SandboxError::unexpected_state(
            "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm \
             the payment, provide a `payment_method` or update the PaymentIntent with one.",
        ));
    };
    let behaviour = test_cards::behaviour(payment_method)
        .ok_or_else(|| SandboxError::no_such(400, "PaymentMethod", payment_method, "payment_method"))?;
    if intent_redirects && return_url.is_none() {
        return Err(SandboxError::new(
            400,
            crate::error::ErrorType::InvalidRequest,
            REDIRECT_NEEDS_RETURN_URL,
        ));
    }
    Ok((payment_method.to_owned(), behaviour))
}

impl Store {
    /// Up to `limit` PaymentIntents matching `filter`, newest first, and whether more match. A
    /// cursor naming an unknown PaymentIntent is a 404, as Stripe answers it.
    pub fn list_payment_intents(
        &self,
        filter: &IntentFilter,
        limit: usize,
    ) -> Result<(Vec<&PaymentIntentRecord>, bool), SandboxError> {
        // A cursor is a place in creation order: the index of its PaymentIntent.
        let place = |cursor: &Option<String>, param: &str| {
            cursor
                .as_deref()
                .map(|id| {
                    self.payment_intents
                        .iter()
                        .position(|p| p.id == id)
                        .ok_or_else(|| SandboxError::no_such(404, "payment_intent", id, param))
                })
                .transpose()
        };
        let older_than = place(&filter.starting_after, "starting_after")?;
        let newer_than = place(&filter.ending_before, "ending_before")?;
        let newest_first: Vec<&PaymentIntentRecord> = self
            .payment_intents
            .iter()
            .enumerate()
            .rev()
            .filter(|(at, _)| older_than.is_none_or(|cursor| *at < cursor))
            .filter(|(at, _)| older_than.is_some() || newer_than.is_none_or(|cursor| *at > cursor))
            .map(|(_, p)| p)
            .filter(|p| filter.created.is_none_or(|range| range.contains(p.created)))
            .filter(|p| filter.customer.is_none() || p.customer == filter.customer)
            .collect();
        if older_than.is_none() && newer_than.is_some() {
            // Before a cursor, the page is the one just before it: the `limit` closest to it.
            let start = newest_first.len().saturating_sub(limit);
            return Ok((newest_first[start..].to_vec(), start > 0));
        }
        let has_more = newest_first.len() > limit;
        Ok((newest_first.into_iter().take(limit).collect(), has_more))
    }

    /// `POST /v1/payment_intents`. With `confirm`, the PaymentIntent is created and then confirmed;
    /// a declined card still leaves the created PaymentIntent behind (`requires_payment_method`),
    /// and the 402 carries it, as Stripe does.
    pub fn create_payment_intent(&mut self, new: NewPaymentIntent) -> Result<String, SandboxError> {
        let currency = new.currency.to_ascii_lowercase();
        let minimum = minimum_amount(&currency).ok_or_else(|| {
            SandboxError::invalid_value("currency", format!("Invalid currency: {currency}."))
                .code("parameter_invalid_string")
        })?;
        if new.amount < minimum {
            return Err(SandboxError::invalid(
                "amount_too_small",
                format!(
                    "Amount must be at least {} {currency}",
                    display_amount(minimum, &currency)
                ),
            )
            .param("amount"));
        }
        if new.amount > MAX_AMOUNT {
            return Err(SandboxError::invalid(
                "amount_too_large",
                format!(
                    "Amount must be no more than {} {currency}",
                    display_amount(MAX_AMOUNT, &currency)
                ),
            )
            .param("amount"));
        }
        if let Some(customer) = &new.customer
            && self.customer(customer).is_none()
        {
            return Err(SandboxError::no_such(400, "customer", customer, "customer"));
        }
        let redirects = new.automatic_payment_methods && new.allow_redirects;
        let confirmation = if new.confirm {
            Some(check_confirmable(
                new.payment_method.as_deref(),
                new.return_url.as_deref(),
                redirects,
            )?)
        } else {
            if let Some(pm) = &new.payment_method
                && test_cards::behaviour(pm).is_none()
            {
                return Err(SandboxError::no_such(400, "PaymentMethod", pm, "payment_method"));
            }
            None
        };
        let id = ids::payment_intent();
        let status = if new.payment_method.is_some() {
            PaymentIntentStatus::RequiresConfirmation
        } else {
            PaymentIntentStatus::RequiresPaymentMethod
        };
        self.payment_intents.push(PaymentIntentRecord {
            client_secret: ids::client_secret(&id),
            id: id.clone(),
            amount: u64::try_from(new.amount).unwrap_or(0),
            amount_received: 0,
            currency,
            customer: new.customer,
            description: new.description,
            metadata: new.metadata,
            status,
            payment_method: new.payment_method,
            latest_charge: None,
            last_payment_error: None,
            next_action: None,
            automatic_payment_methods: new.automatic_payment_methods,
            allow_redirects: new.allow_redirects,
            created: ids::now_unix(),
        });
        if let Some((payment_method, behaviour)) = confirmation {
            self.attempt(&id, payment_method, behaviour, new.return_url)?;
        }
        Ok(id)
    }

    /// `POST /v1/payment_intents/{id}/confirm`.
    pub fn confirm_payment_intent(
        &mut self,
        id: &str,
        confirmation: Confirmation,
    ) -> Result<(), SandboxError> {
        let intent = self
            .payment_intent(id)
            .ok_or_else(|| SandboxError::no_such(404, "payment_intent", id, "intent"))?;
        let message = match intent.status {
            PaymentIntentStatus::RequiresPaymentMethod
            | PaymentIntentStatus::RequiresConfirmation
            | PaymentIntentStatus::RequiresAction => None,
            PaymentIntentStatus::Succeeded => Some(
                "You cannot confirm this PaymentIntent because it has already succeeded after being \
                 previously confirmed."
                    .to_owned(),
            ),
            other => Some(format!(
                "You cannot confirm this PaymentIntent because it has a status of {}. Only a \
                 PaymentIntent with one of the following statuses may be confirmed: \
                 requires_confirmation, requires_payment_method, requires_action.",
                other.as_str()
            )),
        };
        if let Some(message) = message {
            let rendered = self.render_payment_intent(intent, false);
            return Err(SandboxError::unexpected_state(message).with_payment_intent(rendered));
        }
        let payment_method = confirmation
            .payment_method
            .or_else(|| intent.payment_method.clone());
        let redirects = intent.automatic_payment_methods && intent.allow_redirects;
        let (payment_method, behaviour) = check_confirmable(
            payment_method.as_deref(),
            confirmation.return_url.as_deref(),
            redirects,
        )?;
        self.attempt(id, payment_method, behaviour, confirmation.return_url)
    }

    /// Completes (or fails) the 3-D Secure step of a PaymentIntent in `requires_action`, as the
    /// customer would in the browser.
    pub fn authenticate(&mut self, id: &str, approve: bool) -> Result<(), SandboxError> {
        let intent = self
            .payment_intent(id)
            .ok_or_else(|| SandboxError::no_such(404, "payment_intent", id, "intent"))?;
        if intent.status != PaymentIntentStatus::RequiresAction {
            return Err(SandboxError::unexpected_state(format!(
                "PaymentIntent {id} has status {}; only one in requires_action can be authenticated.",
                intent.status.as_str()
            )));
        }
        let payment_method = intent.payment_method.clone().unwrap_or_default();
        let behaviour = if approve {
            Behaviour::Succeeds
        } else {
            Behaviour::Declines {
                code: "payment_intent_authentication_failure",
                decline_code: "",
                message: "The provided PaymentMethod has failed authentication. You can provide \
                          payment_method_data or a new PaymentMethod to attempt to fulfill this \
                          PaymentIntent again.",
            }
        };
        // A failed authentication leaves the PaymentIntent for a new payment method; it is not a
        // response to any request, so the card error itself is dropped.
        let _ = self.attempt(id, payment_method, behaviour, None);
        Ok(())
    }

    /// One payment attempt with a checked payment method. Declines update the PaymentIntent and
    /// then fail with the 402 that carries it.
    fn attempt(
        &mut self,
        id: &str,
        payment_method: String,
        behaviour: Behaviour,
        return_url: Option<String>,
    ) -> Result<(), SandboxError> {
        let browser_base = self.browser_base.clone();
        let Some(intent) = self.payment_intent_mut(id) else {
            return Err(SandboxError::no_such(404, "payment_intent", id, "intent"));
        };
        intent.last_payment_error = None;
        intent.next_action = None;
        intent.payment_method = Some(payment_method.clone());
        match behaviour {
            Behaviour::RequiresAuthentication => {
                intent.status = PaymentIntentStatus::RequiresAction;
                intent.next_action = Some(match return_url {
                    Some(return_url) => NextActionRecord::RedirectToUrl {
                        url: format!(
                            "{browser_base}/redirect/authenticate/{id}?client_secret={}",
                            intent.client_secret
                        ),
                        return_url,
                    },
                    None => NextActionRecord::UseStripeSdk,
                });
                Ok(())
            }
            Behaviour::Succeeds => {
                let charge = self.new_charge(id, &payment_method, None);
                if let Some(intent) = self.payment_intent_mut(id) {
                    intent.status = PaymentIntentStatus::Succeeded;
                    intent.amount_received = intent.amount;
                    intent.latest_charge = Some(charge);
                }
                Ok(())
            }
            Behaviour::Declines {
                code,
                decline_code,
                message,
            } => {
                let decline_code = Some(decline_code).filter(|d| !d.is_empty());
                let charge = self.new_charge(id, &payment_method, Some(code));
                let Some(intent) = self.payment_intent_mut(id) else {
                    return Err(SandboxError::no_such(404, "payment_intent", id, "intent"));
                };
                intent.status = PaymentIntentStatus::RequiresPaymentMethod;
                intent.payment_method = None;
                intent.latest_charge = Some(charge.clone());
                intent.last_payment_error = Some(PaymentErrorRecord {
                    code: code.to_owned(),
                    decline_code: decline_code.map(str::to_owned),
                    message: message.to_owned(),
                    payment_method,
                });
                let rendered = self
                    .payment_intent(id)
                    .map(|intent| self.render_payment_intent(intent, false));
                let mut error = SandboxError::card(code, decline_code, message);
                error.charge = Some(charge);
                error.payment_intent = rendered.map(Box::new);
                Err(error)
            }
        }
    }

    /// Records a charge for an attempt on PaymentIntent `id`; a failed one has a failure code.
    fn new_charge(&mut self, id: &str, payment_method: &str, failure_code: Option<&str>) -> String {
        let (amount, currency, customer) = self
            .payment_intent(id)
            .map(|i| (i.amount, i.currency.clone(), i.customer.clone()))
            .unwrap_or_default();
        let charge = ChargeRecord {
            id: ids::charge(),
            payment_intent: id.to_owned(),
            amount,
            amount_refunded: 0,
            currency,
            customer,
            succeeded: failure_code.is_none(),
            payment_method: payment_method.to_owned(),
            failure_code: failure_code.map(str::to_owned),
            created: ids::now_unix(),
        };
        let charge_id = charge.id.clone();
        self.charges.push(charge);
        charge_id
    }
}
