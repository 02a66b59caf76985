//! The files partly generated from the tool specs (template.yaml's tool functions, docs/tools.md's
//! table): each holds its generated part between two marker lines, which a test compares with
//! what the registry renders now. One command rewrites every such part:
//!
//! ```sh
//! DEWY_REGENERATE=1 cargo test -p dewy-e2e --test suite
//! ```

use dewy_e2e::lambda_watch::workspace_root;

/// The command that rewrites the generated parts.
pub const REGENERATE: &str = "DEWY_REGENERATE=1 cargo test -p dewy-e2e --test suite";

/// Whether this run rewrites the generated files (`DEWY_REGENERATE=1`) instead of checking them.
pub fn regenerating() -> bool {
    std::env::var("DEWY_REGENERATE").is_ok_and(|v| v == "1")
}

/// Checks that the whole of `file` (relative to the workspace) is `rendered`; writes it instead
/// under `DEWY_REGENERATE=1`, creating it if need be. `what` names what differs in the failure,
/// which says from which line.
pub fn check_file(file: &str, rendered: &str, what: &str) {
    let path = workspace_root().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    if text == rendered {
        return;
    }
    if regenerating() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&path, rendered).unwrap();
        eprintln!("{file}: {what} rewritten");
        return;
    }
    let line = text
        .lines()
        .zip(rendered.lines())
        .take_while(|(found, wanted)| found == wanted)
        .count()
        + 1;
    panic!(
        "{file}: {what} is missing or out of date from line {line} (a tool's spec changed, or it \
         was edited by hand). Rewrite it with\n  {REGENERATE}"
    );
}

/// Checks that the part of `file` (relative to the workspace) between the lines `begin` and `end`
/// is `rendered`; rewrites it instead under `DEWY_REGENERATE=1` (see [`check_file`]).
pub fn check(file: &str, begin: &str, end: &str, rendered: &str, what: &str) {
    let path = workspace_root().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let (Some(at_begin), Some(at_end)) = (text.find(begin), text.find(end)) else {
        panic!("{file} lacks the marker lines {begin:?} and {end:?}");
    };
    assert!(
        at_begin < at_end,
        "{file}: the end marker comes before the begin marker"
    );
    let start = at_begin + begin.len();
    let updated = format!("{}{rendered}{}", &text[..start], &text[at_end..]);
    check_file(file, &updated, what);
}
