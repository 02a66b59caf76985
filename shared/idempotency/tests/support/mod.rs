//! Shared test code: the store contract, the overhead probe and the moto connection.

pub mod contract;
pub mod moto;
pub mod overhead;

/// A prefix unique to this test run, so runs never see each other's records or tables.
pub fn run_prefix(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{name}-{}-{nanos}", std::process::id())
}
