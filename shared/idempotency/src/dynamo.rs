//! The DynamoDB store: Powertools' `DynamoDBPersistenceLayer`, one item per key.

use crate::lease::{Granted, LeaseError, LeaseStore, PreviousLease};
use crate::rate::{RATE_RECORD_GRACE, RateCall, RateDecision, RateError, RateStore};
use crate::store::{STATUS_COMPLETED, STATUS_INPROGRESS, decide, epoch_millis, epoch_secs, from_millis};
use crate::{Begin, BoxFuture, IdempotencyError, IdempotencyStore, StoredResponse};
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValuesOnConditionCheckFailure};
use serde_json::Value;
use std::collections::HashMap;
use std::time::SystemTime;

/// The table this store expects, as a SAM/CloudFormation resource (paste under `Resources:`).
///
/// Only `id` is declared: DynamoDB is schemaless for non-key attributes. The others are
/// `status` (S: `INPROGRESS` | `COMPLETED`), `data` (S: the [`StoredResponse`] as JSON),
/// `validation` (S: the payload hash), `expiration` (N: epoch seconds, the TTL attribute) and
/// `in_progress_expiration` (N: epoch milliseconds); leases and rate-limit windows (`count`, N) use
/// the same table under `lease#` and `rate#` ids. The function needs `dynamodb:PutItem`,
/// `UpdateItem` and `DeleteItem` on it (SAM: `DynamoDBCrudPolicy`).
pub const TABLE_DEFINITION: &str = r#"IdempotencyTable:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    AttributeDefinitions:
      - AttributeName: id
        AttributeType: S
    KeySchema:
      - AttributeName: id
        KeyType: HASH
    TimeToLiveSpecification:
      AttributeName: expiration
      Enabled: true
"#;

// Attribute names, as in Powertools' defaults.
const ID: &str = "id";
const STATUS: &str = "status";
const DATA: &str = "data";
const VALIDATION: &str = "validation";
const EXPIRATION: &str = "expiration";
const IN_PROGRESS_EXPIRATION: &str = "in_progress_expiration";

/// Powertools' lock condition. `status` and `data` are reserved words in DynamoDB, hence the
/// placeholders throughout.
const LOCK_CONDITION: &str = "attribute_not_exists(#id) OR #expiry < :now OR \
     (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_ms)";

// Lease attributes (see `crate::lease`), in the same table under `lease#` ids.
const LEASE_HOLDER: &str = "lease_holder";
const LEASE_UNTIL: &str = "lease_until";
const LEASE_RELEASED_AT: &str = "lease_released_at";
const LEASE_STATE: &str = "lease_state";

/// A lease can be taken when there is none, its record expired, it was released, or it lapsed.
const LEASE_FREE: &str = "attribute_not_exists(#id) OR #expiry < :now OR attribute_exists(#released) \
     OR #until < :now_ms";

/// A store on one DynamoDB table (see [`TABLE_DEFINITION`]).
#[derive(Debug, Clone)]
pub struct DynamoStore {
    /// The SDK client; cloning it is cheap.
    pub client: Client,
    /// The table name.
    pub table: String,
}

