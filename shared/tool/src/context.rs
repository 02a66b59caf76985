//! What a handler works with: the caller, the connectors, the deadline, the call recorder and the
//! audit trail.

use crate::audit::AuditTrail;
use crate::caller::Caller;
use crate::confirm::Confirmation;
use crate::trace::TraceContext;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use dewy_connector::{CallRecorder, Deadline};
use dewy_domain::{ErrorCode, ToolError};
use dewy_homeassistant::HomeAssistant;
use dewy_idempotency::{IdempotencyKey, IdempotencyStore};
use dewy_notifier::Outbox;
use dewy_salesforce::Salesforce;
use dewy_stripe::Stripe;
use dewy_twilio::E164;
use std::sync::{Arc, OnceLock};

/// The connectors of a container, built once at start and shared by every invocation.
#[derive(Clone)]
pub struct Backends {
    /// Salesforce, the system of record.
    pub salesforce: Salesforce,
    /// Stripe, in the functions that take payments (least privilege: the others hold no key).
    pub stripe: Option<Stripe>,
    /// Outgoing SMS, when configured; without it notifications are reported as skipped.
    pub sms: Option<Sms>,
    /// Home Assistant, in the room-control functions.
    pub home_assistant: Option<HomeAssistant>,
    /// Where side-effecting calls take their idempotency locks and store their results, and tools
    /// take leases on business objects: DynamoDB in AWS, memory locally.
    pub idempotency: Arc<dyn IdempotencyStore>,
    /// The per-user rate limits the transports' front doors check ([`crate::rate`]); `None`
    /// checks nothing (tests that drive the invoke path directly).
    pub rate_limiter: Option<crate::RateLimiter>,
}

/// Outgoing SMS: the outbox texts are queued on (a notifier sends them through Twilio, off the
/// tool's critical path) and who is on call for maintenance.
#[derive(Clone)]
pub struct Sms {
    /// Where texts are queued: SQS in AWS, an in-process queue locally.
    pub outbox: Arc<dyn Outbox>,
    /// The number maintenance requests are texted to, if any.
    pub on_call: Option<E164>,
}

impl Backends {
    /// Salesforce and the idempotency store, the two every tool needs; add the others with
    /// [`Backends::with_stripe`] and [`Backends::with_sms`].
    pub fn new(salesforce: Salesforce, idempotency: Arc<dyn IdempotencyStore>) -> Self {
        Backends {
            salesforce,
            stripe: None,
            sms: None,
            home_assistant: None,
            idempotency,
            rate_limiter: None,
        }
    }

    /// With Stripe.
    pub fn with_stripe(mut self, stripe: Stripe) -> Self {
        self.stripe = Some(stripe);
        self
    }

    /// With SMS.
    pub fn with_sms(mut self, sms: Sms) -> Self {
        self.sms = Some(sms);
        self
    }

    /// With per-user rate limits, checked by the transports before each call.
    pub fn with_rate_limiter(mut self, limiter: crate::RateLimiter) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// With Home Assistant.
    pub fn with_home_assistant(mut self, home_assistant: HomeAssistant) -> Self {
        self.home_assistant = Some(home_assistant);
        self
    }

    /// The context of one invocation: connectors scoped to a fresh call recorder and the deadline.
    pub fn context(&self, caller: Caller, deadline: Deadline) -> Context {
        let recorder = CallRecorder::new();
        Context {
            salesforce: self.salesforce.scoped(recorder.clone(), deadline),
            stripe: self
                .stripe
                .as_ref()
                .map(|stripe| stripe.scoped(recorder.clone(), deadline)),
            sms: self.sms.clone(),
            home_assistant: self
                .home_assistant
                .as_ref()
                .map(|home_assistant| home_assistant.scoped(recorder.clone(), deadline)),
            idempotency: Arc::clone(&self.idempotency),
            operation_key: OnceLock::new(),
            caller,
            deadline,
            recorder,
            audit: AuditTrail::new(),
            trace: None,
            confirmation: Confirmation::NotAsked,
            // Millisecond precision, as Salesforce stores date-times: what a tool writes and what it
            // returns are then the same instant.
            now: Utc::now().trunc_subsecs(3),
        }
    }
}

