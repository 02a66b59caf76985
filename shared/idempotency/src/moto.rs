//! The DynamoDB store on a moto server (a real HTTP AWS emulator) named by `MOTO_URL`: how this
//! crate's contract suite and the end-to-end tests reach DynamoDB without AWS.

use crate::DynamoStore;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};

/// A store on a fresh, uniquely named table on moto, or `None` (with a message) when `MOTO_URL`
/// is unset. Panics — failing the test — when `DEWY_REQUIRE_MOTO` is set but `MOTO_URL` is not,
/// so CI cannot silently skip the DynamoDB half of the contract.
pub async fn store(test: &str) -> Option<DynamoStore> {
    let Some(url) = std::env::var("MOTO_URL").ok().filter(|u| !u.is_empty()) else {
        assert!(
            std::env::var_os("DEWY_REQUIRE_MOTO").is_none(),
            "DEWY_REQUIRE_MOTO is set but MOTO_URL is not: start moto and set MOTO_URL"
        );
        eprintln!("SKIPPED {test}: set MOTO_URL (e.g. http://127.0.0.1:5055) to run against moto");
        return None;
    };
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .build();
    let client = aws_sdk_dynamodb::Client::from_conf(config);
    let table = unique_name(&format!("idem-{test}"));
    DynamoStore::create_table_for_tests(&client, &table)
        .await
        .expect("create table on moto");
    Some(DynamoStore::new(client, table))
}

/// Drops the test's table; best effort, moto is thrown away anyway.
pub async fn drop_table(store: &DynamoStore) {
    let _ = store.client.delete_table().table_name(&store.table).send().await;
}

/// `name` made unique to this process and instant, so runs never see each other's tables.
pub fn unique_name(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{name}-{}-{nanos}", std::process::id())
}
