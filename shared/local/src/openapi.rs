//! The OpenAPI 3.1 document of the REST API, generated from the tool definitions.
//!
//! Nothing in it is written by hand: every operation comes from a registered tool (its spec and the
//! JSON Schemas of its input and output types), the error responses from [`ErrorCode`] and
//! [`ErrorBody`], so the document cannot drift from what the routes do. The local stack serves it at
//! [`OPENAPI_PATH`]; the test suite validates it with openapi-spec-validator.

use dewy_domain::{ErrorBody, ErrorCode};
use dewy_runtime::request::REPLAYED_HEADER;
use dewy_tool::{DynTool, KeyFrom, Persona, ToolSpec};
use schemars::{SchemaGenerator, generate::SchemaSettings};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Where the REST router serves the document.
pub const OPENAPI_PATH: &str = "/openapi.json";

/// The name of the bearer-token security scheme.
const BEARER: &str = "bearerAuth";

/// The prefix of a reference to a shared schema.
const SCHEMAS: &str = "#/components/schemas/";

/// The OpenAPI 3.1.0 document describing `tools` as the REST router serves them: one
/// `POST /api/<tool-name>` operation per tool.
pub fn document(tools: &[&dyn DynTool]) -> Value {
    let mut components = Components::new();
    let mut paths = Map::new();
    for &tool in tools {
        let operation = components.operation(tool);
        paths.insert(tool.spec().rest_path(), json!({ "post": operation }));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Dewy Resort API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Every tool of the Dewy Resort hub as `POST /api/<tool-name>` with a JSON \
                body, generated from the tool definitions (the same ones the MCP servers list). \
                Calls need a bearer token whose groups allow the tool (`x-personas`). Failures \
                answer with one error body, `{success: false, error_code, error_message, details}`. \
                Side-effecting calls are idempotent: a repeat is answered with the first result and \
                an `Idempotent-Replayed: true` header.",
        },
        "tags": tags(tools),
        "paths": paths,
        "components": components.into_json(),
        "security": [{ BEARER: [] }],
    })
}

/// The shared part of the document, filled in as operations are added. Every schema comes from
/// one schemars generator whose definitions are the document's components: a type used by several
/// tools is one component, and two types of the same name get distinct names (`Stay`, `Stay2`).
struct Components {
    generator: SchemaGenerator,
    responses: Map<String, Value>,
    /// Every error code's wire form, by HTTP status.
    codes: BTreeMap<u16, Vec<(ErrorCode, String)>>,
}

