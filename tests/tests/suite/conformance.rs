//! The official MCP conformance suite (`@modelcontextprotocol/conformance`, installed by `tests/run`
//! in `tests/clients`) against the real MCP router, in two releases side by side:
//!
//! - 0.1.16 (`@modelcontextprotocol/conformance`): every server scenario, for spec versions
//!   2025-06-18 and 2025-11-25, against the router with a token-less demo caller (below);
//! - 0.2.0-alpha (the alias `conformance-next`): exactly the scenarios the 2026-07-28 revision
//!   requires (`--requirements 2026-07-28`), at that revision's stateless wire, against the local
//!   stack's API behind a loopback proxy that adds a demo user's bearer token.
//!
//! Scenarios that cannot apply to this server (they call fixture tools, prompts and resources of the
//! SDKs' "everything" servers) are listed, each with its reason, in `tests/conformance/baseline.yml`
//! (0.1.16) and `tests/conformance/baseline-2026-07-28.yml` (0.2.0); any other failure, or a listed
//! scenario or check that now passes, fails the test. Without a suite (or a Node.js it runs on) its
//! test is skipped, unless `DEWY_REQUIRE_MCP_CLIENTS` says it must run.
//!
//! The suite's CLI has no way to send an `Authorization` header. For 0.1.16 the router is configured
//! exactly like the local stack's except for its [`Authenticate`]: a request without a token is
//! served as a fixed demo caller, and a request with one is still verified by the production JWT
//! verifier. For 0.2.0 nothing in the stack changes: the proxy adds the token, and the stack
//! verifies it as always. Bearer authentication itself is tested elsewhere (`shared/mcp`,
//! `shared/auth`, `mcp_clients.rs`).

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

/// The suite 0.1.16, as installed in `tests/clients/node_modules`.
const SUITE: &str = "@modelcontextprotocol/conformance";

/// The spec versions [`SUITE`] has server scenarios for; it knows no later one.
const SPEC_VERSIONS: [&str; 2] = ["2025-06-18", "2025-11-25"];

/// The suite 0.2.0-alpha, installed beside [`SUITE`] under this npm alias.
const SUITE_NEXT: &str = "conformance-next";

/// The spec revision whose required scenarios [`SUITE_NEXT`] runs.
const REQUIREMENTS: &str = "2026-07-28";

/// The demo users whose tokens the proxy adds, per endpoint: one who holds its job.
const PROXY_USERS: [(&str, &str); 5] = [
    ("/mcp/guest", "kay@example.com"),
    ("/mcp/staff", "staff1@hotel.com"),
    ("/mcp/housekeeping", "housekeeping1@hotel.com"),
    ("/mcp/maintenance", "maintenance1@hotel.com"),
    ("/mcp/manager", "manager1@hotel.com"),
];

/// The caller a token-less request is served as: a guest who is also a manager, so that each
/// endpoint sees one of its own personas (the guest endpoint narrows it to the guest, a staff
/// endpoint to its job and the manager's authority; a manager holds every staff job).
const CONFORMANCE_CALLER: (&str, &str, [&str; 2]) =
    ("conformance-suite", "kay@example.com", ["guest", "manager"]);

fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clients")
}

fn baseline(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("conformance")
        .join(file)
}

/// A suite ready to run: the Node.js binary and the CLI script of the installed package.
#[derive(Clone)]
struct Suite {
    node: PathBuf,
    cli: PathBuf,
}

/// The installed suite `package` (a directory under `tests/clients/node_modules`) and a Node.js it
/// runs on, or `None` (after failing if the suites are required).
///
/// The suite's CLI imports `fs.globSync`, which Node.js 20 lacks (the suite's own CI runs it on
/// Node 22). `DEWY_CONFORMANCE_NODE` may name a Node.js ≥ 22 binary when the one on `PATH` is older.
/// The CLI is run as `node <its bin script>`, not through `npx`: both releases name their binary
/// `conformance`, so `node_modules/.bin/conformance` is only one of them.
fn suite(package: &str) -> Option<Suite> {
    let package_dir = clients_dir().join("node_modules").join(package);
    let cli = std::fs::read(package_dir.join("package.json"))
        .ok()
        .and_then(|manifest| serde_json::from_slice::<serde_json::Value>(&manifest).ok())
        .and_then(|manifest| {
            manifest["bin"]["conformance"]
                .as_str()
                .map(|bin| package_dir.join(bin))
        })
        .filter(|cli| cli.exists());
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
    let missing = if cli.is_none() {
        Some(format!(
            "the conformance suite {package} is not installed (tests/run installs it)"
        ))
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
    Some(Suite { node, cli: cli? })
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
    let mcp = dewy_mcp::router(dewy_local::mcp_config(
        addr,
        &issuer,
        backends,
        authenticate,
        dewy_mcp::Unconfirmable::Refuse,
    ));
    let app = mcp.nest("/auth", issuer.router());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base_url, sandboxes)
}

