//! What the infra tests share: paths, a plain reader of the metadata's XML, the sandbox's describe,
//! and the skip-or-fail rule for tests that need the aws CLI and moto.

use dewy_e2e::lambda_watch::workspace_root;
use dewy_salesforce_sandbox::Sandbox;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

pub fn infra() -> PathBuf {
    workspace_root().join("infra")
}

/// `force-app/main/default` of the SFDX project.
pub fn metadata() -> PathBuf {
    infra().join("salesforce/force-app/main/default")
}

pub fn read(path: &PathBuf) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The inner XML of every `<tag>…</tag>`, in order. The metadata never nests a tag in itself, so
/// plain string search is exact enough (and `<value>` does not match `<valueSet>`).
pub fn blocks<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let end = after.find(&close).unwrap_or_else(|| panic!("unclosed <{tag}>"));
        found.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    found
}

/// The text of every `<tag>`, entities decoded.
pub fn texts(xml: &str, tag: &str) -> Vec<String> {
    blocks(xml, tag)
        .into_iter()
        .map(|t| {
            t.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The text of the first `<tag>`, if any.
pub fn text(xml: &str, tag: &str) -> Option<String> {
    texts(xml, tag).into_iter().next()
}

/// The sandbox's describe of every object: the org the code is tested against, whose fields and
/// picklists are built from dewy-domain's constants and enums.
pub async fn describe(sandbox: &Sandbox) -> Vec<Value> {
    let http = reqwest::Client::new();
    let token = dewy_e2e::salesforce_session(sandbox).await;
    let get = |path: String| {
        let request = http
            .get(format!("{}/services/data/v62.0{path}", sandbox.base_url()))
            .bearer_auth(token["access_token"].as_str().unwrap());
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let mut objects = Vec::new();
    for summary in get("/sobjects".into()).await["sobjects"].as_array().unwrap() {
        let name = summary["name"].as_str().unwrap();
        objects.push(get(format!("/sobjects/{name}/describe")).await);
    }
    objects
}

/// Whether the aws CLI and moto are there. Without them the test is skipped, with a message, unless
/// `DEWY_REQUIRE_MOTO` says it must run (as `tests/run` does): then it fails.
pub fn moto_and_aws_cli(test: &str) -> Option<String> {
    let url = std::env::var("MOTO_URL").ok().filter(|u| !u.is_empty());
    let cli = Command::new("aws")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    match (url, cli) {
        (Some(url), true) => Some(url),
        (url, cli) => {
            let missing = match (url.is_some(), cli) {
                (false, false) => "MOTO_URL and the aws CLI (tests/requirements.txt)",
                (false, true) => "MOTO_URL",
                _ => "the aws CLI (tests/requirements.txt)",
            };
            assert!(
                std::env::var_os("DEWY_REQUIRE_MOTO").is_none(),
                "DEWY_REQUIRE_MOTO is set but {missing} is missing"
            );
            eprintln!("SKIPPED {test}: needs {missing}");
            None
        }
    }
}
