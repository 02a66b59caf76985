//! `tools/list` entries derived from the tool definitions: names, descriptions, schemas, hints.

use crate::endpoint::Endpoint;
use axum::body::Bytes;
use dewy_domain::ErrorBody;
use dewy_domain::input::TEXT_PATTERN;
use dewy_tool::{DynTool, Persona};
use rmcp::model::{JsonObject, ListToolsResult, ProtocolVersion, ServerResult, Tool, ToolAnnotations};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

/// The tools an endpoint offers, each with its MCP description, described once when the router is
/// built. A description is a pure function of the tool's definition and the endpoint, and making
/// it (generating and cleaning both schemas) was most of the CPU time of a `tools/list`.
///
/// The `tools/list` result itself is a pure function of the endpoint, the caller's personas and the
/// protocol version, so it is serialized once per persona set and version, on first use, and
/// served as those bytes (see [`Listing::result`] and `transport::serve`).
pub(crate) struct Listing {
    entries: Vec<(&'static dyn DynTool, Tool)>,
    results: RwLock<HashMap<ResultKey, Bytes>>,
}

/// A persona set and a protocol version (`None`: the request named none).
type ResultKey = (Vec<Persona>, Option<String>);

impl Listing {
    /// The tools of `tools` that `endpoint` offers to some caller, in registry order.
    pub fn new(tools: &'static [&'static dyn DynTool], endpoint: Endpoint) -> Self {
        let entries = tools
            .iter()
            .filter(|tool| endpoint.offers(tool.spec()))
            .map(|tool| (*tool, describe(*tool, endpoint)))
            .collect();
        Listing {
            entries,
            results: RwLock::default(),
        }
    }

    /// The tools a caller with `personas` may use, as MCP lists them, in registry order.
    pub fn tools_for(&self, personas: &[Persona]) -> Vec<Tool> {
        self.entries
            .iter()
            .filter(|(tool, _)| tool.spec().allows(personas))
            .map(|(_, listed)| listed.clone())
            .collect()
    }

    /// The serialized `tools/list` result for `personas` on `version`, made on first use and then
    /// shared: the bytes rmcp would write for the typed result ([`serialize`]).
    pub fn result(&self, personas: &[Persona], version: Option<&ProtocolVersion>) -> Bytes {
        let key = (personas.to_vec(), version.map(|v| v.as_str().to_owned()));
        let cached = self
            .results
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned();
        if let Some(bytes) = cached {
            return bytes;
        }
        let bytes = Bytes::from(serialize(self.tools_for(personas), version));
        let mut results = self.results.write().unwrap_or_else(PoisonError::into_inner);
        results.entry(key).or_insert(bytes).clone()
    }

    /// Every offered tool with its description, in registry order.
    pub fn entries(&self) -> impl Iterator<Item = (&'static dyn DynTool, &Tool)> {
        self.entries.iter().map(|(tool, listed)| (*tool, listed))
    }
}

/// The `tools/list` result `endpoint` gives a caller with `personas` on protocol `version` (`None`:
/// the request named none), built afresh from `tools` with no cache: what the bytes the router
/// serves must equal, for tests that check them through HTTP.
pub fn fresh_tools_list(
    tools: &'static [&'static dyn DynTool],
    endpoint: Endpoint,
    personas: &[Persona],
    version: Option<&str>,
) -> Value {
    let version = version.and_then(|v| serde_json::from_value::<ProtocolVersion>(json!(v)).ok());
    let listed = serialize(
        Listing::new(tools, endpoint).tools_for(personas),
        version.as_ref(),
    );
    serde_json::from_slice(&listed).unwrap_or_default()
}

/// Each tool `endpoint` lists, with the size in characters of what an agent reads of it before
/// calling anything: its name, description and input schema (as serialized). At about four
/// characters a token, the tool context every conversation on the endpoint starts with.
pub fn tool_context(
    tools: &'static [&'static dyn DynTool],
    endpoint: Endpoint,
) -> Vec<(&'static str, usize)> {
    Listing::new(tools, endpoint)
        .entries()
        .map(|(tool, listed)| {
            let size = listed.name.len()
                + listed.description.as_deref().map_or(0, str::len)
                + serde_json::to_string(&*listed.input_schema).map_or(0, |s| s.len());
            (tool.spec().name, size)
        })
        .collect()
}

