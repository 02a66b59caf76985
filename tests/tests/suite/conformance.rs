//! The official MCP conformance suite (`@modelcontextprotocol/conformance`, installed by `tests/run`
//! in `tests/clients`) against the real MCP router, for every spec version the suite has server
//! scenarios for. Scenarios that cannot apply to this server (they call fixture tools, prompts and
//! resources of the SDKs' "everything" servers) are listed, each with its reason, in
//! `tests/conformance/baseline.yml`; any other failure, or a listed scenario that now passes, fails
//! the test. Without the suite (or a Node.js it runs on) the test is skipped, unless
//! `DEWY_REQUIRE_MCP_CLIENTS` says it must run.
//!
//! The suite's CLI has no way to send an `Authorization` header, so the router is configured exactly
//! like the local stack's except for its [`Authenticate`]: a request without a token is served as a
//! fixed demo caller, and a request with one is still verified by the production JWT verifier.
//! Bearer authentication itself is tested elsewhere (`shared/mcp`, `shared/auth`, `mcp_clients.rs`).

use dewy_auth::Verifier;
use dewy_connector::Secret;
use dewy_local::Sandboxes;
use dewy_local_issuer::{DEMO_PASSWORD, LocalIssuer, demo_users};
use dewy_tool::dispatch::BoxFuture;
use dewy_tool::{AuthFailure, Authenticate, Caller};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// The spec versions the suite (0.1.16) has server scenarios for; it knows no later one.
const SPEC_VERSIONS: [&str; 2] = ["2025-06-18", "2025-11-25"];

/// The caller a token-less request is served as: a guest who is also a manager, so that each
/// endpoint sees one of its own personas (the guest endpoint narrows it to the guest, the staff
/// endpoint to staff and manager).
const CONFORMANCE_CALLER: (&str, &str, [&str; 2]) =
    ("conformance-suite", "kay@example.com", ["guest", "manager"]);

fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clients")
}

fn baseline() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/baseline.yml")
}

/// The directory of a Node.js the suite runs on, or `None` (after failing if the suite is required).
///
/// The suite's CLI imports `fs.globSync`, which Node.js 20 lacks (the suite's own CI runs it on
/// Node 22). `DEWY_CONFORMANCE_NODE` may name a Node.js ≥ 22 binary when the one on `PATH` is older.
fn suite_node() -> Option<PathBuf> {
    let installed = clients_dir()
        .join("node_modules/@modelcontextprotocol/conformance")
        .exists();
    let node = std::env::var_os("DEWY_CONFORMANCE_NODE").map_or_else(|| PathBuf::from("node"), PathBuf::from);
    let version = Command::new(&node)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let major = version
        .as_deref()
        .and_then(|v| v.trim_start_matches('v').split('.').next())
        .and_then(|major| major.parse::<u32>().ok());
    let missing = if !installed {
        Some("the conformance suite is not installed (tests/run installs it)".to_owned())
    } else if major.is_none_or(|major| major < 22) {
        Some(format!(
            "the conformance suite needs Node.js >= 22 (found {}); set DEWY_CONFORMANCE_NODE to one",
            version.as_deref().unwrap_or("none")
        ))
    } else {
        None
    };
    if let Some(missing) = missing {
        assert!(
            std::env::var_os("DEWY_REQUIRE_MCP_CLIENTS").is_none(),
            "the MCP conformance suite is required but cannot run: {missing}"
        );
        eprintln!("skipped: {missing}");
        return None;
    }
    // `node` from PATH: resolve it so the same one runs `npx` and the suite.
    let resolved = Command::new(&node)
        .args(["-p", "process.execPath"])
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    resolved.and_then(|path| path.parent().map(Path::to_path_buf))
}

/// Token-less requests as [`CONFORMANCE_CALLER`]; requests with a token through the real verifier.
struct SuiteCaller {
    verifier: Verifier,
}

