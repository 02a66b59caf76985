//! `cargo lambda watch`, run for a test: the Lambda runtime emulator serving the workspace's function
//! binaries, with the Invoke API at `http://127.0.0.1:<port>/2015-03-31/functions/<name>/invocations`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running `cargo lambda watch`; stopped (with its whole process group) when dropped.
pub struct LambdaWatch {
    /// The emulator's port.
    pub port: u16,
    child: Child,
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The binaries of `functions/`: the `name` of each `[[bin]]` table of its manifest (the artifact
/// `dewy`, and one per function for `cargo lambda watch`).
pub fn function_binaries() -> Vec<String> {
    let manifest = std::fs::read_to_string(workspace_root().join("functions/Cargo.toml"))
        .expect("functions/Cargo.toml is readable");
    let mut names = Vec::new();
    let mut in_bin = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin && let Some(value) = line.strip_prefix("name") {
            let value = value.trim_start().trim_start_matches('=').trim();
            names.push(value.trim_matches('"').to_owned());
        }
    }
    names
}

impl LambdaWatch {
    /// Starts the emulator with `env` for the functions, or `None` when cargo-lambda is not installed
    /// (a failure instead when `DEWY_REQUIRE_CARGO_LAMBDA` is set).
    pub fn start(env: &[(&str, String)]) -> Option<LambdaWatch> {
        let available = Command::new("cargo")
            .args(["lambda", "--version"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !available {
            assert!(
                std::env::var_os("DEWY_REQUIRE_CARGO_LAMBDA").is_none(),
                "cargo-lambda is required but missing"
            );
            eprintln!("skipped: cargo-lambda is not installed (tests/run installs it)");
            return None;
        }
        let port = free_port();
        let mut watch = Command::new("cargo");
        watch
            .current_dir(workspace_root())
            .args(["lambda", "watch", "--ignore-changes", "-P", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (key, value) in env {
            watch.args(["--env-var", &format!("{key}={value}")]);
        }
        // Its own process group, so the functions it spawns stop with it.
        std::os::unix::process::CommandExt::process_group(&mut watch, 0);
        let child = watch.spawn().expect("cargo lambda watch starts");
        let started = LambdaWatch { port, child };
        started.wait_until_listening();
        Some(started)
    }

    /// Waits (at most two minutes) until the emulator accepts connections: an invoke sent before
    /// that is refused, and a caller that does not retry a refused connection (the adapter's Lambda
    /// client) would report the tool unreachable.
    fn wait_until_listening(&self) {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while std::net::TcpStream::connect(address).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "cargo lambda watch is not listening on {address}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for LambdaWatch {
    fn drop(&mut self) {
        // `--` matters: without it util-linux's kill misreads a negative pid (`-12345` became -1,
        // which signals every process of the user).
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-s", "TERM", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free local port")
}
