//! `POST /composite`: up to 25 subrequests under one store lock, with `@{ref.path}` references
//! and `allOrNone` rollback.

use std::collections::HashMap;

use http::Method;
use serde_json::{Map, Value, json};

use super::{Ctx, DataResponse, dispatch::dispatch};
use crate::error::SandboxError;
use crate::store::Store;

/// Salesforce's limit on subrequests per composite request.
const MAX_SUBREQUESTS: usize = 25;

const ROLLED_BACK: &str =
    "The transaction was rolled back since another operation in the same transaction failed.";

struct Sub {
    method: Method,
    url: String,
    reference_id: String,
    body: Option<Value>,
}

/// Runs a composite request. The store is locked by the caller for the whole request, so the
/// request is atomic against other clients; with `allOrNone` a failure restores the snapshot.
pub(crate) fn run(store: &mut Store, ctx: Ctx, body: Option<&Value>) -> Result<DataResponse, SandboxError> {
    let body = body
        .and_then(Value::as_object)
        .ok_or_else(|| SandboxError::json_parser("Composite request body is missing or not an object"))?;
    let all_or_none = body.get("allOrNone").and_then(Value::as_bool).unwrap_or(false);
    let subs = parse_subrequests(body.get("compositeRequest"))?;
    let snapshot = all_or_none.then(|| store.data.clone());

    let mut results: Vec<(String, DataResponse)> = Vec::with_capacity(subs.len());
    let mut done: HashMap<String, (u16, Value)> = HashMap::new();
    let mut failed: Option<usize> = None;
    for (i, sub) in subs.iter().enumerate() {
        if all_or_none && failed.is_some() {
            results.push((
                sub.reference_id.clone(),
                DataResponse::error(&SandboxError::processing_halted(ROLLED_BACK)),
            ));
            continue;
        }
        let response = match resolve_sub(sub, &done) {
            Ok((url, body)) => {
                let (path, query) = url
                    .split_once('?')
                    .map_or((url.as_str(), None), |(p, q)| (p, Some(q)));
                dispatch(store, ctx, &sub.method, path, query, body.as_ref(), false)
                    .unwrap_or_else(|e| DataResponse::error(&e))
            }
            Err(e) => DataResponse::error(&e),
        };
        if response.status >= 400 && failed.is_none() {
            failed = Some(i);
        }
        done.insert(
            sub.reference_id.clone(),
            (response.status, response.body.clone().unwrap_or(Value::Null)),
        );
        results.push((sub.reference_id.clone(), response));
    }
    if let (Some(snapshot), Some(failed_at)) = (snapshot, failed) {
        store.data = snapshot;
        for (i, (_, response)) in results.iter_mut().enumerate() {
            if i != failed_at {
                *response = DataResponse::error(&SandboxError::processing_halted(ROLLED_BACK));
            }
        }
    }
    let composite: Vec<Value> = results
        .into_iter()
        .map(|(reference_id, r)| {
            let mut headers = Map::new();
            if let Some(location) = r.location {
                headers.insert("Location".into(), json!(location));
            }
            json!({"body": r.body, "httpHeaders": headers, "httpStatusCode": r.status, "referenceId": reference_id})
        })
        .collect();
    Ok(DataResponse::ok(200, json!({"compositeResponse": composite})))
}

