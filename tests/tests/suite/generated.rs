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

/// Checks that the part of `file` (relative to the workspace) between the lines `begin` and `end`
/// is `rendered`; rewrites it instead under `DEWY_REGENERATE=1`. `what` names the part in the
/// failure, which says from which line it differs.
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
    if text[start..at_end] == *rendered {
        return;
    }
    if std::env::var("DEWY_REGENERATE").is_ok_and(|v| v == "1") {
        let updated = format!("{}{rendered}{}", &text[..start], &text[at_end..]);
        std::fs::write(&path, updated).unwrap();
        eprintln!("{file}: {what} rewritten");
        return;
    }
    let line = text[..start].lines().count()
        + text[start..at_end]
            .lines()
            .zip(rendered.lines())
            .take_while(|(found, wanted)| found == wanted)
            .count()
        + 1;
    panic!(
        "{file}: {what} is out of date from line {line} (a tool's spec changed, or the part was \
         edited by hand). Rewrite it with\n  {REGENERATE}"
    );
}
