//! The REST API's OpenAPI 3.1 document: one operation per registered tool, valid according to
//! openapi-spec-validator (installed by `tests/run` from tests/requirements.txt; without it the
//! validation is skipped, unless `DEWY_REQUIRE_OPENAPI_VALIDATOR` says it must run), and served by
//! the local stack exactly as generated.

use dewy_local::{LocalOptions, LocalStack};
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

fn generated() -> Value {
    dewy_local::openapi::document(dewy_tools::TOOLS)
}

/// Validates `document` as OpenAPI 3.1; `None` when the validator is not installed (a failure
/// instead when it is required), else whether it is valid and the validator's message.
fn validate(document: &Value) -> Option<(bool, String)> {
    const SCRIPT: &str = "
import json, sys
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
try:
    validate(json.load(sys.stdin), cls=OpenAPIV31SpecValidator)
except Exception as error:
    sys.exit(f'{type(error).__name__}: {error}')
print('valid OpenAPI 3.1')
";
    let installed = Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(
            std::env::var_os("DEWY_REQUIRE_OPENAPI_VALIDATOR").is_none(),
            "openapi-spec-validator is required but missing"
        );
        eprintln!("skipped: openapi-spec-validator is not installed (tests/run installs it)");
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(document.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let message = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Some((output.status.success(), message))
}

/// Every tool is one `POST` operation at its REST path, named after the tool.
#[test]
fn the_document_has_one_operation_per_tool() {
    let document = generated();
    let paths = document["paths"].as_object().unwrap();
    assert_eq!(paths.len(), dewy_tools::TOOLS.len(), "one path per tool");
    for tool in dewy_tools::TOOLS {
        let spec = tool.spec();
        let path = &paths[&spec.rest_path()];
        assert_eq!(
            path.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["post"],
            "{}",
            spec.name
        );
        let operation = &path["post"];
        assert_eq!(operation["operationId"], spec.name);
        assert_eq!(
            operation["description"]
                .as_str()
                .map(|d| d.starts_with(spec.description)),
            Some(true)
        );
        let personas: Vec<&str> = spec.personas.iter().map(|p| p.group()).collect();
        assert_eq!(operation["x-personas"], json!(personas), "{}", spec.name);
        for status in ["2XX", "400", "401", "403", "500", "503", "504"] {
            assert!(
                operation["responses"][status].is_object(),
                "{} answers {status}",
                spec.name
            );
        }
        assert_eq!(
            operation["responses"]["2XX"]["headers"]["Idempotent-Replayed"].is_object(),
            !spec.effect.is_read_only(),
            "{}: replays are documented where they happen",
            spec.name
        );
    }
}

/// openapi-spec-validator accepts the document, and refuses a broken one (so the check is real).
#[test]
fn the_document_is_valid_openapi_3_1() {
    let document = generated();
    let Some((valid, message)) = validate(&document) else {
        return;
    };
    assert!(valid, "the generated document is invalid: {message}");

    let mut broken = document.clone();
    broken["info"].as_object_mut().unwrap().remove("title");
    let (valid, message) = validate(&broken).unwrap();
    assert!(!valid, "a document without a title passed: {message}");
}

/// `GET /openapi.json` on the local stack is the generated document, without a token.
#[tokio::test]
async fn the_local_stack_serves_the_generated_document() {
    let stack = LocalStack::start(LocalOptions::ephemeral()).await.unwrap();
    let response = reqwest::get(format!("{}/openapi.json", stack.api_url))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let served: Value = response.json().await.unwrap();
    assert_eq!(served, generated());
}
