//! The web portal's list of tools (`web/src/lib/tools.generated.ts`), generated from the specs:
//! each tool's REST path, who may call it, and the input field that holds the client's idempotency
//! token when it takes one. The portal makes that token when an action starts and reuses it on the
//! action's retries, so which tools take one is the spec's word, not the page's.

use dewy_tool::{DynTool, KeyFrom};

/// The TypeScript module, one entry per registered tool in registry order.
fn module(tools: &[&dyn DynTool]) -> String {
    let mut out = format!(
        "// Generated from the tool specs (shared/tools/src/registry.rs) by \
         tests/tests/suite/web_tools.rs:\n// regenerate with `{}`. Do not edit.\n\n\
         /** Every tool: its REST path, the personas that may call it, and the input field holding the\n \
         * client's idempotency token when the tool takes one (made when an action starts, reused on its\n \
         * retries). */\nexport const TOOLS = {{\n",
        crate::generated::REGENERATE
    );
    for tool in tools {
        let spec = tool.spec();
        let personas: Vec<String> = spec
            .personas
            .iter()
            .map(|persona| format!("\"{}\"", persona.group()))
            .collect();
        let token = match spec.effect.key() {
            Some(KeyFrom::Token(field)) => format!("\"{field}\""),
            _ => "null".to_owned(),
        };
        out.push_str(&format!(
            "  {}: {{ path: \"{}\", personas: [{}], token: {token} }},\n",
            spec.name,
            spec.rest_path(),
            personas.join(", ")
        ));
    }
    out.push_str("} as const;\n\nexport type ToolName = keyof typeof TOOLS;\n");
    out
}

#[test]
fn the_portals_tool_list_is_the_specs() {
    let rendered = module(dewy_tools::TOOLS);
    crate::generated::check_file(
        "web/src/lib/tools.generated.ts",
        &rendered,
        "the portal's tool list",
    );
}
