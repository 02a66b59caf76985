//! The original's shape: one request after another, each waiting for the one before, each step's
//! result handed on to the steps after it.
//!
//! An id or body value written `@name` (or `@name.Field`) is what an earlier step saved as `name`:
//! the `Id` (or `Field`) of the record or object it found or made, as a recipe passed one step's
//! output to the next. SOQL filters use values the fixture knows (the same ones the earlier step
//! returned), since a query is built before the run.

use crate::{AMOUNT, Sample};
use dewy_connector::{CallRecorder, Deadline};
use dewy_e2e::World;
use dewy_homeassistant::{EntityId, ServiceCall};
use dewy_salesforce::soql::Soql;
use dewy_stripe::{
    ConfirmPaymentIntent, CreateCustomer, CreatePaymentIntent, CreateRefund, RefundReason,
    StripeIdempotencyKey,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// One request of the original's shape.
pub enum Op {
    /// A SOQL query that must find a record (the first one is the step's result).
    Find(Soql),
    /// A SOQL query that must find nothing: the search before a create, or a conflict check.
    Miss(Soql),
    /// One record read by id, e.g. `upsert_case` reading back the case number.
    Get(&'static str, String, &'static [&'static str]),
    /// A record update: object, id, fields.
    Update(&'static str, String, Value),
    /// An upsert: object, external id field, its value, fields.
    Upsert(&'static str, &'static str, String, Value),
    /// A record create: object, fields.
    Create(&'static str, Value),
    /// Stripe `GET /v1/customers?email=`: `create_stripe_customer`'s search, which finds no one
    /// for a first-time payer.
    FindCustomer(String),
    /// Stripe `POST /v1/customers` for this email, with the guest's Contact id in metadata.
    NewCustomer(String, String),
    /// Stripe `POST /v1/payment_intents`, unconfirmed, for this customer and guest.
    NewPayment(String, String),
    /// Stripe `POST /v1/payment_intents/{id}/confirm` with a test card; its result is the charge.
    ConfirmPayment(String),
    /// Stripe `GET /v1/payment_intents/{id}`.
    RetrievePayment(String),
    /// Stripe `POST /v1/refunds`, in full.
    Refund(String),
    /// Home Assistant `GET /api/states`: every entity.
    HaStates,
    /// Home Assistant `GET /api/states/<entity>`.
    HaState(&'static str),
    /// Home Assistant `POST /api/services/<domain>/<service>`.
    HaCall(ServiceCall),
}

/// An [`Op`] and the name its result is saved under, if a later step needs it.
pub struct Step {
    op: Op,
    save: Option<&'static str>,
}

impl Step {
    /// The same step, its result saved as `name`.
    pub fn saved_as(mut self, name: &'static str) -> Step {
        self.save = Some(name);
        self
    }
}

impl From<Op> for Step {
    fn from(op: Op) -> Step {
        Step { op, save: None }
    }
}

/// A query that must find a record, saved as `name`.
pub fn find_as(name: &'static str, soql: Soql) -> Step {
    Step::from(Op::Find(soql)).saved_as(name)
}

/// An update of `object` record `id` (an id or an `@reference`).
pub fn update(object: &'static str, id: &str, fields: Value) -> Step {
    Op::Update(object, id.to_owned(), fields).into()
}

/// An upsert of `object` on `field` = `value`.
pub fn upsert(object: &'static str, field: &'static str, value: &str, fields: Value) -> Step {
    Op::Upsert(object, field, value.to_owned(), fields).into()
}

/// Runs `steps` in order, as every recipe did. `token` keys the Stripe POSTs, one key per step.
pub async fn run(world: &World, steps: Vec<Step>, token: &str) -> Sample {
    let recorder = CallRecorder::new();
    let deadline = Deadline::after(Duration::from_secs(30));
    let sf = world.backends.salesforce.scoped(recorder.clone(), deadline);
    let stripe = world
        .backends
        .stripe
        .as_ref()
        .expect("the world has Stripe")
        .scoped(recorder.clone(), deadline);
    let home_assistant = world
        .backends
        .home_assistant
        .as_ref()
        .expect("the world has Home Assistant")
        .scoped(recorder.clone(), deadline);
    let mut saved: HashMap<&str, Value> = HashMap::new();
    let started = Instant::now();
    for (n, step) in steps.into_iter().enumerate() {
        let id = |reference: &str| resolve_id(reference, &saved);
        let key = StripeIdempotencyKey::parse(format!("{token}:{n}")).unwrap();
        let result: Value = match step.op {
            Op::Find(soql) => {
                let rows: Vec<Value> = sf.query(&soql).await.unwrap();
                rows.into_iter()
                    .next()
                    .unwrap_or_else(|| panic!("step {n} found nothing: {}", soql.as_str()))
            }
            Op::Miss(soql) => {
                let rows: Vec<Value> = sf.query(&soql).await.unwrap();
                assert!(rows.is_empty(), "step {n} should find nothing, found {rows:?}");
                Value::Null
            }
            Op::Get(object, record, fields) => sf.get(object, &id(&record), fields).await.unwrap(),
            Op::Update(object, record, fields) => {
                let fields = resolve(fields, &saved);
                sf.update(object, &id(&record), &fields).await.unwrap();
                Value::Null
            }
            Op::Upsert(object, field, value, fields) => {
                let fields = resolve(fields, &saved);
                json!({ "Id": sf.upsert(object, field, &value, &fields).await.unwrap().id })
            }
            Op::Create(object, fields) => {
                json!({ "Id": sf.create(object, &resolve(fields, &saved)).await.unwrap() })
            }
            Op::FindCustomer(email) => {
                let found = stripe.search_customers_by_email(&email).await.unwrap();
                assert!(found.is_none(), "a first-time payer has no Stripe customer");
                Value::Null
            }
            Op::NewCustomer(email, guest_id) => {
                let guest_id = id(&guest_id);
                let customer = CreateCustomer::new(&email).metadata("guest_id", &guest_id);
                json!({ "Id": stripe.create_customer(&customer, &key).await.unwrap().id })
            }
            Op::NewPayment(customer, guest_id) => {
                let (customer, guest_id) = (id(&customer), id(&guest_id));
                let intent = CreatePaymentIntent::new(AMOUNT, "usd")
                    .customer(&customer)
                    .description("Hotel checkout payment")
                    .metadata("guest_id", &guest_id);
                json!({ "Id": stripe.create_payment_intent(&intent, &key).await.unwrap().id })
            }
            Op::ConfirmPayment(intent) => {
                let card = ConfirmPaymentIntent::new("pm_card_visa");
                let paid = stripe
                    .confirm_payment_intent(&id(&intent), &card, &key)
                    .await
                    .unwrap();
                assert!(paid.is_succeeded(), "{paid:?}");
                json!({ "Id": paid.charge_id() })
            }
            Op::RetrievePayment(intent) => {
                json!({ "Id": stripe.retrieve_payment_intent(&id(&intent)).await.unwrap().id })
            }
            Op::Refund(intent) => {
                let intent = id(&intent);
                let refund = CreateRefund::full(&intent)
                    .reason(RefundReason::RequestedByCustomer)
                    .metadata("reason", "Benchmark compensation");
                json!({ "Id": stripe.create_refund(&refund, &key).await.unwrap().id })
            }
            Op::HaStates => json!({ "count": home_assistant.states().await.unwrap().len() }),
            Op::HaState(entity) => {
                let entity = EntityId::parse(entity).unwrap();
                json!({ "Id": home_assistant.state(&entity).await.unwrap().entity_id.to_string() })
            }
            Op::HaCall(call) => json!({ "changed": home_assistant.call(&call).await.unwrap().len() }),
        };
        if let Some(name) = step.save {
            saved.insert(name, result);
        }
    }
    Sample {
        elapsed: started.elapsed(),
        calls: recorder.summary(),
    }
}

/// `@name` or `@name.Field` from what earlier steps saved; any other text as it is.
fn resolve_reference(text: &str, saved: &HashMap<&str, Value>) -> Value {
    let Some(reference) = text.strip_prefix('@') else {
        return Value::String(text.to_owned());
    };
    let (name, field) = reference.split_once('.').unwrap_or((reference, "Id"));
    let record = saved
        .get(name)
        .unwrap_or_else(|| panic!("no earlier step saved {name}"));
    record[field].clone()
}

fn resolve_id(text: &str, saved: &HashMap<&str, Value>) -> String {
    match resolve_reference(text, saved) {
        Value::String(id) => id,
        other => panic!("{text} is not an id: {other}"),
    }
}

/// `fields` with every `@reference` value replaced.
fn resolve(fields: Value, saved: &HashMap<&str, Value>) -> Value {
    match fields {
        Value::String(text) => resolve_reference(&text, saved),
        Value::Object(fields) => fields
            .into_iter()
            .map(|(key, value)| (key, resolve(value, saved)))
            .collect(),
        other => other,
    }
}
