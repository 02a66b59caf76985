//! The query resource and its pages (`nextRecordsUrl`).

use serde_json::{Value, json};

use super::Ctx;
use crate::error::SandboxError;
use crate::soql::eval;
use crate::store::{Cursor, Store};

/// Runs a query and returns its first page; later pages are kept under a cursor.
pub(crate) fn first_page(
    store: &mut Store,
    ctx: Ctx,
    version: &str,
    soql: &str,
) -> Result<Value, SandboxError> {
    let records = eval::run(store, soql, version)?;
    if records.len() <= ctx.batch_size {
        return Ok(json!({"totalSize": records.len(), "done": true, "records": records}));
    }
    let batch = ctx.batch_size;
    let total = records.len();
    let first: Vec<Value> = records.iter().take(batch).cloned().collect();
    let cursor = store.add_cursor(Cursor {
        records,
        batch_size: batch,
    });
    Ok(json!({
        "totalSize": total,
        "done": false,
        "nextRecordsUrl": format!("/services/data/v{version}/query/{cursor}-{batch}"),
        "records": first,
    }))
}

/// `query/<cursor>-<offset>`: the next page of a kept query.
pub(crate) fn next_page(store: &Store, version: &str, locator: &str) -> Result<Value, SandboxError> {
    let invalid = || SandboxError::new(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    let (cursor_id, offset) = locator.rsplit_once('-').ok_or_else(invalid)?;
    let offset: usize = offset.parse().map_err(|_| invalid())?;
    let cursor = store.cursor(cursor_id).ok_or_else(invalid)?;
    let total = cursor.records.len();
    if offset > total {
        return Err(invalid());
    }
    let end = offset.saturating_add(cursor.batch_size).min(total);
    let page: Vec<Value> = cursor.records[offset..end].to_vec();
    let mut body = json!({"totalSize": total, "done": end >= total, "records": page});
    if end < total
        && let Some(map) = body.as_object_mut()
    {
        map.insert(
            "nextRecordsUrl".into(),
            json!(format!("/services/data/v{version}/query/{cursor_id}-{end}")),
        );
    }
    Ok(body)
}
