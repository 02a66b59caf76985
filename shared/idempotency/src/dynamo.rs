//! The DynamoDB store: Powertools' `DynamoDBPersistenceLayer`, one item per key.

use crate::store::{STATUS_COMPLETED, STATUS_INPROGRESS, decide, epoch_millis, epoch_secs};
use crate::{Begin, BoxFuture, IdempotencyError, IdempotencyStore, StoredResponse};
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ReturnValuesOnConditionCheckFailure, ScalarAttributeType, TimeToLiveSpecification,
};
use std::collections::HashMap;
use std::time::SystemTime;

/// The table this store expects, as a SAM/CloudFormation resource (paste under `Resources:`).
///
/// Only `id` is declared: DynamoDB is schemaless for non-key attributes. The others are
/// `status` (S: `INPROGRESS` | `COMPLETED`), `data` (S: the [`StoredResponse`] as JSON),
/// `validation` (S: the payload hash), `expiration` (N: epoch seconds, the TTL attribute) and
/// `in_progress_expiration` (N: epoch milliseconds). The function needs `dynamodb:PutItem`,
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
    /// tests and local runs; deployed tables come from the SAM template.
    pub async fn create_table_for_tests(client: &Client, table: &str) -> Result<(), IdempotencyError> {
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