/// Runs `suite` against `url` with `args` and the baseline `baseline_file`, prints its summary and
/// returns whether it passed against the baseline: exit code 0 and its "Baseline check passed"
/// verdict. `run` names the run in the output.
fn run_suite(suite: &Suite, url: &str, args: &[&str], baseline_file: &str, run: &str) -> bool {
    // Each scenario's checks go to `<results>/<scenario>-<time>/checks.json`, printed on failure.
    let results = std::env::temp_dir().join(format!(
        "dewy-conformance-{}-{}",
        std::process::id(),
        format!("{run}-{url}").replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    ));
    let _ = std::fs::remove_dir_all(&results);
    let output = Command::new(&suite.node)
        .current_dir(clients_dir())
        .arg(&suite.cli)
        .args(["server", "--url", url])
        .args(args)
        .arg("--expected-failures")
        .arg(baseline(baseline_file))
        .arg("--output-dir")
        .arg(&results)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Per scenario `✓ name: 1 passed, 0 failed` or `✗ ...` (a check failed: baselined, not scored
    // or a regression), then the baseline verdict.
    let summary = stdout
        .find("=== SUMMARY ===")
        .map_or(&stdout[..], |start| &stdout[start..]);
    let passing = summary.lines().filter(|line| line.starts_with('✓')).count();
    let failing = summary.lines().filter(|line| line.starts_with('✗')).count();
    println!("--- conformance {run} against {url}: {passing} scenarios ✓, {failing} ✗ ---\n{summary}");
    let passed = output.status.success() && summary.contains("Baseline check passed");
    if !passed {
        eprintln!(
            "conformance {run} against {url} failed ({}):\n{stdout}\n{}\nchecks not passed:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr),
            checks_not_passed(&results).join("\n")
        );
    }
    let _ = std::fs::remove_dir_all(&results);
    passed
}

/// `scenario:check-id STATUS: message` for every check under `results` that neither succeeded nor
/// was only informational, as a baseline entry would name it.
fn checks_not_passed(results: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(results).into_iter().flatten().flatten() {
        // `server-<scenario>-<yyyy-mm-ddThh-mm-ss-mmmZ>`
        let dir = entry.file_name().to_string_lossy().into_owned();
        let scenario = dir
            .strip_prefix("server-")
            .and_then(|rest| rest.rsplitn(7, '-').nth(6))
            .unwrap_or(&dir);
        let Ok(checks) = std::fs::read(entry.path().join("checks.json")) else {
            continue;
        };
        let checks: serde_json::Value = serde_json::from_slice(&checks).unwrap_or_default();
        for check in checks.as_array().into_iter().flatten() {
            let status = check["status"].as_str().unwrap_or_default();
            if !matches!(status, "SUCCESS" | "INFO" | "SKIPPED") {
                lines.push(format!(
                    "{scenario}:{} {status}: {}",
                    check["id"].as_str().unwrap_or_default(),
                    check["errorMessage"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    lines.sort();
    lines
}

/// Every job's endpoint passes every conformance scenario that applies to a tool server, for each
/// spec version the suite knows; the rest are in the baseline with their reasons.
#[tokio::test(flavor = "multi_thread")]
async fn the_mcp_endpoints_pass_the_official_conformance_suite() {
    let Some(suite) = suite(SUITE) else {
        return;
    };
    let (base_url, _sandboxes) = serve().await;
    let mut failed = Vec::new();
    for endpoint in dewy_mcp::Endpoint::ALL.map(dewy_mcp::Endpoint::name) {
        let url = format!("{base_url}/mcp/{endpoint}");
        for version in SPEC_VERSIONS {
            let (suite, url) = (suite.clone(), url.clone());
            let passed = tokio::task::spawn_blocking(move || {
                let args = ["--suite", "all", "--spec-version", version];
                run_suite(&suite, &url, &args, "baseline.yml", version)
            })
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

/// The proxy's tokens: `(endpoint path, token)`.
type Tokens = Arc<Vec<(String, String)>>;

/// A loopback proxy in front of `backend` on `listener`: every request goes through untouched
/// (method, path, headers including `Host`, `Origin` and `MCP-Protocol-Version`, body; the answer's
/// status, headers and body likewise), except that a request to an endpoint of `tokens` gets
/// `Authorization: Bearer <its token>`, which the suite cannot send itself. One connection to the
/// backend per request: nothing is pooled or retried behind the suite's back.
fn proxy(listener: tokio::net::TcpListener, backend: SocketAddr, tokens: Vec<(String, String)>) {
    use axum::body::Body;
    use axum::extract::{Request, State};
    use axum::http::{HeaderValue, header};
    use axum::response::{IntoResponse, Response};
    use hyper_util::rt::TokioIo;

    async fn forward(
        State((backend, tokens)): State<(SocketAddr, Tokens)>,
        mut request: Request,
    ) -> Response {
        let path = request.uri().path().to_owned();
        if let Some((_, token)) = tokens.iter().find(|(endpoint, _)| path == *endpoint) {
            let bearer = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
            request.headers_mut().insert(header::AUTHORIZATION, bearer);
        }
        let stream = tokio::net::TcpStream::connect(backend).await.unwrap();
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(connection);
        match sender.send_request(request).await {
            Ok(response) => response.map(Body::new),
            Err(error) => (axum::http::StatusCode::BAD_GATEWAY, format!("proxy: {error}")).into_response(),
        }
    }

    let app = axum::Router::new()
        .fallback(forward)
        .with_state((backend, Arc::new(tokens)));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
}

/// The local stack's API (`dewy_local::api`, as `dewy-local` serves it: production verifier, the
/// issuer under `/auth`, hosts and origins checked) over a seeded sandbox, configured for the
/// address of a proxy in front of it that adds a demo user's token per endpoint ([`proxy`]).
/// Returns the proxy's port: the suite reaches the stack as `http://localhost:<port>`.
async fn serve_behind_proxy() -> (u16, Sandboxes) {
    let ephemeral = SocketAddr::from(([127, 0, 0, 1], 0));
    let sandboxes = Sandboxes::ephemeral().await.unwrap();
    let front = tokio::net::TcpListener::bind(ephemeral).await.unwrap();
    let front_addr = front.local_addr().unwrap();
    let back = tokio::net::TcpListener::bind(ephemeral).await.unwrap();
    let back_addr = back.local_addr().unwrap();
    let (app, issuer) = dewy_local::api(
        front_addr,
        sandboxes.backends(),
        dewy_local_issuer::DEFAULT_TOKEN_TTL,
        dewy_mcp::Unconfirmable::Refuse,
    )
    .unwrap();
    tokio::spawn(async move { axum::serve(back, app).await.unwrap() });
    let tokens = PROXY_USERS
        .iter()
        .map(|(endpoint, email)| {
            let token = issuer.login(email, DEMO_PASSWORD).unwrap().access_token;
            ((*endpoint).to_owned(), token)
        })
        .collect();
    proxy(front, back_addr, tokens);
    (front_addr.port(), sandboxes)
}

/// Both persona endpoints pass every scenario the 2026-07-28 revision requires that applies to a
/// tool server, with the bearer token a real client sends; the rest are in the baseline with their
/// reasons. The suite is given the `localhost` spelling of the stack's address, so its
/// `dns-rebinding-protection` scenario sends `Origin: http://localhost:<port>`, which must pass as
/// the stack's own origin.
#[tokio::test(flavor = "multi_thread")]
async fn the_mcp_endpoints_pass_the_2026_07_28_requirements_of_the_conformance_suite() {
    let Some(suite) = suite(SUITE_NEXT) else {
        return;
    };
    let (port, _sandboxes) = serve_behind_proxy().await;
    let mut failed = Vec::new();
    for (endpoint, _) in PROXY_USERS {
        let url = format!("http://localhost:{port}{endpoint}");
        let suite = suite.clone();
        let passed = tokio::task::spawn_blocking(move || {
            let args = ["--requirements", REQUIREMENTS];
            let baseline = "baseline-2026-07-28.yml";
            run_suite(&suite, &url, &args, baseline, REQUIREMENTS)
        })
        .await
        .unwrap();
        if !passed {
            failed.push(endpoint);
        }
    }
    assert!(
        failed.is_empty(),
        "conformance {REQUIREMENTS} failed for: {failed:?} (see the output above)"
    );
}
