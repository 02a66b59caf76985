//! The Salesforce metadata defines what the tools use: every object and custom field of the org the
//! code is tested against (the sandbox, built from dewy-domain's constants), with the same type,
//! length, keys and relationships; every picklist value of dewy-domain's enums; and a permission set
//! that reaches all of it.

use super::support::{blocks, describe, metadata, read, text, texts};
use dewy_domain::Picklist;
use dewy_domain::objects::booking::BookingStatus;
use dewy_domain::objects::case::{CaseOrigin, CasePriority, CaseStatus, CaseType};
use dewy_domain::objects::contact::{ContactMethod, ContactType};
use dewy_domain::objects::opportunity::OpportunityStage;
use dewy_domain::objects::room::{RoomStatus, RoomType};
use dewy_domain::objects::{booking, case, contact, opportunity, room};
use dewy_salesforce_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Every picklist the domain defines: object, field, values.
fn domain_picklists() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    vec![
        (booking::OBJECT, booking::STATUS, BookingStatus::api_values()),
        (room::OBJECT, room::STATUS, RoomStatus::api_values()),
        (room::OBJECT, room::ROOM_TYPE, RoomType::api_values()),
        (contact::OBJECT, contact::CONTACT_TYPE, ContactType::api_values()),
        (
            contact::OBJECT,
            contact::PREFERRED_CONTACT_METHOD,
            ContactMethod::api_values(),
        ),
        (
            opportunity::OBJECT,
            opportunity::STAGE,
            OpportunityStage::api_values(),
        ),
        (case::OBJECT, case::TYPE, CaseType::api_values()),
        (case::OBJECT, case::PRIORITY, CasePriority::api_values()),
        (case::OBJECT, case::STATUS, CaseStatus::api_values()),
        (case::OBJECT, case::ORIGIN, CaseOrigin::api_values()),
    ]
}

/// The StandardValueSet behind a standard picklist: Salesforce names them object + field, except
/// the opportunity's stage.
pub fn standard_value_set(object: &str, field: &str) -> String {
    match (object, field) {
        ("Opportunity", "StageName") => "OpportunityStage".into(),
        _ => format!("{object}{field}"),
    }
}

fn field_file(object: &str, field: &str) -> PathBuf {
    metadata().join(format!("objects/{object}/fields/{field}.field-meta.xml"))
}

/// The values a picklist has in the metadata: its own value set for a custom field, the standard
/// value set for a standard one. A field file's first `<fullName>` is the field's own name.
pub fn metadata_values(object: &str, field: &str) -> Vec<String> {
    if field.ends_with("__c") {
        texts(&read(&field_file(object, field)), "fullName").split_off(1)
    } else {
        let set = standard_value_set(object, field);
        let path = metadata().join(format!("standardValueSets/{set}.standardValueSet-meta.xml"));
        blocks(&read(&path), "standardValue")
            .iter()
            .filter_map(|v| text(v, "fullName"))
            .collect()
    }
}

#[test]
fn every_picklist_value_of_the_domain_is_in_the_metadata() {
    for (object, field, values) in domain_picklists() {
        let defined = metadata_values(object, field);
        if field.ends_with("__c") {
            // A restricted picklist of the hotel's own: exactly the domain's values, in its order.
            assert_eq!(defined, values, "{object}.{field}");
        } else {
            // A standard picklist keeps Salesforce's values beside the hotel's.
            for value in values {
                assert!(
                    defined.iter().any(|d| d == value),
                    "{object}.{field}: {value} missing"
                );
            }
        }
    }
    let stages = read(&metadata().join("standardValueSets/OpportunityStage.standardValueSet-meta.xml"));
    for stage in blocks(&stages, "standardValue") {
        for required in ["closed", "won", "probability", "forecastCategory"] {
            assert!(
                text(stage, required).is_some(),
                "an opportunity stage needs <{required}>: {stage}"
            );
        }
    }
}

/// The metadata types a sandbox field type may be declared as.
fn declared_types(field: &Value) -> &'static [&'static str] {
    match field["type"].as_str().unwrap() {
        _ if field["calculated"] == true => &["Number"],
        "string" => &["Text", "LongTextArea"],
        "email" => &["Email"],
        "phone" => &["Phone"],
        "picklist" => &["Picklist"],
        "date" => &["Date"],
        "datetime" => &["DateTime"],
        "double" => &["Number"],
        "currency" => &["Currency"],
        "boolean" => &["Checkbox"],
        "reference" => &["Lookup", "MasterDetail"],
        other => panic!("no metadata type for {other}"),
    }
}

