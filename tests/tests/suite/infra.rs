//! infra/: what a deployment needs besides template.yaml, checked against the code it serves.
//!
//! - `metadata`: the Salesforce metadata defines every object, field and picklist value the tools
//!   use (the sandbox's org schema and dewy-domain's enums), and the permission set reaches them.
//! - `seed`: the seed import is the local sandbox's seed, dated from the import day.
//! - `aws`: create-demo-users.sh, put-secrets.sh and deploy-portal.sh against moto (skipped without moto and the aws
//!   CLI unless `DEWY_REQUIRE_MOTO` is set).
//! - `salesforce_cli`: deploy-salesforce.sh's calls of the Salesforce CLI, with a stand-in `sf`.
//! - here: the demo users file is the local issuer's users; every script parses.

mod aws;
mod metadata;
mod salesforce_cli;
mod seed;
mod support;

use dewy_local_issuer::{DEMO_PASSWORD, demo_users};
use serde_json::Value;
use std::process::Command;
use support::{infra, read};

/// infra/demo-users.json, which create-demo-users.sh puts in Cognito, holds the local issuer's
/// users: the same sign-ins work locally and deployed.
#[test]
fn the_demo_users_file_is_the_local_issuers_users() {
    let file: Value = serde_json::from_str(&read(&infra().join("demo-users.json"))).unwrap();
    assert_eq!(file["password"], DEMO_PASSWORD);
    let in_file: Vec<(String, Vec<String>)> = file["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let groups = u["groups"].as_array().unwrap();
            let groups = groups.iter().map(|g| g.as_str().unwrap().to_owned()).collect();
            (u["email"].as_str().unwrap().to_owned(), groups)
        })
        .collect();
    let local: Vec<(String, Vec<String>)> = demo_users().into_iter().map(|u| (u.email, u.groups)).collect();
    assert_eq!(in_file, local);
}

/// Every script parses (`bash -n`, Python's compiler), is executable and says how to use it.
#[test]
fn every_script_parses_and_has_a_usage_line() {
    let scripts = infra().join("scripts");
    let mut checked = 0;
    for entry in std::fs::read_dir(&scripts).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let parse = match path.extension().and_then(|e| e.to_str()) {
            Some("sh") => Command::new("bash").arg("-n").arg(&path).output().unwrap(),
            Some("py") => Command::new("python3")
                .args(["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())"])
                .arg(&path)
                .output()
                .unwrap(),
            _ => continue,
        };
        assert!(
            parse.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&parse.stderr)
        );
        checked += 1;
        if name == "lib.sh" {
            continue; // sourced by the others
        }
        let text = read(&path);
        assert!(text.contains("usage: "), "{name} has no usage line");
        if name.ends_with(".sh") {
            assert!(text.contains("set -euo pipefail"), "{name}");
        }
        let mode = std::fs::metadata(&path).unwrap();
        assert!(
            std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o111 != 0,
            "{name} is not executable"
        );
    }
    assert_eq!(
        checked, 6,
        "lib.sh, put-secrets.sh, create-demo-users.sh, deploy-salesforce.sh, deploy-portal.sh, generate-seed.py"
    );
}