impl DynamoStore {
    /// A store on `table`.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// Creates `table` as [`TABLE_DEFINITION`] describes (on-demand, TTL on `expiration`). For
    /// tests (feature `test-support`); deployed tables come from the SAM template.
    #[cfg(feature = "test-support")]
    pub async fn create_table_for_tests(client: &Client, table: &str) -> Result<(), IdempotencyError> {
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
            TimeToLiveSpecification,
        };
        let attribute = AttributeDefinition::builder()
            .attribute_name(ID)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .map_err(store_err)?;
        let key = KeySchemaElement::builder()
            .attribute_name(ID)
            .key_type(KeyType::Hash)
            .build()
            .map_err(store_err)?;
        client
            .create_table()
            .table_name(table)
            .attribute_definitions(attribute)
            .key_schema(key)
            .billing_mode(BillingMode::PayPerRequest)
            .send()
            .await
            .map_err(sdk_err)?;
        let ttl = TimeToLiveSpecification::builder()
            .attribute_name(EXPIRATION)
            .enabled(true)
            .build()
            .map_err(store_err)?;
        client
            .update_time_to_live()
            .table_name(table)
            .time_to_live_specification(ttl)
            .send()
            .await
            .map_err(sdk_err)?;
        Ok(())
    }

    async fn begin_inner(
        &self,
        id: &str,
        payload_hash: &str,
        in_progress_expiry: SystemTime,
        record_expiry: SystemTime,
    ) -> Result<Begin, IdempotencyError> {
        let now = SystemTime::now();
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .item(ID, s(id))
            .item(STATUS, s(STATUS_INPROGRESS))
            .item(VALIDATION, s(payload_hash))
            .item(EXPIRATION, n(epoch_secs(record_expiry)))
            .item(IN_PROGRESS_EXPIRATION, n(epoch_millis(in_progress_expiry)))
            .condition_expression(LOCK_CONDITION)
            .expression_attribute_names("#id", ID)
            .expression_attribute_names("#expiry", EXPIRATION)
            .expression_attribute_names("#status", STATUS)
            .expression_attribute_names("#in_progress_expiry", IN_PROGRESS_EXPIRATION)
            .expression_attribute_values(":now", n(epoch_secs(now)))
            .expression_attribute_values(":now_ms", n(epoch_millis(now)))
            .expression_attribute_values(":inprogress", s(STATUS_INPROGRESS))
            // The failed check hands back the item it saw: no second read, and no race between
            // the failed write and a read.
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        let err = match result {
            Ok(_) => return Ok(Begin::Started),
            Err(err) => err,
        };
        let old = match &err {
            SdkError::ServiceError(service) => match service.err() {
                PutItemError::ConditionalCheckFailedException(failed) => failed.item(),
                _ => return Err(sdk_err(err)),
            },
            _ => return Err(sdk_err(err)),
        };
        let Some(old) = old else {
            // The condition failed yet no item came back: it only fails on an existing item, so
            // this is a store quirk. Treat it as contention: the caller may retry safely.
            tracing::warn!(id, "conditional check failed without ALL_OLD item");
            return Err(IdempotencyError::InProgress);
        };
        let status = get_s(old, STATUS).unwrap_or_default();
        decide(status, get_s(old, VALIDATION), payload_hash, || {
            get_s(old, DATA)
                .map(|json| {
                    serde_json::from_str(json)
                        .map_err(|e| IdempotencyError::Store(format!("stored response: {e}")))
                })
                .transpose()
        })
    }

    async fn complete_inner(
        &self,
        id: &str,
        response: &StoredResponse,
        record_expiry: SystemTime,
    ) -> Result<(), IdempotencyError> {
        let data = serde_json::to_string(response).map_err(store_err)?;
        self.client
            .update_item()
            .table_name(&self.table)
            .key(ID, s(id))
            .update_expression("SET #status = :completed, #data = :data, #expiry = :expiry")
            .expression_attribute_names("#status", STATUS)
            .expression_attribute_names("#data", DATA)
            .expression_attribute_names("#expiry", EXPIRATION)
            .expression_attribute_values(":completed", s(STATUS_COMPLETED))
            .expression_attribute_values(":data", s(&data))
            .expression_attribute_values(":expiry", n(epoch_secs(record_expiry)))
            .send()
            .await
            .map_err(sdk_err)?;
        Ok(())
    }

    async fn abandon_inner(&self, id: &str) -> Result<(), IdempotencyError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key(ID, s(id))
            .send()
            .await
            .map_err(sdk_err)?;
        Ok(())
    }
}

impl DynamoStore {
    async fn acquire_inner(
        &self,
        id: &str,
        holder: &str,
        until: SystemTime,
        record_expiry: SystemTime,
    ) -> Result<Granted, LeaseError> {
        let now = SystemTime::now();
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .item(ID, s(id))
            .item(LEASE_HOLDER, s(holder))
            .item(LEASE_UNTIL, n(epoch_millis(until)))
            .item(EXPIRATION, n(epoch_secs(record_expiry)))
            .condition_expression(LEASE_FREE)
            .expression_attribute_names("#id", ID)
            .expression_attribute_names("#expiry", EXPIRATION)
            .expression_attribute_names("#released", LEASE_RELEASED_AT)
            .expression_attribute_names("#until", LEASE_UNTIL)
            .expression_attribute_values(":now", n(epoch_secs(now)))
            .expression_attribute_values(":now_ms", n(epoch_millis(now)))
            // The previous item either way: the last release (and state) on success, the live
            // holder's end on failure, with no second read.
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(output) => {
                let previous = output
                    .attributes()
                    .filter(|old| get_n(old, EXPIRATION).is_some_and(|e| e >= epoch_secs(now)))
                    .map(previous_lease)
                    .transpose()?;
                Ok(Granted { previous })
            }
            Err(err) => {
                let until = match &err {
                    SdkError::ServiceError(service) => match service.err() {
                        PutItemError::ConditionalCheckFailedException(failed) => {
                            failed.item().and_then(|old| get_n(old, LEASE_UNTIL))
                        }
                        _ => return Err(lease_err(err)),
                    },
                    _ => return Err(lease_err(err)),
                };
                Err(LeaseError::Held {
                    until: from_millis(until.unwrap_or_else(|| epoch_millis(now))),
                })
            }
        }
    }

    async fn release_inner(
        &self,
        id: &str,
        holder: &str,
        state: Option<&Value>,
        record_expiry: SystemTime,
    ) -> Result<(), LeaseError> {
        let now = n(epoch_millis(SystemTime::now()));
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(ID, s(id))
            .condition_expression("#holder = :holder")
            .expression_attribute_names("#holder", LEASE_HOLDER)
            .expression_attribute_names("#until", LEASE_UNTIL)
            .expression_attribute_names("#released", LEASE_RELEASED_AT)
            .expression_attribute_names("#expiry", EXPIRATION)
            .expression_attribute_names("#state", LEASE_STATE)
            .expression_attribute_values(":holder", s(holder))
            .expression_attribute_values(":now", now)
            .expression_attribute_values(":expiry", n(epoch_secs(record_expiry)));
        update = match state {
            Some(state) => update
                .update_expression("SET #until = :now, #released = :now, #expiry = :expiry, #state = :state")
                .expression_attribute_values(":state", s(&state.to_string())),
            None => update
                .update_expression("SET #until = :now, #released = :now, #expiry = :expiry REMOVE #state"),
        };
        match update.send().await {
            Ok(_) => Ok(()),
            Err(SdkError::ServiceError(service))
                if matches!(service.err(), UpdateItemError::ConditionalCheckFailedException(_)) =>
            {
                Err(LeaseError::Lost)
            }
            Err(err) => Err(lease_err(err)),
        }
    }
}

