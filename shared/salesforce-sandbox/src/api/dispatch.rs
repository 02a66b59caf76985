//! Routing a data call (`/services/data/vNN.N/...`) to the store.

use http::Method;
use serde_json::{Value, json};

use super::{Ctx, DataResponse, composite, describe, query};
use crate::error::SandboxError;
use crate::store::{Store, object_def, parse_id};

/// Runs one data call against the locked store.
///
/// `path` is the full path (`/services/data/v62.0/sobjects/Account`), `query` the raw query
/// string. `top_level` is false inside a composite request, which cannot nest another.
pub(crate) fn dispatch(
    store: &mut Store,
    ctx: Ctx,
    method: &Method,
    path: &str,
    query_string: Option<&str>,
    body: Option<&Value>,
    top_level: bool,
) -> Result<DataResponse, SandboxError> {
    let rest = path
        .strip_prefix("/services/data/")
        .ok_or_else(SandboxError::not_found)?;
    let mut segments: Vec<String> = rest.split('/').map(percent_decode).collect();
    if segments.last().is_some_and(String::is_empty) {
        segments.pop();
    }
    let Some((version, segments)) = segments.split_first() else {
        return Err(SandboxError::not_found());
    };
    let version = parse_version(version).ok_or_else(SandboxError::not_found)?;
    let params: Vec<(String, String)> = query_string
        .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    let m = method.as_str();
    match (m, seg.as_slice()) {
        ("GET", []) => Ok(DataResponse::ok(200, resources(version))),
        ("GET", ["query" | "queryAll"]) => {
            let soql = param("q")
                .ok_or_else(|| SandboxError::malformed_query("A query string has to be specified"))?;
            query::first_page(store, ctx, version, &soql).map(|b| DataResponse::ok(200, b))
        }
        ("GET", ["query" | "queryAll", locator]) => {
            query::next_page(store, version, locator).map(|b| DataResponse::ok(200, b))
        }
        ("GET", ["sobjects"]) => Ok(DataResponse::ok(200, describe::global(version))),
        ("GET", ["sobjects", object]) => Ok(DataResponse::ok(
            200,
            describe::basic(object_def(object)?, version),
        )),
        ("POST", ["sobjects", object]) => {
            let obj = object_def(object)?;
            let id = store.insert(obj.name, body.unwrap_or(&Value::Null))?;
            Ok(DataResponse {
                status: 201,
                body: Some(json!({"id": id, "success": true, "errors": []})),
                location: Some(format!("/services/data/v{version}/sobjects/{}/{id}", obj.name)),
            })
        }
        ("GET", ["sobjects", object, "describe"]) => {
            Ok(DataResponse::ok(200, describe::full(object_def(object)?)))
        }
        ("GET", ["sobjects", object, id]) => {
            let obj = object_def(object)?;
            let id = parse_id(obj, id)?;
            let record = store.get(obj.name, &id).ok_or_else(SandboxError::not_found)?;
            let fields =
                param("fields").map(|f| f.split(',').map(|s| s.trim().to_owned()).collect::<Vec<_>>());
            Ok(DataResponse::ok(
                200,
                store.render(obj, record, fields.as_deref(), version)?,
            ))
        }
        ("PATCH", ["sobjects", object, id]) => {
            store.update(object_def(object)?.name, id, body.unwrap_or(&Value::Null))?;
            Ok(DataResponse::no_content())
        }
        ("DELETE", ["sobjects", object, id]) => {
            store.delete(object_def(object)?.name, id)?;
            Ok(DataResponse::no_content())
        }
        (_, ["sobjects", _, _]) => Err(SandboxError::method_not_allowed(m, "GET,PATCH,DELETE,HEAD")),
        ("GET", ["sobjects", object, field, value]) => {
            let obj = object_def(object)?;
            let ext = obj
                .field(field)
                .filter(|f| f.external_id || f.name == "Id")
                .ok_or_else(|| {
                    SandboxError::new(
                        404,
                        "NOT_FOUND",
                        format!("Provided external ID field does not exist or is not accessible: {field}"),
                    )
                })?;
            let ids = store.find_by_field(obj, ext, value);
            match ids.as_slice() {
                [] => Err(SandboxError::not_found()),
                [id] => {
                    let record = store.get(obj.name, id).ok_or_else(SandboxError::not_found)?;
                    Ok(DataResponse::ok(200, store.render(obj, record, None, version)?))
                }
                many => Err(SandboxError::multiple_choices(
                    many.iter()
                        .map(|id| format!("/services/data/v{version}/sobjects/{}/{id}", obj.name))
                        .collect(),
                )),
            }
        }
        ("PATCH", ["sobjects", object, field, value]) => {
            let obj = object_def(object)?;
            let (id, created) =
                store.upsert(obj.name, field, value, body.unwrap_or(&Value::Null), version)?;
            let body = json!({"id": id, "success": true, "errors": [], "created": created});
            Ok(DataResponse {
                status: if created { 201 } else { 200 },
                body: Some(body),
                location: created.then(|| format!("/services/data/v{version}/sobjects/{}/{id}", obj.name)),
            })
        }
        ("POST", ["composite"]) if top_level => composite::run(store, ctx, body),
        (_, ["composite"]) if top_level => Err(SandboxError::method_not_allowed(m, "POST")),
        _ => Err(SandboxError::not_found()),
    }
}

/// `v62.0` → `62.0`; anything else is not a version.
pub(crate) fn parse_version(segment: &str) -> Option<&str> {
    let v = segment.strip_prefix('v')?;
    let (major, minor) = v.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(major) && digits(minor)).then_some(v)
}

fn resources(version: &str) -> Value {
    let url = |r: &str| format!("/services/data/v{version}/{r}");
    json!({
        "sobjects": url("sobjects"),
        "query": url("query"),
        "queryAll": url("queryAll"),
        "composite": url("composite"),
    })
}

/// Decodes `%XX` escapes in a path segment; a malformed escape is kept as written.
pub(crate) fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                // Two hex digits make at most 255.
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_percent_decoding() {
        assert_eq!(parse_version("v62.0"), Some("62.0"));
        assert_eq!(parse_version("62.0"), None);
        assert_eq!(parse_version("v62"), None);
        assert_eq!(parse_version("v.0"), None);
        assert_eq!(percent_decode("kay%40example.com"), "kay@example.com");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