impl Components {
    fn new() -> Self {
        let mut generator = SchemaSettings::draft2020_12()
            .with(|settings| {
                settings.definitions_path = "/components/schemas".into();
                settings.meta_schema = None;
            })
            .into_generator();
        generator.subschema_for::<ErrorCode>();
        generator.subschema_for::<ErrorBody>();
        let error_code = Value::Object(
            generator.definitions()["ErrorCode"]
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        let mut codes: BTreeMap<u16, Vec<(ErrorCode, String)>> = BTreeMap::new();
        for wire in wire_forms(&error_code) {
            if let Some(code) = ErrorCode::from_wire(&wire) {
                codes.entry(code.http_status()).or_default().push((code, wire));
            }
        }
        Components {
            generator,
            responses: Map::new(),
            codes,
        }
    }

    /// The `POST` operation of `tool`, adding its schemas and error responses to the components.
    fn operation(&mut self, tool: &dyn DynTool) -> Value {
        let spec = tool.spec();
        let body_required = requires_a_body(spec, &tool.input_schema());
        let input = tool.input_schema_in(&mut self.generator);
        let output = tool.output_schema_in(&mut self.generator);
        let read_only = spec.effect.is_read_only();

        let mut success = json!({
            "description": "The tool's result: 200, or 201 when it created a record, 202 when a \
                payment waits on the customer.",
            "content": { "application/json": { "schema": output } },
        });
        if !read_only {
            success["headers"] = json!({ replayed_header(): { "$ref": replayed_header_ref() } });
        }
        let mut responses = Map::new();
        responses.insert("2XX".to_owned(), success);
        for (status, name) in self.error_responses(read_only) {
            responses.insert(
                status.to_string(),
                json!({ "$ref": format!("#/components/responses/{name}") }),
            );
        }

        let personas: Vec<&str> = spec.personas.iter().map(|p| p.group()).collect();
        let mut operation = json!({
            "operationId": spec.name,
            "summary": summary(spec.name),
            "description": description(spec),
            "tags": personas,
            "x-personas": personas,
            "requestBody": {
                "required": body_required,
                "content": { "application/json": { "schema": input } },
            },
            "responses": responses,
        });
        if let Some(key) = spec.effect.key() {
            operation["x-idempotency"] = idempotency(key);
        }
        operation
    }

    /// The error responses an operation may answer with, as (status, component name), adding the
    /// components on first use.
    fn error_responses(&mut self, read_only: bool) -> Vec<(u16, String)> {
        let mut listed = Vec::new();
        for (&status, all) in &self.codes {
            let codes: Vec<&str> = all
                .iter()
                .filter(|(code, _)| may_answer(*code, read_only))
                .map(|(_, wire)| wire.as_str())
                .collect();
            if codes.is_empty() {
                continue;
            }
            let narrowed = codes.len() < all.iter().filter(|(code, _)| may_answer(*code, false)).count();
            let name = format!("Error{status}{}", if narrowed { "ReadOnly" } else { "" });
            if !self.responses.contains_key(&name) {
                self.responses
                    .insert(name.clone(), error_response(status, &codes));
            }
            listed.push((status, name));
        }
        listed
    }

    /// The schemas: the generator's definitions, cleaned, with the error body's contract.
    fn schemas(&mut self) -> Map<String, Value> {
        let mut schemas: Map<String, Value> = self
            .generator
            .take_definitions(true)
            .into_iter()
            .map(|(name, schema)| (name, clean(schema)))
            .collect();
        if let Some(Value::Object(error_code)) = schemas.get_mut("ErrorCode") {
            // The type's doc comment speaks to this code's maintainers; a client needs the contract.
            error_code.insert(
                "description".to_owned(),
                json!(
                    "What went wrong, as a stable code to act on. Each code is always answered \
                     with the same HTTP status."
                ),
            );
        }
        if let Some(error_body) = schemas.get_mut("ErrorBody") {
            if let Some(Value::Object(success)) = error_body.pointer_mut("/properties/success") {
                success.insert("const".to_owned(), json!(false));
            }
            // The body's code is a plain string in Rust; on the wire it is always one of ErrorCode's.
            if let Some(property) = error_body.pointer_mut("/properties/error_code") {
                *property = json!({
                    "$ref": format!("{SCHEMAS}ErrorCode"),
                    "description": property.get("description").cloned().unwrap_or(Value::Null),
                });
            }
        }
        schemas
    }

    fn into_json(mut self) -> Value {
        json!({
            "schemas": self.schemas(),
            "responses": self.responses,
            "headers": {
                replayed_header(): {
                    "description": "`true` when the result replays an earlier, identical call: \
                        nothing ran again. Absent otherwise.",
                    "schema": { "type": "string", "enum": ["true"] },
                },
            },
            "securitySchemes": {
                BEARER: {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "An access token: from Cognito in AWS, from the local stack's \
                        issuer (`POST /auth/login`) locally. Its groups (guest, staff, manager) \
                        decide which operations the caller may use.",
                },
            },
        })
    }
}

/// A schema as a component: without `$schema` (the document's dialect applies) or the Rust type
/// name as `title`, and without defaults it does not admit.
fn clean(schema: Value) -> Value {
    let mut schema = schema;
    if let Some(object) = schema.as_object_mut() {
        object.remove("$schema");
        object.remove("title");
    }
    drop_null_defaults(&mut schema);
    schema
}

/// Removes `default: null` from schemas that do not admit null. schemars writes it for an `Option`
/// field with `#[serde(default)]` even when the field is marked required and typed without null;
/// OpenAPI validators check defaults against their schema, and a client would read it as "send
/// null", which such a field refuses.
fn drop_null_defaults(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            if object.get("default") == Some(&Value::Null) && !admits_null(object) {
                object.remove("default");
            }
            object.values_mut().for_each(drop_null_defaults);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_defaults),
        _ => {}
    }
}

