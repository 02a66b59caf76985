//! The seed import for a fresh org (infra/scripts/generate-seed.py) is the local sandbox's seed, as
//! `sf data import tree` files dated from the given day, that a deploy of the metadata accepts.

use super::metadata::{metadata_values, standard_value_set};
use super::support::{describe, infra, metadata};
use chrono::{Days, NaiveDate};
use dewy_salesforce_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::process::Command;

/// Runs the generator against `sandbox` and returns the plan and each object's records.
fn generate(sandbox: &Sandbox) -> (Vec<Value>, BTreeMap<String, Vec<Value>>) {
    let out = std::env::temp_dir().join(format!("dewy-seed-{}", std::process::id()));
    let config = sandbox.config();
    let run = Command::new("python3")
        .arg(infra().join("scripts/generate-seed.py"))
        .arg(&out)
        .args(["--sandbox-url", &sandbox.base_url()])
        .env("SANDBOX_CLIENT_ID", &config.client_id)
        .env("SANDBOX_CLIENT_SECRET", &config.client_secret)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let load = |file: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(out.join(file)).unwrap()).unwrap()
    };
    let plan = load("plan.json").as_array().unwrap().clone();
    let files = plan
        .iter()
        .map(|step| {
            let file = step["files"][0].as_str().unwrap();
            let records = load(file)["records"].as_array().unwrap().clone();
            (step["sobject"].as_str().unwrap().to_owned(), records)
        })
        .collect();
    let _ = std::fs::remove_dir_all(&out);
    (plan, files)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_import_is_the_sandboxs_seed_dated_from_today() {
    let today = NaiveDate::from_ymd_opt(2027, 3, 14).unwrap();
    let sandbox = Sandbox::start(SandboxConfig {
        today,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let objects = describe(&sandbox).await;
    let (plan, files) = tokio::task::block_in_place(|| generate(&sandbox));

    // Every record of the sandbox, in files ordered so that lookups point at earlier files.
    let mut defined = HashSet::new();
    for step in &plan {
        let object = step["sobject"].as_str().unwrap();
        let records = &files[object];
        let count = sandbox.query(&format!("SELECT Id FROM {object}")).unwrap().len();
        assert_eq!(records.len(), count, "{object}");
        for record in records {
            for (field, value) in record.as_object().unwrap() {
                if let Some(reference) = value.as_str().and_then(|v| v.strip_prefix('@')) {
                    assert!(
                        defined.contains(reference),
                        "{object}.{field} -> {reference} is not earlier"
                    );
                }
            }
        }
        for record in records {
            assert!(defined.insert(record["attributes"]["referenceId"].as_str().unwrap().to_owned()));
        }
    }
    assert_eq!(plan.len(), objects.len(), "one file per object");

    check_values_against_metadata(&objects, &files);

    // The demo flows' dates follow today: kay@example.com's check-in is due today, guest2's stay
    // (checked in) ends tomorrow.
    let booking = |external_id: &str| {
        files["Booking__c"]
            .iter()
            .find(|b| b["External_ID__c"] == external_id)
            .unwrap()
            .clone()
    };
    let kay = booking("seed-booking-kay-1");
    assert_eq!(kay["Check_In_Date__c"], today.to_string());
    assert_eq!(kay["Status__c"], "Reserved");
    let guest2 = booking("seed-booking-guest2-1");
    assert_eq!(guest2["Status__c"], "Checked In");
    assert_eq!(guest2["Check_Out_Date__c"], (today + Days::new(1)).to_string());
}

/// Every field the files set is deployed, and every picklist value is one the org will have.
fn check_values_against_metadata(objects: &[Value], files: &BTreeMap<String, Vec<Value>>) {
    for (object, records) in files {
        let describe = objects.iter().find(|o| o["name"] == object.as_str()).unwrap();
        for record in records {
            for (field, value) in record.as_object().unwrap() {
                if field == "attributes" {
                    continue;
                }
                if field.ends_with("__c") {
                    let file = metadata().join(format!("objects/{object}/fields/{field}.field-meta.xml"));
                    assert!(file.exists(), "{object}.{field} is not in the metadata");
                }
                let described = describe["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|f| f["name"] == field.as_str());
                let picklist = described.is_some_and(|f| f["type"] == "picklist");
                // Account.Type and Opportunity.Type are free text in the sandbox but standard
                // picklists in an org: their values must be in the org's value sets too.
                let standard_picklist = field == "Type" && (object == "Account" || object == "Opportunity");
                if picklist || standard_picklist {
                    let value = value.as_str().unwrap();
                    let values = metadata_values(object, field);
                    assert!(
                        values.iter().any(|v| v == value),
                        "{object}.{field} = {value} is not in {}",
                        if field.ends_with("__c") {
                            field.clone()
                        } else {
                            standard_value_set(object, field)
                        }
                    );
                }
            }
        }
    }
}
