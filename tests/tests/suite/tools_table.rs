//! docs/tools.md's table of the tools, generated from their specs: name, who may call it, where its
//! idempotency key comes from, and what its Lambda function is given. A tool added, or a spec
//! changed, shows here after the regenerate command (see `generated`).

use dewy_tool::{DynTool, KeyFrom, Persona};

const BEGIN: &str = "<!-- BEGIN GENERATED TOOLS TABLE -->\n";
const END: &str = "<!-- END GENERATED TOOLS TABLE -->\n";

/// The table, one row per registered tool in registry order.
fn table(tools: &[&dyn DynTool]) -> String {
    let mut out = String::from("| tool | REST route | who | key | function |\n|---|---|---|---|---|\n");
    for tool in tools {
        let spec = tool.spec();
        let who: Vec<&str> = spec
            .personas
            .iter()
            .map(|persona| match persona {
                Persona::Guest => "G",
                Persona::Staff => "S",
                Persona::Manager => "M",
            })
            .collect();
        let key = if spec.annotations.read_only {
            "(read-only)".to_owned()
        } else {
            match spec.idempotency_key {
                KeyFrom::Token(field) => format!("token: {field}"),
                KeyFrom::Fields(fields) => format!("fields: {}", fields.join(", ")),
                KeyFrom::Input => "input".to_owned(),
            }
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