/// The previous lease from its item.
fn previous_lease(old: &HashMap<String, AttributeValue>) -> Result<PreviousLease, LeaseError> {
    let state = get_s(old, LEASE_STATE)
        .map(|json| serde_json::from_str(json).map_err(|e| LeaseError::Store(format!("lease state: {e}"))))
        .transpose()?;
    Ok(PreviousLease {
        released_at: get_n(old, LEASE_RELEASED_AT).map(from_millis),
        until: from_millis(get_n(old, LEASE_UNTIL).unwrap_or(0)),
        state,
    })
}

fn get_n(item: &HashMap<String, AttributeValue>, name: &str) -> Option<u64> {
    match item.get(name) {
        Some(AttributeValue::N(value)) => value.parse().ok(),
        _ => None,
    }
}

fn lease_err<E, R>(err: SdkError<E, R>) -> LeaseError
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    LeaseError::Store(DisplayErrorContext(err).to_string())
}

// Rate-limit windows (see `crate::rate`), in the same table under `rate#` ids.
const COUNT: &str = "count";

/// A window counts a call while it has no count yet or is under the limit.
const UNDER_LIMIT: &str = "attribute_not_exists(#count) OR #count < :limit";

impl DynamoStore {
    async fn admit_inner(&self, call: RateCall<'_>) -> Result<RateDecision, RateError> {
        let (id, end) = call.window();
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(ID, s(&id))
            .update_expression("ADD #count :one SET #expiry = :expiry")
            .condition_expression(UNDER_LIMIT)
            .expression_attribute_names("#count", COUNT)
            .expression_attribute_names("#expiry", EXPIRATION)
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":limit", n(u64::from(call.limit)))
            .expression_attribute_values(":expiry", n(epoch_secs(end + RATE_RECORD_GRACE)))
            .send()
            .await;
        match result {
            Ok(_) => Ok(RateDecision::Admitted),
            Err(SdkError::ServiceError(service))
                if matches!(service.err(), UpdateItemError::ConditionalCheckFailedException(_)) =>
            {
                Ok(call.limited(end))
            }
            Err(err) => Err(RateError(DisplayErrorContext(err).to_string())),
        }
    }
}

impl RateStore for DynamoStore {
    fn admit<'a>(&'a self, call: RateCall<'a>) -> BoxFuture<'a, Result<RateDecision, RateError>> {
        Box::pin(self.admit_inner(call))
    }
}

impl LeaseStore for DynamoStore {
    fn acquire<'a>(
        &'a self,
        id: &'a str,
        holder: &'a str,
        until: SystemTime,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<Granted, LeaseError>> {
        Box::pin(self.acquire_inner(id, holder, until, record_expiry))
    }

    fn release<'a>(
        &'a self,
        id: &'a str,
        holder: &'a str,
        state: Option<&'a Value>,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<(), LeaseError>> {
        Box::pin(self.release_inner(id, holder, state, record_expiry))
    }
}

impl IdempotencyStore for DynamoStore {
    fn begin<'a>(
        &'a self,
        id: &'a str,
        payload_hash: &'a str,
        in_progress_expiry: SystemTime,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<Begin, IdempotencyError>> {
        Box::pin(self.begin_inner(id, payload_hash, in_progress_expiry, record_expiry))
    }

    fn complete<'a>(
        &'a self,
        id: &'a str,
        response: &'a StoredResponse,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<(), IdempotencyError>> {
        Box::pin(self.complete_inner(id, response, record_expiry))
    }

    fn abandon<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), IdempotencyError>> {
        Box::pin(self.abandon_inner(id))
    }
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

fn n(value: u64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn get_s<'a>(item: &'a HashMap<String, AttributeValue>, name: &str) -> Option<&'a str> {
    match item.get(name) {
        Some(AttributeValue::S(value)) => Some(value),
        _ => None,
    }
}

fn store_err(err: impl std::fmt::Display) -> IdempotencyError {
    IdempotencyError::Store(err.to_string())
}

/// Full SDK error chain: the top-level `Display` of an `SdkError` is often just "service error".
fn sdk_err<E, R>(err: SdkError<E, R>) -> IdempotencyError
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    IdempotencyError::Store(DisplayErrorContext(err).to_string())
}
