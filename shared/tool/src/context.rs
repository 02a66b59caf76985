//! What a handler works with: the caller, the connectors, the deadline and the call recorder.

use crate::caller::Caller;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use dewy_connector::{CallRecorder, Deadline};
use dewy_idempotency::{IdempotencyKey, IdempotencyStore};
use dewy_salesforce::Salesforce;
use std::sync::{Arc, OnceLock};

/// The connectors of a container, built once at start and shared by every invocation.
#[derive(Clone)]
pub struct Backends {
    /// Salesforce, the system of record.
    pub salesforce: Salesforce,
    /// Where side-effecting calls take their idempotency locks and store their results: DynamoDB
    /// in AWS, memory locally. Only the shared invoke path uses it.
    pub idempotency: Arc<dyn IdempotencyStore>,
}

impl Backends {
    /// The context of one invocation: connectors scoped to a fresh call recorder and the deadline.
    pub fn context(&self, caller: Caller, deadline: Deadline) -> Context {
        let recorder = CallRecorder::new();
        Context {
            salesforce: self.salesforce.scoped(recorder.clone(), deadline),
            idempotency: Arc::clone(&self.idempotency),
            operation_key: OnceLock::new(),
            caller,
            deadline,
            recorder,
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
    salesforce: Salesforce,
    idempotency: Arc<dyn IdempotencyStore>,
    operation_key: OnceLock<IdempotencyKey>,
    now: DateTime<Utc>,
}

impl Context {
    /// The verified caller.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The Salesforce connector, recording into this invocation and bounded by its deadline.
    pub fn salesforce(&self) -> &Salesforce {
        &self.salesforce
    }

    /// When the invocation must have answered.
    pub fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// The backend calls made so far.
    pub fn recorder(&self) -> &CallRecorder {
        &self.recorder
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

    pub(crate) fn idempotency_store(&self) -> &dyn IdempotencyStore {
        self.idempotency.as_ref()
    }

    pub(crate) fn set_operation_key(&self, key: IdempotencyKey) {
        // Set once per invocation, by the invoke path, before the handler runs.
        let _ = self.operation_key.set(key);
    }
}
