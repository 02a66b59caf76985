//! The tables of tools in the documents, generated from the specs: docs/tools.md's (name, who may
//! call it, where its idempotency key comes from, what its Lambda function is given) and the
//! README's (who may call what). A tool added, or a spec changed, shows in both after the
//! regenerate command (see `generated`).

use dewy_mcp::Endpoint;
use dewy_tool::{DynTool, KeyFrom, Persona};

const BEGIN: &str = "<!-- BEGIN GENERATED TOOLS TABLE -->\n";
const END: &str = "<!-- END GENERATED TOOLS TABLE -->\n";

/// The table, one row per registered tool in registry order.
fn table(tools: &[&dyn DynTool]) -> String {
    let mut out = String::from("| tool | REST route | who | key | function |\n|---|---|---|---|---|\n");
    for tool in tools {
        let spec = tool.spec();
        let who: Vec<&str> = spec.personas.iter().map(|persona| persona.group()).collect();
        let key = match spec.effect.key() {
            None => "(read-only)".to_owned(),
            Some(KeyFrom::Token(field)) => format!("token: {field}"),
            Some(KeyFrom::Fields(fields)) => format!("fields: {}", fields.join(", ")),
            Some(KeyFrom::Input) => "input".to_owned(),
        };
        let d = spec.deployment;
        let mut function = format!("{} MB, {} s", d.memory_mb, d.timeout_secs);
        if d.stripe {
            function.push_str(", Stripe");
        }
        if d.texts {
            function.push_str(", texts");
        }
        out.push_str(&format!(
            "| `{}` | `POST {}` | {} | {key} | {function} |\n",
            spec.name,
            spec.rest_path(),
            who.join(" ")
        ));
    }
    out
}

/// The table in docs/tools.md is the specs' table.
#[test]
fn the_tools_table_is_the_specs() {
    let rendered = table(dewy_tools::TOOLS);
    crate::generated::check("docs/tools.md", BEGIN, END, &rendered, "the tools table");
}

const README_BEGIN: &str = "<!-- BEGIN GENERATED PERSONAS TABLE -->\n";
const README_END: &str = "<!-- END GENERATED PERSONAS TABLE -->\n";

/// The README's table: each MCP endpoint, who may connect, the tool context an agent there starts
/// with (names, descriptions and input schemas, at four characters a token) and the tools it lists,
/// in registry order.
fn personas_table(tools: &'static [&'static dyn DynTool]) -> String {
    let mut out =
        String::from("| MCP endpoint | who connects | tool context | tools it lists |\n|---|---|---|---|\n");
    for endpoint in Endpoint::ALL {
        let context = dewy_mcp::tool_context(tools, endpoint);
        let tokens = context.iter().map(|(_, chars)| chars).sum::<usize>() / 4;
        let names: Vec<String> = context.iter().map(|(name, _)| format!("`{name}`")).collect();
        let mut groups = vec![format!("`{}`", endpoint.job().group())];
        if endpoint.job() != Persona::Manager && endpoint.job() != Persona::Guest {
            groups.push(format!("`{}`", Persona::Manager.group()));
        }
        out.push_str(&format!(
            "| `{}` | {} | {} tokens | {} |\n",
            endpoint.path(),
            groups.join(", "),
            thousands(tokens),
            names.join(", ")
        ));
    }
    out
}

/// `5123` → `5,123`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The table in the README is the specs' table.
#[test]
fn the_readme_personas_table_is_the_specs() {
    let rendered = personas_table(dewy_tools::TOOLS);
    crate::generated::check(
        "README.md",
        README_BEGIN,
        README_END,
        &rendered,
        "the personas table",
    );
}