/// The context of one tool invocation.
pub struct Context {
    caller: Caller,
    deadline: Deadline,
    recorder: CallRecorder,
    audit: AuditTrail,
    trace: Option<TraceContext>,
    confirmation: Confirmation,
    salesforce: Salesforce,
    stripe: Option<Stripe>,
    sms: Option<Sms>,
    home_assistant: Option<HomeAssistant>,
    idempotency: Arc<dyn IdempotencyStore>,
    operation_key: OnceLock<IdempotencyKey>,
    now: DateTime<Utc>,
}

impl Context {
    /// The caller's trace context, if the request carried a valid one.
    pub fn trace(&self) -> Option<&TraceContext> {
        self.trace.as_ref()
    }

    /// The trace id of the caller's trace context, if any: how logs, audit events and metrics
    /// name the trace.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace.as_ref().map(TraceContext::trace_id)
    }

    /// With the caller's trace context.
    pub fn with_trace(mut self, trace: Option<TraceContext>) -> Self {
        self.trace = trace;
        self
    }

    /// With how the call stands on a person's confirmation of the money it moves.
    pub fn with_confirmation(mut self, confirmation: Confirmation) -> Self {
        self.confirmation = confirmation;
        self
    }

    /// How the call stands on a person's confirmation of the money it moves ([`Context::confirm`]).
    pub fn confirmation(&self) -> &Confirmation {
        &self.confirmation
    }

    /// The verified caller.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The Salesforce connector, recording into this invocation and bounded by its deadline.
    pub fn salesforce(&self) -> &Salesforce {
        &self.salesforce
    }

    /// The Stripe connector, recording into this invocation and bounded by its deadline; a 500
    /// naming the missing configuration in a function deployed without Stripe.
    pub fn stripe(&self) -> Result<&Stripe, ToolError> {
        self.stripe.as_ref().ok_or_else(|| {
            tracing::error!("this function has no Stripe configuration (STRIPE_SECRET_ID)");
            ToolError::new(
                ErrorCode::InternalError,
                "Payments are not configured for this service.",
            )
        })
    }

    /// The Home Assistant connector, recording into this invocation and bounded by its deadline;
    /// a 500 naming the missing configuration in a function deployed without it.
    pub fn home_assistant(&self) -> Result<&HomeAssistant, ToolError> {
        self.home_assistant.as_ref().ok_or_else(|| {
            tracing::error!("this function has no Home Assistant configuration (HOME_ASSISTANT_URL)");
            ToolError::new(
                ErrorCode::InternalError,
                "Room controls are not configured for this service.",
            )
        })
    }

    /// Outgoing SMS, if configured.
    pub fn sms(&self) -> Option<&Sms> {
        self.sms.as_ref()
    }

    /// When the invocation must have answered.
    pub fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// The backend calls made so far.
    pub fn recorder(&self) -> &CallRecorder {
        &self.recorder
    }

    /// The invocation's audit trail: handlers record the rules they check and the transitions
    /// they write (see [`crate::audit`]).
    pub fn audit(&self) -> &AuditTrail {
        &self.audit
    }

    /// The invocation's start time: one clock reading per invocation, so a tool's timestamps agree.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Today's date (UTC), the default for date inputs such as a check-in date.
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// An idempotency key for one downstream write of this operation (e.g. Stripe's
    /// `Idempotency-Key`), derived from the operation's key so that a retried tool call repeats the
    /// same downstream request. `step` tells apart the writes of one operation (`"payment_intent"`,
    /// `"refund"`). `None` for read-only tools, which have no operation key.
    pub fn downstream_key(&self, step: &str) -> Option<String> {
        self.operation_key.get().map(|key| format!("{key}:{step}"))
    }

    /// The operation's idempotency key, for side-effecting tools once the invoke path has set it.
    pub(crate) fn operation_key(&self) -> Option<&IdempotencyKey> {
        self.operation_key.get()
    }

    pub(crate) fn idempotency_store(&self) -> &dyn IdempotencyStore {
        self.idempotency.as_ref()
    }

    /// The store of idempotency records and leases, shared (leases outlive a borrow of the context).
    pub(crate) fn shared_store(&self) -> Arc<dyn IdempotencyStore> {
        Arc::clone(&self.idempotency)
    }

    pub(crate) fn set_operation_key(&self, key: IdempotencyKey) {
        // Set once per invocation, by the invoke path, before the handler runs.
        let _ = self.operation_key.set(key);
    }
}