impl Authenticate for SuiteCaller {
    fn authenticate<'a>(
        &'a self,
        authorization: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Caller, AuthFailure>> {
        match authorization {
            None => {
                let (subject, email, groups) = CONFORMANCE_CALLER;
                Box::pin(std::future::ready(Ok(Caller::from_claims(
                    subject,
                    Some(email),
                    groups,
                ))))
            }
            Some(_) => self.verifier.authenticate(authorization),
        }
    }
}

/// The MCP router as `LocalStack::start` builds it (tools, in-process dispatch to the seeded
/// sandbox, allowed hosts, metadata), with [`SuiteCaller`] as its authentication, on 127.0.0.1:0.
async fn serve() -> (String, Sandboxes) {
    let ephemeral = SocketAddr::from(([127, 0, 0, 1], 0));
    let sandboxes = Sandboxes::ephemeral().await.unwrap();
    let listener = tokio::net::TcpListener::bind(ephemeral).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base_url = format!("http://{addr}");
    let issuer = LocalIssuer::new(
        format!("{base_url}/auth"),
        dewy_local::LOCAL_CLIENT_ID.to_owned(),
        demo_users(),
        Secret::new(DEMO_PASSWORD),
    )
    .unwrap();
    let verifier = Verifier::new(issuer.verifier_config(), dewy_connector::http_client());
    let backends = sandboxes.backends();
    let authenticate = Arc::new(SuiteCaller { verifier });
    let mcp = dewy_mcp::router(dewy_local::mcp_config(addr, &issuer, backends, authenticate));
    let app = mcp.nest("/auth", issuer.router());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base_url, sandboxes)
}

/// Runs the suite for one spec version against `url`, prints its summary and returns whether it
/// passed against the baseline: exit code 0 and its "Baseline check passed" verdict.
fn run_suite(node_dir: &Path, url: &str, version: &str) -> bool {
    // The suite's `npx` shim runs `node` from PATH: put the chosen one first.
    let path = std::env::join_paths(
        std::iter::once(node_dir.to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap();
    let output = Command::new("npx")
        .current_dir(clients_dir())
        .env("PATH", path)
        .args([
            "--no-install",
            "conformance",
            "server",
            "--url",
            url,
            "--suite",
            "all",
        ])
        .args(["--spec-version", version, "--expected-failures"])
        .arg(baseline())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Per scenario `✓ name: 1 passed, 0 failed` or `✗ ...`, then the baseline verdict.
    let summary = stdout
        .find("=== SUMMARY ===")
        .map_or(&stdout[..], |start| &stdout[start..]);
    let passing = summary.lines().filter(|line| line.starts_with('✓')).count();
    let failing = summary.lines().filter(|line| line.starts_with('✗')).count();
    println!(
        "--- conformance {version} against {url}: {passing} scenarios passed, {failing} failed ---\n{summary}"
    );
    let passed = output.status.success() && summary.contains("Baseline check passed");
    if !passed {
        eprintln!(
            "conformance {version} against {url} failed ({}):\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    passed
}

/// Both persona endpoints pass every conformance scenario that applies to a tool server, for each
/// spec version the suite knows; the rest are in the baseline with their reasons.
#[tokio::test(flavor = "multi_thread")]
async fn the_mcp_endpoints_pass_the_official_conformance_suite() {
    let Some(node_dir) = suite_node() else {
        return;
    };
    let (base_url, _sandboxes) = serve().await;
    let mut failed = Vec::new();
    for endpoint in ["guest", "staff"] {
        let url = format!("{base_url}/mcp/{endpoint}");
        for version in SPEC_VERSIONS {
            let node_dir = node_dir.clone();
            let run_url = url.clone();
            let passed = tokio::task::spawn_blocking(move || run_suite(&node_dir, &run_url, version))
                .await
                .unwrap();
            if !passed {
                failed.push(format!("{endpoint} {version}"));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "conformance failed for: {failed:?} (see the output above)"
    );
}
