//! Describe resources: enough metadata for a client to see the objects, fields and picklists.

use serde_json::{Value, json};

use crate::schema::{FieldDef, FieldType, Formula, ObjectDef, schema};

fn urls(object: &ObjectDef, version: &str) -> Value {
    let base = format!("/services/data/v{version}/sobjects/{}", object.name);
    json!({"sobject": base, "describe": format!("{base}/describe"), "rowTemplate": format!("{base}/{{ID}}")})
}

fn summary(object: &ObjectDef, version: &str) -> Value {
    json!({
        "name": object.name,
        "label": object.label,
        "keyPrefix": object.key_prefix,
        "custom": object.name.ends_with("__c"),
        "createable": true,
        "updateable": true,
        "deletable": true,
        "queryable": true,
        "urls": urls(object, version),
    })
}

/// `GET /sobjects`.
pub(crate) fn global(version: &str) -> Value {
    let objects: Vec<Value> = schema().objects.iter().map(|o| summary(o, version)).collect();
    json!({"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": objects})
}

/// `GET /sobjects/{type}`.
pub(crate) fn basic(object: &ObjectDef, version: &str) -> Value {
    json!({"objectDescribe": summary(object, version), "recentItems": []})
}

/// `GET /sobjects/{type}/describe`.
pub(crate) fn full(object: &ObjectDef) -> Value {
    let fields: Vec<Value> = object.fields.iter().map(field).collect();
    json!({
        "name": object.name,
        "label": object.label,
        "keyPrefix": object.key_prefix,
        "custom": object.name.ends_with("__c"),
        "fields": fields,
    })
}

fn field(f: &FieldDef) -> Value {
    let (type_name, length) = match &f.ty {
        FieldType::Id => ("id", 18),
        FieldType::Text { max_len } => ("string", *max_len),
        FieldType::Email => ("email", 80),
        FieldType::Phone => ("phone", 40),
        FieldType::Picklist { .. } => ("picklist", 255),
        FieldType::Date => ("date", 0),
        FieldType::DateTime => ("datetime", 0),
        FieldType::Number { .. } | FieldType::Formula(Formula::DaysBetween { .. }) => ("double", 0),
        FieldType::Currency => ("currency", 0),
        FieldType::Boolean => ("boolean", 0),
        FieldType::Reference { .. } => ("reference", 18),
        FieldType::AutoNumber { .. } => ("string", 30),
        FieldType::Formula(Formula::FullName) => ("string", 121),
    };
    let picklist: Vec<Value> = match &f.ty {
        FieldType::Picklist { values } => values
            .iter()
            .map(|v| json!({"value": v, "label": v, "active": true, "defaultValue": f.default == Some(json!(v))}))
            .collect(),
        _ => Vec::new(),
    };
    let (reference_to, relationship) = match f.reference() {
        Some((target, rel)) => (vec![target], Some(rel)),
        None => (Vec::new(), None),
    };
    json!({
        "name": f.name,
        "label": f.label,
        "type": type_name,
        "length": length,
        "nillable": !f.required && f.ty != FieldType::Boolean,
        "unique": f.unique,
        "externalId": f.external_id,
        "createable": f.writable(),
        "updateable": f.writable(),
        "calculated": matches!(f.ty, FieldType::Formula(_)),
        "autoNumber": matches!(f.ty, FieldType::AutoNumber { .. }),
        "restrictedPicklist": matches!(f.ty, FieldType::Picklist { .. }),
        "defaultValue": f.default,
        "picklistValues": picklist,
        "referenceTo": reference_to,
        "relationshipName": relationship,
    })
}
