//! deploy-salesforce.sh drives the Salesforce CLI in the right order and is safe to run again. No
//! org is reachable here, so `sf` is a stand-in that records its calls and answers like the CLI
//! (`--json` shapes) from a small state: which users hold the permission set, how many rooms exist.

use super::support::infra;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The stand-in: logs each call's arguments (and, for a deploy, that it ran in the SFDX project);
/// `org assign permset` records the assignment that the next query then finds.
const FAKE_SF: &str = r#"#!/usr/bin/env bash
set -euo pipefail
state="$FAKE_SF_STATE"
echo "$*" >> "$state/calls"
arg() { local want=$1; shift; while (($#)); do [[ "$1" == "$want" ]] && { echo "$2"; return; }; shift; done; }
case "$1 $2" in
  "org display") echo '{"status":0,"result":{"username":"admin@example.com"}}' ;;
  "project deploy")
    [[ -f sfdx-project.json && -d "$(arg --source-dir "$@")" ]] || { echo "not in the project" >&2; exit 1; }
    echo "Deployed." ;;
  "org assign") touch "$state/assigned-$(arg --on-behalf-of "$@")" ;;
  "data query")
    query=$(arg --query "$@")
    if [[ "$query" == *PermissionSetAssignment* ]]; then
      user=${query##*Username = \'}; user=${user%\'}
      n=0; [[ -f "$state/assigned-$user" ]] && n=1
    else
      n=$(cat "$state/rooms" 2>/dev/null || echo 0)
    fi
    echo "{\"status\":0,\"result\":{\"totalSize\":$n,\"records\":[]}}" ;;
  *) echo "unexpected: sf $*" >&2; exit 1 ;;
esac
"#;

struct FakeSf {
    dir: PathBuf,
}

impl FakeSf {
    fn new() -> FakeSf {
        let dir = std::env::temp_dir().join(format!("dewy-fake-sf-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::write(dir.join("bin/sf"), FAKE_SF).unwrap();
        Command::new("chmod")
            .arg("+x")
            .arg(dir.join("bin/sf"))
            .status()
            .unwrap();
        FakeSf { dir }
    }

    fn run(&self, args: &[&str]) -> Output {
        let path = format!(
            "{}:{}",
            self.dir.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Command::new("bash")
            .arg(infra().join("scripts/deploy-salesforce.sh"))
            .args(args)
            .env("PATH", path)
            .env("FAKE_SF_STATE", &self.dir)
            .output()
            .unwrap()
    }

    /// The calls since the last look, and forgets them.
    fn calls(&self) -> Vec<String> {
        let file = self.dir.join("calls");
        let calls = std::fs::read_to_string(&file).unwrap_or_default();
        let _ = std::fs::remove_file(&file);
        calls.lines().map(str::to_owned).collect()
    }
}

fn called(calls: &[String], prefix: &str) -> usize {
    calls.iter().filter(|c| c.starts_with(prefix)).count()
}

fn ok(out: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    text
}

#[test]
fn deploy_salesforce_deploys_assigns_once_and_seeds_only_an_empty_org() {
    let sf = FakeSf::new();
    let org = ["--target-org", "hotel", "--integration-user", "api@example.com"];

    ok(&sf.run(&[&org[..], &["--skip-seed"]].concat()));
    let calls = sf.calls();
    assert!(
        calls[0].starts_with("project deploy start --source-dir force-app --target-org hotel"),
        "{calls:?}"
    );
    assert_eq!(
        called(
            &calls,
            "org assign permset --name Dewy_Resort_Integration --on-behalf-of admin@example.com"
        ),
        1
    );
    assert_eq!(
        called(
            &calls,
            "org assign permset --name Dewy_Resort_Integration --on-behalf-of api@example.com"
        ),
        1
    );
    assert_eq!(called(&calls, "data import"), 0, "--skip-seed: {calls:?}");

    // Again, on an org that has the seed: the deploy repeats, nothing else does.
    std::fs::write(sf.dir.join("rooms"), "22").unwrap();
    let text = ok(&sf.run(&org));
    let calls = sf.calls();
    assert_eq!(called(&calls, "project deploy start"), 1);
    assert_eq!(called(&calls, "org assign"), 0, "{calls:?}");
    assert_eq!(called(&calls, "data import"), 0, "{calls:?}");
    assert!(text.contains("already has 22 rooms: seed skipped"), "{text}");

    let missing = sf.run(&[]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("usage:"));
    let _ = std::fs::remove_dir_all(Path::new(&sf.dir));
}
