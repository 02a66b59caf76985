//! The Salesforce calls the skills make, each mapping a connector failure to the tool error that
//! names Salesforce (`backend_error::salesforce`) in one place.
//!
//! A failed call is always an error here, never an empty result: "not found" must come from
//! Salesforce answering, not from Salesforce failing.

use crate::record::Record;
use dewy_domain::ToolError;
use dewy_salesforce::UpsertResult;
use dewy_salesforce::soql::{Cond, Soql};
use dewy_tool::{Context, backend_error};
use serde_json::Value;

/// Every record `soql` matches.
pub(crate) async fn query(ctx: &Context, soql: &Soql) -> Result<Vec<Record>, ToolError> {
    ctx.salesforce()
        .query(soql)
        .await
        .map_err(backend_error::salesforce)
}

/// The first record `soql` matches (the query is limited to one).
pub(crate) async fn first(ctx: &Context, soql: Soql) -> Result<Option<Record>, ToolError> {
    Ok(query(ctx, &soql.limit(1)).await?.pop())
}

/// The first record `soql` matches, as `read` shows it.
pub(crate) async fn first_as<T>(
    ctx: &Context,
    soql: Soql,
    read: impl Fn(&Record) -> Result<T, ToolError>,
) -> Result<Option<T>, ToolError> {
    first(ctx, soql).await?.as_ref().map(read).transpose()
}

/// The record of `object` with id `id`, reading `fields`; `None` when there is none.
///
/// A query rather than a GET of the record: a missing record is then an empty answer, not an
/// error to tell apart from a failure.
pub(crate) async fn by_id(
    ctx: &Context,
    object: &'static str,
    fields: &[&'static str],
    id: &str,
) -> Result<Option<Record>, ToolError> {
    first(ctx, Soql::select(fields).from(object).filter(Cond::eq("Id", id))).await
}

/// Updates the fields in `body` of record `id`.
pub(crate) async fn update(ctx: &Context, object: &str, id: &str, body: &Value) -> Result<(), ToolError> {
    ctx.salesforce()
        .update(object, id, body)
        .await
        .map_err(backend_error::salesforce)
}

/// Creates or updates the record of `object` whose `key_field` is `key` (safe to retry, so the
/// connector retries it).
pub(crate) async fn upsert(
    ctx: &Context,
    object: &str,
    key_field: &str,
    key: &str,
    body: &Value,
) -> Result<UpsertResult, ToolError> {
    ctx.salesforce()
        .upsert(object, key_field, key, body)
        .await
        .map_err(backend_error::salesforce)
}

/// Creates a record and returns its id (not retried by the connector: a create that timed out
/// may have been applied).
pub(crate) async fn create(ctx: &Context, object: &str, body: &Value) -> Result<String, ToolError> {
    ctx.salesforce()
        .create(object, body)
        .await
        .map_err(backend_error::salesforce)
}

/// The error when a record Salesforce just said it saved cannot be read back: not the caller's to
/// fix, so a logged internal error.
pub(crate) fn vanished(object: &str, id: &str) -> ToolError {
    tracing::error!(object, id, "a record just written could not be read back");
    ToolError::internal()
}

/// A write body holding only the fields that have a value: a field left out of a tool's input is
/// left as it is in Salesforce, never cleared.
#[derive(Default)]
pub(crate) struct Body(serde_json::Map<String, Value>);

impl Body {
    /// Sets `field` when `value` is `Some`. (The skills' values are strings, numbers, dates and
    /// picklists, which always serialise.)
    pub(crate) fn set(mut self, field: &str, value: Option<impl serde::Serialize>) -> Self {
        if let Some(value) = value.and_then(|v| serde_json::to_value(v).ok()) {
            self.0.insert(field.to_owned(), value);
        }
        self
    }

    /// Sets `field` to `value`, `null` included (which clears it).
    pub(crate) fn always(mut self, field: &str, value: impl serde::Serialize) -> Self {
        self.0.insert(
            field.to_owned(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
        self
    }

    /// The JSON body.
    pub(crate) fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}
