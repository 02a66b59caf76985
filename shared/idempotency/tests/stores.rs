//! Runs the shared store contract (and the overhead probe) against every store.
//!
//! DynamoDB runs against moto: `MOTO_URL=http://127.0.0.1:5055 cargo test -p dewy-idempotency`.

mod support;

use dewy_idempotency::{IdempotencyStore, MemoryStore, RateStore};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_store_meets_the_contract() {
    let store = Arc::new(MemoryStore::new());
    support::contract::run(store, &support::run_prefix("mem")).await;
}

/// The contract through `dyn IdempotencyStore`, as the tool layer will hold it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_store_meets_the_contract_as_trait_object() {
    let store: Arc<dyn IdempotencyStore> = Arc::new(MemoryStore::new());
    support::contract::run(store, &support::run_prefix("dyn")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamo_store_meets_the_contract_on_moto() {
    let Some(store) = support::moto::store("contract").await else {
        return;
    };
    let store = Arc::new(store);
    support::contract::run(Arc::clone(&store), &support::run_prefix("ddb")).await;
    support::moto::drop_table(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_store_meets_the_lease_contract() {
    let store: Arc<dyn IdempotencyStore> = Arc::new(MemoryStore::new());
    support::leases::run(store, &support::run_prefix("mem")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamo_store_meets_the_lease_contract_on_moto() {
    let Some(store) = support::moto::store("leases").await else {
        return;
    };
    let store = Arc::new(store);
    support::leases::run(Arc::clone(&store), &support::run_prefix("ddb")).await;
    support::moto::drop_table(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_store_overhead() {
    let store = MemoryStore::new();
    support::overhead::measure(&store, "memory", &support::run_prefix("mem"), 10_000).await;
    support::overhead::measure_rates(&store, "memory", &support::run_prefix("mem"), 10_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamo_store_overhead_on_moto() {
    let Some(store) = support::moto::store("overhead").await else {
        return;
    };
    support::overhead::measure(&store, "dynamodb(moto)", &support::run_prefix("ddb"), 200).await;
    support::overhead::measure_rates(&store, "dynamodb(moto)", &support::run_prefix("ddb"), 200).await;
    support::moto::drop_table(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_store_meets_the_rate_contract() {
    let store: Arc<dyn RateStore> = Arc::new(MemoryStore::new());
    support::rates::run(&[store], &support::run_prefix("mem")).await;
}

/// Two instances (two clients, as two Lambda containers hold) on one table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamo_store_meets_the_rate_contract_on_moto_across_instances() {
    let Some(store) = support::moto::store("rates").await else {
        return;
    };
    let second = dewy_idempotency::DynamoStore::new(store.client.clone(), store.table.clone());
    let instances: [Arc<dyn RateStore>; 2] = [Arc::new(store.clone()), Arc::new(second)];
    support::rates::run(&instances, &support::run_prefix("ddb")).await;
    support::moto::drop_table(&store).await;
}
