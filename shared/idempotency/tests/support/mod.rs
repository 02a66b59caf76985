//! Shared test code: the store contract, the overhead probe, the rate-limit contract and the moto connection.

pub mod contract;
pub mod leases;
pub mod overhead;
pub mod rates;

pub use dewy_idempotency::moto;

/// A prefix unique to this test run, so runs never see each other's records or tables.
pub fn run_prefix(name: &str) -> String {
    moto::unique_name(name)
}
