//! The tables of tools in the documents, generated from the specs: docs/tools.md's (name, who may
//! call it, where its idempotency key comes from, what its Lambda function is given) and the
//! README's (who may call what). A tool added, or a spec changed, shows in both after the
//! regenerate command (see `generated`).

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

/// The README's table: the tools each persona may call, in registry order. Managers are also
/// staff, so their row lists only what staff may not call.
fn personas_table(tools: &[&dyn DynTool]) -> String {
    let names = |keep: &dyn Fn(&[Persona]) -> bool| {
        tools
            .iter()
            .map(|tool| tool.spec())
            .filter(|spec| keep(spec.personas))
            .map(|spec| format!("`{}`", spec.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let guest = names(&|p| p.contains(&Persona::Guest));
    let staff = names(&|p| p.contains(&Persona::Staff));
    let managers = names(&|p| p.contains(&Persona::Manager) && !p.contains(&Persona::Staff));
    format!(
        "| who | may call |\n|---|---|\n\
         | guests (their own records only) | {guest} |\n\
         | staff and managers | {staff} |\n\
         | managers only | {managers} |\n"
    )
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
