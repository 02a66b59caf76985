//! Every function is a role of the one artifact, and `cargo lambda watch` can start each by name:
//! `functions/` has a binary of the watch feature for each function (each tool, the MCP adapter
//! and the SMS notifier), running `dewy`'s main, and none for a function that does not exist.

use dewy_e2e::lambda_watch::{function_binaries, workspace_root};

/// The binary every function is deployed from.
const ARTIFACT: &str = "dewy";

#[test]
fn every_function_has_its_watch_binary_and_every_watch_binary_its_function() {
    let mut binaries = function_binaries();
    assert!(binaries.iter().any(|name| name == ARTIFACT));
    binaries.retain(|name| name != ARTIFACT);
    let mut functions: Vec<String> = dewy_functions::functions()
        .into_iter()
        .map(str::to_owned)
        .collect();
    binaries.sort();
    functions.sort();
    assert_eq!(binaries, functions);
    for name in &functions {
        let source = std::fs::read_to_string(workspace_root().join(format!("functions/src/watch/{name}.rs")))
            .unwrap_or_else(|e| panic!("functions/src/watch/{name}.rs: {e}"));
        assert!(
            source.contains("dewy_functions::main().await"),
            "functions/src/watch/{name}.rs runs something other than dewy's main"
        );
    }
}
