//! Helpers shared by the unit tests: a seeded store and queries over it.

use crate::seed::test_store;
use crate::soql::eval::run;
use crate::store::Store;
use serde_json::Value;

/// A store seeded for 2026-11-23.
pub(crate) fn seeded() -> Store {
    test_store()
}

/// Runs `soql` on `store`, panicking with the query on failure.
pub(crate) fn q(store: &Store, soql: &str) -> Vec<Value> {
    run(store, soql, "62.0").unwrap_or_else(|e| panic!("{soql}: {e}"))
}

/// The values of `field` in `records`, `"null"` where there is none.
pub(crate) fn strings(records: &[Value], field: &str) -> Vec<String> {
    records
        .iter()
        .map(|r| r[field].as_str().unwrap_or("null").to_owned())
        .collect()
}

/// The id of the room numbered `number`.
pub(crate) fn room_id(store: &Store, number: &str) -> String {
    let rows = q(
        store,
        &format!("SELECT Id FROM Hotel_Room__c WHERE Room_Number__c = '{number}'"),
    );
    rows[0]["Id"].as_str().unwrap_or_default().to_owned()
}