fn parse_subrequests(raw: Option<&Value>) -> Result<Vec<Sub>, SandboxError> {
    let invalid = |m: &str| SandboxError::new(400, "INVALID_INPUT", m.to_owned());
    let list = raw
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("compositeRequest is required and must be a list"))?;
    if list.is_empty() {
        return Err(invalid("compositeRequest must contain at least one subrequest"));
    }
    if list.len() > MAX_SUBREQUESTS {
        return Err(SandboxError::new(
            400,
            "LIMIT_EXCEEDED",
            format!("Limit Exceeded: a composite request can have at most {MAX_SUBREQUESTS} subrequests"),
        ));
    }
    let mut subs: Vec<Sub> = Vec::with_capacity(list.len());
    for item in list {
        let field = |name: &str| item.get(name).and_then(Value::as_str);
        let method = field("method")
            .and_then(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).ok())
            .ok_or_else(|| invalid("Each subrequest needs a method"))?;
        let url = field("url")
            .ok_or_else(|| invalid("Each subrequest needs a url"))?
            .to_owned();
        let reference_id = field("referenceId")
            .ok_or_else(|| invalid("Each subrequest needs a referenceId"))?
            .to_owned();
        if reference_id.is_empty()
            || !reference_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(invalid(&format!(
                "Invalid referenceId: {reference_id}. Use only letters, numbers and underscores"
            )));
        }
        if subs.iter().any(|s| s.reference_id == reference_id) {
            return Err(invalid(&format!(
                "Duplicate referenceId provided in the request: {reference_id}"
            )));
        }
        subs.push(Sub {
            method,
            url,
            reference_id,
            body: item.get("body").cloned(),
        });
    }
    Ok(subs)
}

/// The subrequest's URL and body with every `@{ref.path}` replaced from earlier results.
fn resolve_sub(
    sub: &Sub,
    done: &HashMap<String, (u16, Value)>,
) -> Result<(String, Option<Value>), SandboxError> {
    let url = substitute(&sub.url, done)?;
    let body = sub.body.as_ref().map(|b| resolve_value(b, done)).transpose()?;
    Ok((url, body))
}

fn resolve_value(value: &Value, done: &HashMap<String, (u16, Value)>) -> Result<Value, SandboxError> {
    Ok(match value {
        Value::String(s) => {
            // A string that is exactly one reference takes the referenced value's own type.
            if let Some(expr) = s
                .strip_prefix("@{")
                .and_then(|r| r.strip_suffix('}'))
                .filter(|e| !e.contains('}'))
            {
                lookup(expr, done)?
            } else {
                Value::String(substitute(s, done)?)
            }
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve_value(v, done))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), resolve_value(v, done)?)))
                .collect::<Result<_, SandboxError>>()?,
        ),
        other => other.clone(),
    })
}

/// Replaces every `@{...}` in a string with the referenced value as text.
fn substitute(text: &str, done: &HashMap<String, (u16, Value)>) -> Result<String, SandboxError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("@{") {
        let Some(len) = rest[start + 2..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let expr = &rest[start + 2..start + 2 + len];
        match lookup(expr, done)? {
            Value::String(s) => out.push_str(&s),
            other => out.push_str(&other.to_string()),
        }
        rest = &rest[start + 3 + len..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The value at `ref.path` (`newAccount.id`, `q.records[0].Room__r.Name`) in an earlier,
/// successful subrequest's body.
fn lookup(expr: &str, done: &HashMap<String, (u16, Value)>) -> Result<Value, SandboxError> {
    let name_end = expr.find(['.', '[']).unwrap_or(expr.len());
    let reference = &expr[..name_end];
    let missing = || {
        SandboxError::processing_halted(format!(
            "Invalid reference specified. No value for {expr} found in {reference}."
        ))
    };
    let (status, body) = done.get(reference).ok_or_else(missing)?;
    if *status >= 400 {
        return Err(missing());
    }
    let mut current = body;
    let mut path = &expr[name_end..];
    while !path.is_empty() {
        if let Some(after) = path.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            current = current.get(&after[..end]).ok_or_else(missing)?;
            path = &after[end..];
        } else if let Some(after) = path.strip_prefix('[') {
            let end = after.find(']').ok_or_else(missing)?;
            let index: usize = after[..end].trim().parse().map_err(|_| missing())?;
            current = current.get(index).ok_or_else(missing)?;
            path = &after[end + 1..];
        } else {
            return Err(missing());
        }
    }
    if current.is_null() {
        Err(missing())
    } else {
        Ok(current.clone())
    }
}
