//! `dewy-local`'s start: makes sure the web portal's build (`web/dist`) is current, with npm.
//!
//! - `npm ci` when `web/node_modules` is missing or older than `package-lock.json`;
//! - `npm run build` when the SHA-256 of the inputs (every file under `web/` but `node_modules/`
//!   and `dist/`, path and content) differs from the stamp the last good build left, or
//!   `dist/index.html` is missing. The stamp is kept in `node_modules/`, so a fresh `npm ci`
//!   (new dependencies) builds again too.
//!
//! Nothing here stops the stack: without npm, or when a step fails, the API is served all the same
//! and the portal's pages say how to build it.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// Where the last good build's input hash is kept (under `node_modules/`, ignored by git).
const STAMP: &str = "node_modules/.dewy-portal-build.sha256";

/// Why the portal was not built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// It could not be tried (no app, no npm): an earlier build in `dist`, if any, is served.
    Unbuildable(String),
    /// `npm ci` or `npm run build` failed: `dist` may hold an earlier build, of other sources.
    Failed(String),
}

/// Builds the portal in `web` if it is stale.
pub fn ensure_built(web: &Path) -> Result<(), Problem> {
    if !web.join("package.json").is_file() {
        let message = format!("no web app at {} (no package.json)", web.display());
        return Err(Problem::Unbuildable(message));
    }
    let npm_version = Command::new("npm").arg("--version").output();
    if !npm_version.is_ok_and(|out| out.status.success()) {
        let message = "npm was not found: install Node.js 20 or later (with npm) to build the portal";
        return Err(Problem::Unbuildable(message.to_owned()));
    }
    if needs_install(web) {
        println!("installing the portal's dependencies (web/, npm ci)…");
        npm(web, &["ci", "--no-audit", "--no-fund", "--loglevel=error"])?;
    }
    let inputs =
        inputs_hash(web).map_err(|e| Problem::Unbuildable(format!("cannot read {}: {e}", web.display())))?;
    let stamp = web.join(STAMP);
    let built = std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == inputs);
    if built && web.join("dist/index.html").is_file() {
        return Ok(());
    }
    println!("building the portal (web/, npm run build)…");
    npm(web, &["run", "build"])?;
    // Not fatal: without the stamp the next start builds again.
    let _ = std::fs::write(stamp, format!("{inputs}\n"));
    Ok(())
}

/// Runs npm in `dir`, its output shown as it comes.
fn npm(dir: &Path, args: &[&str]) -> Result<(), Problem> {
    let shown = format!("npm {}", args.join(" "));
    let status = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .status()
        .map_err(|e| Problem::Failed(format!("{shown} could not run: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        let message = format!("{shown} failed in {} ({status})", dir.display());
        Err(Problem::Failed(message))
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// No `node_modules`, or one older than the lock file (npm ci writes `node_modules/.package-lock.json`).
fn needs_install(web: &Path) -> bool {
    let installed = modified(&web.join("node_modules/.package-lock.json"))
        .or_else(|| modified(&web.join("node_modules")));
    match (installed, modified(&web.join("package-lock.json"))) {
        (None, _) => true,
        (Some(installed), Some(lock)) => installed < lock,
        (Some(_), None) => false,
    }
}

/// The SHA-256 of every file under `web` but `node_modules/` and `dist/`: each one's path relative
/// to `web`, then its length and content, in path order.
fn inputs_hash(web: &Path) -> std::io::Result<String> {
    let mut files = Vec::new();
    collect(web, web, &mut files)?;
    files.sort();
    let mut hash = Sha256::new();
    for relative in files {
        let content = std::fs::read(web.join(&relative))?;
        hash.update(relative.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update((content.len() as u64).to_le_bytes());
        hash.update(&content);
    }
    Ok(hash.finalize().iter().map(|byte| format!("{byte:02x}")).collect())
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if dir == root && matches!(entry.file_name().to_str(), Some("node_modules" | "dist")) {
                continue;
            }
            collect(root, &path, files)?;
        } else if kind.is_file() {
            files.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn web(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dewy-web-build-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("package.json"), "{}").unwrap();
        std::fs::write(dir.join("src/main.ts"), "let a = 1;").unwrap();
        dir
    }

    #[test]
    fn the_inputs_hash_changes_with_sources_only() {
        let dir = web("hash");
        let first = inputs_hash(&dir).unwrap();
        assert_eq!(first.len(), 64);
        for ignored in ["dist/index.html", "node_modules/x/index.js"] {
            let path = dir.join(ignored);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "built").unwrap();
        }
        assert_eq!(
            inputs_hash(&dir).unwrap(),
            first,
            "dist/ and node_modules/ are outputs"
        );
        std::fs::write(dir.join("src/main.ts"), "let a = 2;").unwrap();
        assert_ne!(inputs_hash(&dir).unwrap(), first);
        // A file moved is a change, even with the same content.
        std::fs::write(dir.join("src/main.ts"), "let a = 1;").unwrap();
        std::fs::rename(dir.join("src/main.ts"), dir.join("src/app.ts")).unwrap();
        assert_ne!(inputs_hash(&dir).unwrap(), first);
    }

    #[test]
    fn dependencies_are_installed_when_missing_or_older_than_the_lock_file() {
        let dir = web("install");
        assert!(needs_install(&dir));
        std::fs::create_dir_all(dir.join("node_modules")).unwrap();
        std::fs::write(dir.join("node_modules/.package-lock.json"), "{}").unwrap();
        assert!(!needs_install(&dir));
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.join("package-lock.json"), "{}").unwrap();
        assert!(needs_install(&dir));
    }

    #[test]
    fn no_web_app_is_said_not_built() {
        let dir = std::env::temp_dir().join("dewy-web-build-nothing-here");
        let Err(Problem::Unbuildable(problem)) = ensure_built(&dir) else {
            panic!("built from nothing");
        };
        assert!(problem.contains("no package.json"), "{problem}");
    }
}