/// A `tools/list` result listing `tools`, as rmcp's handler sends it to a peer on `version`: with
/// the caching hints 2026-07-28 requires, or without the `resultType` and non-object output schemas
/// older versions do not know. The same adjustments, by the same functions, in the same order.
pub(crate) fn serialize(tools: Vec<Tool>, version: Option<&ProtocolVersion>) -> Vec<u8> {
    let mut result = ServerResult::ListToolsResult(ListToolsResult::with_all_items(tools));
    if version.is_some_and(|v| v.as_str() >= ProtocolVersion::V_2026_07_28.as_str()) {
        result.fill_missing_cache_hints();
    } else {
        result.strip_result_type_for_legacy_peer();
        result.strip_non_object_output_for_legacy_peer();
    }
    // A result of strings, numbers and JSON objects always serializes.
    serde_json::to_vec(&result).unwrap_or_default()
}

/// The MCP description of `tool` as `endpoint` lists it.
fn describe(tool: &dyn DynTool, endpoint: Endpoint) -> Tool {
    let spec = tool.spec();
    // On the guest endpoint, without the email the invoke path takes from the guest's token.
    let input = clean(compact(tool.input_schema_for(endpoint.personas())));
    let title = title(spec.name);
    let hints = spec.annotations();
    let mut listed = Tool::new(spec.name, spec.description, Arc::new(input));
    listed.title = Some(title.clone());
    listed.output_schema = Some(Arc::new(output_or_error(tool.output_schema())));
    listed.annotations = Some(
        ToolAnnotations::with_title(title)
            .read_only(hints.read_only)
            .destructive(hints.destructive)
            .idempotent(hints.idempotent)
            .open_world(hints.open_world),
    );
    listed
}

/// A schema fit for MCP clients: an object schema at the top, without `$schema` (a draft-07
/// validator such as the TypeScript SDK's Ajv refuses the 2020-12 meta-schema URI) or the Rust
/// type name as `title`. `$defs` stay, since `$ref`s point into them.
fn clean(schema: Value) -> JsonObject {
    let mut object = match schema {
        Value::Object(object) => object,
        _ => JsonObject::new(),
    };
    object.remove("$schema");
    object.remove("title");
    object
        .entry("type")
        .or_insert_with(|| Value::String("object".to_owned()));
    object
}

/// An input schema as an agent needs it to choose and call a tool, without what only costs it
/// context: the root's "Input of `tool`" description, the definitions' descriptions, `default: null` on optional fields (their
/// type already admits null), formats that are Rust's integer widths rather than JSON Schema's
/// (`uint32`, `double`), and the long pattern every free-text field carries (no control
/// characters, not blank). The server still checks all of it and answers `VALIDATION_ERROR`; the
/// REST API's OpenAPI document keeps the full schemas.
fn compact(mut schema: Value) -> Value {
    if let Value::Object(root) = &mut schema {
        root.remove("description");
        // A definition's description names its Salesforce field (`Case.Priority`); the fields
        // that use it describe it for the agent.
        if let Some(Value::Object(defs)) = root.get_mut("$defs") {
            for definition in defs.values_mut().filter_map(Value::as_object_mut) {
                definition.remove("description");
            }
        }
    }
    strip_noise(&mut schema);
    schema
}

fn strip_noise(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if object.get("default") == Some(&Value::Null) {
                object.remove("default");
            }
            if object.get("pattern").and_then(Value::as_str) == Some(TEXT_PATTERN) {
                object.remove("pattern");
            }
            if object
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|format| !STANDARD_FORMATS.contains(&format))
            {
                object.remove("format");
            }
            if let Some(values) = object.get("oneOf").and_then(constants) {
                object.remove("oneOf");
                object.insert("type".to_owned(), json!("string"));
                object.insert("enum".to_owned(), Value::Array(values));
            }
            object.values_mut().for_each(strip_noise);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_noise),
        _ => {}
    }
}

/// The values of a `oneOf` whose every branch is one documented string constant (how schemars
/// writes an enum whose variants have doc comments), to list as a plain `enum`: the variants'
/// names say enough, and the field's own description stays.
fn constants(branches: &Value) -> Option<Vec<Value>> {
    branches
        .as_array()?
        .iter()
        .map(|branch| {
            let branch = branch.as_object()?;
            let plain = branch.get("type").is_none_or(|t| t == "string")
                && branch
                    .keys()
                    .all(|k| ["const", "description", "type"].contains(&k.as_str()));
            branch.get("const").filter(|c| plain && c.is_string()).cloned()
        })
        .collect()
}

/// The JSON Schema formats the tools' schemas use that mean something to a client.
const STANDARD_FORMATS: &[&str] = &["date", "date-time", "email", "uri"];

