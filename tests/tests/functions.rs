//! Every tool is its own Lambda function: a binary in `functions/` for each registered tool, and no
//! binary for a tool that does not exist, besides the functions that serve the tools: the MCP
//! adapter and the SMS notifier.

use dewy_e2e::lambda_watch::{function_binaries, workspace_root};

/// The functions that are not tools.
const SERVING: [&str; 2] = ["mcp_adapter", "sms_notifier"];

#[test]
fn every_tool_has_its_function_and_every_function_its_tool() {
    let mut binaries = function_binaries();
    binaries.retain(|name| !SERVING.contains(&name.as_str()));
    let mut tools: Vec<String> = dewy_tools::TOOLS
        .iter()
        .map(|t| t.spec().name.to_owned())
        .collect();
    binaries.sort();
    tools.sort();
    assert_eq!(binaries, tools);
    for name in &tools {
        let source =
            std::fs::read_to_string(workspace_root().join(format!("functions/src/bin/{name}.rs"))).unwrap();
        assert!(
            source.contains(&format!("run_named(\"{name}\")")),
            "functions/src/bin/{name}.rs runs another tool"
        );
    }
}