/// Whether a schema says, at its top, that null is a value it takes.
fn admits_null(schema: &Map<String, Value>) -> bool {
    let list = |key: &str| {
        schema
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let null_option = |option: &Value| option["type"] == "null" || option.get("const") == Some(&Value::Null);
    match schema.get("type") {
        Some(Value::Array(types)) => types.iter().any(|kind| kind == "null"),
        Some(kind) => kind == "null",
        None => {
            list("anyOf").iter().any(null_option)
                || list("oneOf").iter().any(null_option)
                || list("enum").contains(&Value::Null)
        }
    }
}

/// Every wire form in ErrorCode's schema (an `enum`, or `const`s when variants are documented).
fn wire_forms(schema: &Value) -> Vec<String> {
    let mut found = Vec::new();
    match schema {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("const", Value::String(wire)) => found.push(wire.clone()),
                    ("enum", Value::Array(wires)) => {
                        found.extend(wires.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                    (_, value) => found.extend(wire_forms(value)),
                }
            }
        }
        Value::Array(items) => found.extend(items.iter().flat_map(wire_forms)),
        _ => {}
    }
    found
}

/// Whether an operation may answer with `code`. Routing codes (no such route, wrong method) are
/// answered before any operation is reached, and a read-only tool never goes through the
/// idempotency layer.
fn may_answer(code: ErrorCode, read_only: bool) -> bool {
    match code {
        ErrorCode::NotFound | ErrorCode::MethodNotAllowed => false,
        ErrorCode::IdempotencyInProgress | ErrorCode::IdempotencyKeyReused => !read_only,
        _ => true,
    }
}

/// An error response: its codes listed, the body's `error_code` narrowed to them.
fn error_response(status: u16, codes: &[&str]) -> Value {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let listed: Vec<String> = codes.iter().map(|code| format!("`{code}`")).collect();
    let mut response = json!({
        "description": format!("{reason}: {}.", listed.join(", ")),
        "content": {
            "application/json": {
                "schema": {
                    "allOf": [{ "$ref": format!("{SCHEMAS}ErrorBody") }],
                    "properties": { "error_code": { "enum": codes } },
                },
            },
        },
    });
    if status == 429 {
        response["headers"] = json!({
            "Retry-After": {
                "description": "Seconds until the caller's rate-limit window ends (docs/rate-limits.md).",
                "schema": { "type": "integer", "minimum": 1 },
            },
        });
    }
    if status == 401 || status == 403 {
        response["headers"] = json!({
            "WWW-Authenticate": {
                "description": "The bearer challenge (RFC 6750), when the token was missing, invalid \
                    or insufficient.",
                "schema": { "type": "string" },
            },
        });
    }
    response
}

/// Whether a call must send a body: the input has required fields a caller must give (a guest's
/// own email is filled in from their token).
fn requires_a_body(spec: &ToolSpec, input: &Value) -> bool {
    let guest_field = spec.guest_scope.map(|scope| scope.email_field);
    input["required"].as_array().is_some_and(|required| {
        required
            .iter()
            .any(|field| field.as_str().is_some_and(|f| Some(f) != guest_field))
    })
}

fn description(spec: &ToolSpec) -> String {
    match spec.guest_scope {
        Some(scope) if spec.personas.contains(&Persona::Guest) => format!(
            "{}\n\nA guest acts only on their own records: `{}` may be left out (it is taken from \
             the token), and no other guest's email is accepted.",
            spec.description, scope.email_field
        ),
        _ => spec.description.to_owned(),
    }
}