/// The output schema as advertised: the tool's output, or the error body a failed call carries in
/// `structuredContent`.
///
/// Failed calls put `{success:false, error_code, ...}` in `structuredContent` so agents can act on
/// the code, and some clients (the TypeScript SDK 1.x) validate `structuredContent` against
/// `outputSchema` even when `isError` is true; advertising only the success shape would make them
/// reject every tool error as a protocol error.
fn output_or_error(output: Value) -> JsonObject {
    let mut success = clean(output);
    let defs = success.remove("$defs");
    let error = clean(Value::from(schemars::schema_for!(ErrorBody)));
    let mut union = JsonObject::new();
    union.insert("type".to_owned(), json!("object"));
    union.insert(
        "anyOf".to_owned(),
        json!([Value::Object(success), Value::Object(error)]),
    );
    // `$ref`s in the success schema are `#/$defs/...`, resolved from the document root.
    if let Some(defs) = defs {
        union.insert("$defs".to_owned(), defs);
    }
    union
}

/// `check_in_guest` → `Check in guest`.
fn title(name: &str) -> String {
    let words = name.replace(['_', '-', '.'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list served from bytes built once is, for every endpoint, persona set and protocol
    /// version, the list built afresh for the request, byte for byte.
    #[test]
    fn the_cached_list_is_the_list_built_afresh() {
        let sets: [&[Persona]; 3] = [
            &[Persona::Guest],
            &[Persona::Staff],
            &[Persona::Staff, Persona::Manager],
        ];
        let mut versions: Vec<Option<&ProtocolVersion>> =
            ProtocolVersion::KNOWN_VERSIONS.iter().map(Some).collect();
        versions.push(None);
        for endpoint in Endpoint::ALL {
            let listing = Listing::new(dewy_tools::TOOLS, endpoint);
            for personas in sets
                .iter()
                .filter(|set| set.iter().all(|p| endpoint.personas().contains(p)))
            {
                for version in &versions {
                    let first = listing.result(personas, *version);
                    let fresh = Listing::new(dewy_tools::TOOLS, endpoint).tools_for(personas);
                    assert!(!fresh.is_empty());
                    assert_eq!(
                        first,
                        serialize(fresh, *version),
                        "{endpoint:?} {personas:?} {version:?}"
                    );
                    assert_eq!(
                        listing.result(personas, *version),
                        first,
                        "served again from the cache"
                    );
                }
            }
        }
        let listed: Value = serde_json::from_slice(
            &Listing::new(dewy_tools::TOOLS, Endpoint::Staff)
                .result(&[Persona::Staff], Some(&ProtocolVersion::V_2026_07_28)),
        )
        .unwrap();
        assert_eq!(
            (listed["ttlMs"].as_u64(), listed["cacheScope"].as_str()),
            (Some(0), Some("private"))
        );
    }

    #[test]
    fn schemas_are_cleaned() {
        let schema = clean(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "CheckInInput",
            "properties": {"nights": {"type": "integer"}},
            "required": ["nights"],
        }));
        assert_eq!(
            Value::Object(schema),
            json!({
                "type": "object",
                "properties": {"nights": {"type": "integer"}},
                "required": ["nights"],
            })
        );
        assert_eq!(clean(json!(true))["type"], "object");
    }

    #[test]
    fn the_output_schema_admits_the_error_body_and_keeps_defs_at_the_root() {
        let union = output_or_error(json!({
            "type": "object",
            "properties": {"room": {"$ref": "#/$defs/Room"}},
            "$defs": {"Room": {"type": "string"}},
        }));
        assert_eq!(union["type"], "object");
        assert_eq!(union["$defs"]["Room"]["type"], "string");
        assert_eq!(union["anyOf"][0]["properties"]["room"]["$ref"], "#/$defs/Room");
        assert!(union["anyOf"][1]["properties"]["error_code"].is_object());
        assert_eq!(title("check_in_guest"), "Check in guest");
        assert_eq!(title(""), "");
    }

    /// What an agent connected to each endpoint carries before the conversation starts: every
    /// listed tool's name, description and input schema, at about four characters a token. A
    /// guest's agent gets at most 4,000 tokens of it, every other job's at most 6,000.
    #[test]
    fn every_endpoint_lists_a_job_sized_tool_context() {
        let mut over = Vec::new();
        for endpoint in Endpoint::ALL {
            let context = tool_context(dewy_tools::TOOLS, endpoint);
            let report: String = context
                .iter()
                .map(|(name, chars)| format!("\n  {:>5}  {name}", chars / 4))
                .collect();
            let tokens = context.iter().map(|(_, chars)| chars).sum::<usize>() / 4;
            let budget = if endpoint == Endpoint::Guest { 4_000 } else { 6_000 };
            eprintln!("{}: {tokens} tokens (budget {budget}){report}", endpoint.path());
            if tokens > budget {
                over.push(format!("{} ({tokens} > {budget})", endpoint.path()));
            }
        }
        assert!(over.is_empty(), "over budget: {}", over.join(", "));
    }
}