/// One custom field of the sandbox against its field file.
fn check_field(object: &str, field: &Value, domain: &[(&str, &str, Vec<&str>)]) {
    let name = field["name"].as_str().unwrap();
    let at = format!("{object}.{name}");
    let xml = read(&field_file(object, name));
    let flag = |tag: &str| text(&xml, tag).as_deref() == Some("true");
    let ty = text(&xml, "type").unwrap();
    assert!(
        declared_types(field).contains(&ty.as_str()),
        "{at}: {ty} for {}",
        field["type"]
    );
    assert_eq!(text(&xml, "fullName").as_deref(), Some(name), "{at}");
    assert_eq!(flag("unique"), field["unique"] == true, "{at}: unique");
    assert_eq!(
        flag("externalId"),
        field["externalId"] == true,
        "{at}: external id"
    );
    assert_eq!(
        text(&xml, "formula").is_some(),
        field["calculated"] == true,
        "{at}: formula"
    );
    let required = flag("required") || ty == "MasterDetail";
    assert_eq!(
        required,
        field["nillable"] == false && ty != "Checkbox",
        "{at}: required"
    );
    if ty == "Text" || ty == "LongTextArea" {
        let length: u64 = text(&xml, "length").unwrap().parse().unwrap();
        assert_eq!(length, field["length"].as_u64().unwrap(), "{at}: length");
    }
    if let Some(target) = field["referenceTo"][0].as_str() {
        assert_eq!(text(&xml, "referenceTo").as_deref(), Some(target), "{at}: target");
        // SOQL names the relationship after the field (Room__c → Room__r), as the domain does.
        assert_eq!(field["relationshipName"], name.replace("__c", "__r"), "{at}");
        assert!(
            text(&xml, "relationshipName").is_some(),
            "{at}: child relationship name"
        );
    }
    if field["type"] == "picklist" {
        let values = &domain
            .iter()
            .find(|(o, f, _)| *o == object && *f == name)
            .unwrap()
            .2;
        let default = field["picklistValues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["defaultValue"] == true);
        let declared_default = blocks(&xml, "value")
            .into_iter()
            .find(|v| text(v, "default").as_deref() == Some("true"))
            .and_then(|v| text(v, "fullName"));
        assert_eq!(
            declared_default.as_deref(),
            default.and_then(|v| v["value"].as_str()),
            "{at}: default"
        );
        assert_eq!(metadata_values(object, name), *values, "{at}");
    } else if let Some(default) = field["defaultValue"].as_f64() {
        assert_eq!(
            text(&xml, "defaultValue").map(|d| d.parse::<f64>().unwrap()),
            Some(default),
            "{at}"
        );
    } else if let Some(default) = field["defaultValue"].as_bool() {
        assert_eq!(text(&xml, "defaultValue"), Some(default.to_string()), "{at}");
    }
}

#[tokio::test]
async fn every_object_and_custom_field_of_the_org_is_in_the_metadata() {
    let sandbox = Sandbox::start(SandboxConfig {
        seed: false,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let objects = describe(&sandbox).await;
    let domain = domain_picklists();
    let mut custom_fields = BTreeSet::new();
    for object in &objects {
        let name = object["name"].as_str().unwrap();
        if name.ends_with("__c") {
            let xml = read(&metadata().join(format!("objects/{name}/{name}.object-meta.xml")));
            let name_field = object["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["name"] == "Name")
                .unwrap();
            let name_type = if name_field["autoNumber"] == true {
                "AutoNumber"
            } else {
                "Text"
            };
            assert_eq!(
                text(blocks(&xml, "nameField")[0], "type").as_deref(),
                Some(name_type),
                "{name}.Name"
            );
        }
        for field in object["fields"].as_array().unwrap() {
            let field_name = field["name"].as_str().unwrap();
            if field_name.ends_with("__c") {
                check_field(name, field, &domain);
                custom_fields.insert(format!("{name}.{field_name}"));
            } else if field["type"] == "picklist" {
                assert!(
                    domain.iter().any(|(o, f, _)| *o == name && *f == field_name),
                    "{name}.{field_name} is a picklist the test does not know: add its domain enum"
                );
            }
        }
    }
    // Nothing in the metadata that the code does not know either: a stale field would be deployed
    // (and granted) for nothing.
    let mut declared = BTreeSet::new();
    for object in std::fs::read_dir(metadata().join("objects")).unwrap() {
        let object = object.unwrap().file_name().into_string().unwrap();
        for field in std::fs::read_dir(metadata().join(format!("objects/{object}/fields"))).unwrap() {
            let file = field.unwrap().file_name().into_string().unwrap();
            declared.insert(format!("{object}.{}", file.trim_end_matches(".field-meta.xml")));
        }
    }
    assert_eq!(declared, custom_fields);
    check_permission_set(&objects);
}

/// The permission set reaches every object and every field the tools use: field-level security is
/// what breaks a fresh org (a field without it is "No such column" to the API).
fn check_permission_set(objects: &[Value]) {
    let xml = read(&metadata().join("permissionsets/Dewy_Resort_Integration.permissionset-meta.xml"));
    let fields: Vec<(String, bool)> = blocks(&xml, "fieldPermissions")
        .into_iter()
        .map(|p| {
            (
                text(p, "field").unwrap(),
                text(p, "editable").as_deref() == Some("true"),
            )
        })
        .collect();
    for object in objects {
        let name = object["name"].as_str().unwrap();
        let grant = blocks(&xml, "objectPermissions")
            .into_iter()
            .find(|p| text(p, "object").as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no object permission for {name}"));
        assert_eq!(text(grant, "allowRead").as_deref(), Some("true"), "{name}");
        assert_eq!(text(grant, "viewAllRecords").as_deref(), Some("true"), "{name}");
        for field in object["fields"].as_array().unwrap() {
            let field_name = field["name"].as_str().unwrap();
            let qualified = format!("{name}.{field_name}");
            let master_detail = field_name.ends_with("__c")
                && text(&read(&field_file(name, field_name)), "type").as_deref() == Some("MasterDetail");
            if !field_name.ends_with("__c") || master_detail {
                continue; // standard fields: checked below; master-detail: always visible
            }
            let (_, editable) = fields
                .iter()
                .find(|(f, _)| *f == qualified)
                .unwrap_or_else(|| panic!("no field permission for {qualified}"));
            assert_eq!(*editable, field["createable"] == true, "{qualified}: editable");
        }
    }
    // The standard fields it names exist (a misspelt one fails the whole deploy).
    for (field, _) in &fields {
        let (object, name) = field.split_once('.').unwrap();
        let known = objects
            .iter()
            .find(|o| o["name"] == object)
            .is_some_and(|o| o["fields"].as_array().unwrap().iter().any(|f| f["name"] == name));
        assert!(
            known,
            "the permission set names {field}, which the org does not have"
        );
    }
}