/// How the idempotency layer recognises a repeat of the operation.
fn idempotency(key: KeyFrom) -> Value {
    let window = key.replay_window().as_secs();
    match key {
        KeyFrom::Token(field) => {
            json!({ "keyFrom": "token", "tokenField": field, "replayWindowSeconds": window })
        }
        KeyFrom::Fields(fields) => {
            json!({ "keyFrom": "fields", "fields": fields, "replayWindowSeconds": window })
        }
        KeyFrom::Input => json!({ "keyFrom": "input", "replayWindowSeconds": window }),
    }
}

/// One tag per persona in use, so a reader finds the operations their role may call.
fn tags(tools: &[&dyn DynTool]) -> Value {
    let mut personas: Vec<Persona> = tools
        .iter()
        .flat_map(|t| t.spec().personas.iter().copied())
        .collect();
    personas.sort();
    personas.dedup();
    let tags: Vec<Value> = personas
        .into_iter()
        .map(|persona| {
            let description = match persona {
                Persona::Guest => "Operations a hotel guest may call, on their own records.",
                Persona::Staff => "Operations the front desk (managers too) may call, on anyone's records.",
                Persona::Housekeeping => "Operations housekeeping (managers too) may call: rooms and cases.",
                Persona::Maintenance => {
                    "Operations maintenance (managers too) may call: repairs, rooms and their devices."
                }
                Persona::Manager => "Operations only a manager may call: the money-moving ones.",
            };
            json!({ "name": persona.group(), "description": description })
        })
        .collect();
    Value::Array(tags)
}

/// `idempotent-replayed` → `Idempotent-Replayed`.
fn replayed_header() -> String {
    REPLAYED_HEADER
        .split('-')
        .map(capitalised)
        .collect::<Vec<_>>()
        .join("-")
}

fn replayed_header_ref() -> String {
    format!("#/components/headers/{}", replayed_header())
}

/// `check_in_guest` → `Check in guest`.
fn summary(name: &str) -> String {
    capitalised(&name.replace('_', " "))
}

/// `check_in_guest` → `CheckInGuest`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Value {
        document(dewy_tools::TOOLS)
    }

    #[test]
    fn openapi_has_one_operation_per_tool_with_its_schemas() {
        let doc = all();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(doc["paths"].as_object().unwrap().len(), dewy_tools::TOOLS.len());
        let operation = &doc["paths"]["/api/check-in-guest"]["post"];
        assert_eq!(operation["operationId"], "check_in_guest");
        assert_eq!(operation["summary"], "Check in guest");
        assert_eq!(operation["x-personas"], json!(["guest", "staff"]));
        assert_eq!(
            operation["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/CheckInInput"
        );
        let input = &doc["components"]["schemas"]["CheckInInput"];
        assert_eq!(input["type"], "object");
        assert!(input.get("$schema").is_none() && input.get("$defs").is_none());
        assert!(
            operation["responses"]["2XX"]["headers"]["Idempotent-Replayed"].is_object(),
            "a side-effecting tool documents replays"
        );
        assert_eq!(doc["security"], json!([{ "bearerAuth": [] }]));
    }

    #[test]
    fn openapi_error_responses_list_the_codes_of_their_status() {
        let doc = all();
        let responses = &doc["components"]["responses"];
        let conflict = &responses["Error409"]["content"]["application/json"]["schema"];
        let codes = conflict["properties"]["error_code"]["enum"].as_array().unwrap();
        assert!(
            codes.contains(&json!("ROOM_NOT_VACANT")) && codes.contains(&json!("IDEMPOTENCY_IN_PROGRESS"))
        );
        let read_only = &responses["Error409ReadOnly"]["content"]["application/json"]["schema"];
        assert!(
            !read_only["properties"]["error_code"]["enum"]
                .as_array()
                .unwrap()
                .contains(&json!("IDEMPOTENCY_IN_PROGRESS"))
        );
        assert!(responses["Error401"]["headers"]["WWW-Authenticate"].is_object());
        assert!(responses["Error429"]["headers"]["Retry-After"].is_object());
        assert!(
            responses.get("Error405").is_none(),
            "wrong methods never reach an operation"
        );
        // Every code of ErrorCode is in its schema, with the status it is answered with.
        let codes: usize = Components::new().codes.values().map(Vec::len).sum();
        assert!(codes > 30, "{codes}");
        let search = &doc["paths"]["/api/search-room-by-number"]["post"];
        assert_eq!(
            search["responses"]["409"]["$ref"],
            "#/components/responses/Error409ReadOnly"
        );
        assert!(search["responses"]["2XX"].get("headers").is_none());
        assert!(search.get("x-idempotency").is_none());
        assert_eq!(
            doc["components"]["schemas"]["ErrorBody"]["properties"]["error_code"]["$ref"],
            "#/components/schemas/ErrorCode"
        );
    }

    #[allow(dead_code)]
    mod first {
        /// A room by number.
        #[derive(schemars::JsonSchema)]
        pub struct Room {
            pub number: String,
        }
    }

    #[allow(dead_code)]
    mod second {
        /// A room by floor: the same name as another type.
        #[derive(schemars::JsonSchema)]
        pub struct Room {
            pub floor: i64,
        }
    }

    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct AInput {
        room: first::Room,
        next: Option<Box<AInput>>,
    }

    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct BInput {
        room: second::Room,
    }

    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct CInput {
        r: first::Room,
    }

    /// Types become components once, shared by whoever uses them; two types of one name get two
    /// components; a type that refers to itself refers to its component.
    #[test]
    fn openapi_types_become_components_shared_and_named_apart() {
        let mut components = Components::new();
        let refs = [
            Value::from(components.generator.subschema_for::<AInput>()),
            Value::from(components.generator.subschema_for::<BInput>()),
            Value::from(components.generator.subschema_for::<CInput>()),
        ];
        assert_eq!(refs[0], json!({ "$ref": "#/components/schemas/AInput" }));
        let schemas = components.schemas();
        let reference = |schema: &str, pointer: &str| schemas[schema].pointer(pointer).cloned();
        assert_eq!(
            reference("AInput", "/properties/room/$ref"),
            Some(json!("#/components/schemas/Room"))
        );
        assert_eq!(
            reference("BInput", "/properties/room/$ref"),
            Some(json!("#/components/schemas/Room2"))
        );
        assert_eq!(
            reference("CInput", "/properties/r/$ref"),
            Some(json!("#/components/schemas/Room")),
            "shared"
        );
        assert_eq!(schemas["Room2"]["properties"]["floor"]["type"], "integer");
        assert!(
            schemas["AInput"]["properties"]["next"]
                .to_string()
                .contains("#/components/schemas/AInput")
        );
        assert!(
            schemas
                .values()
                .all(|s| s.get("$schema").is_none() && s.get("$defs").is_none())
        );
    }

    #[test]
    fn openapi_schemas_lose_null_defaults_they_do_not_admit() {
        let schema = clean(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Input",
            "properties": {
                "required_id": { "type": "string", "default": null },
                "optional_id": { "type": ["string", "null"], "default": null },
                "optional_enum": { "anyOf": [{ "$ref": "#/$defs/E" }, { "type": "null" }], "default": null },
                "nights": { "type": "integer", "default": 1 },
            },
        }));
        assert_eq!(
            schema,
            json!({ "properties": {
                "required_id": { "type": "string" },
                "optional_id": { "type": ["string", "null"], "default": null },
                "optional_enum": { "anyOf": [{ "$ref": "#/$defs/E" }, { "type": "null" }], "default": null },
                "nights": { "type": "integer", "default": 1 },
            }})
        );
    }

    #[test]
    fn openapi_names_and_idempotency_hints() {
        assert_eq!(summary("check_in_guest"), "Check in guest");
        assert_eq!(replayed_header(), "Idempotent-Replayed");
        assert_eq!(
            idempotency(KeyFrom::Token("idempotency_token"))["tokenField"],
            "idempotency_token"
        );
        assert_eq!(idempotency(KeyFrom::Input)["replayWindowSeconds"], 300);
    }
}
