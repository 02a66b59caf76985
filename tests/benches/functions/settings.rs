//! Each function's memory size and timeout as deployed: its resource in `template.yaml`.

use dewy_e2e::lambda_watch::workspace_root;
use dewy_e2e::runtime_api::FunctionSettings;
use serde_norway::Value;
use std::time::Duration;

/// The resources of `template.yaml`.
pub fn template_resources() -> Value {
    let path = workspace_root().join("template.yaml");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} is unreadable: {e}", path.display()));
    let template: Value = serde_norway::from_str(&text).expect("template.yaml is YAML");
    template["Resources"].clone()
}

/// The settings of the function whose `Handler` is `name`: named after it (as `cargo lambda watch`
/// names it), with that `Handler` and the `MemorySize` and `Timeout` of the template's resource.
pub fn function_settings(resources: &Value, name: &str) -> FunctionSettings {
    let resource = resources
        .as_mapping()
        .into_iter()
        .flat_map(|resources| resources.values())
        .find(|r| {
            r["Metadata"]["BuildMethod"].as_str() == Some("rust-cargolambda")
                && r["Properties"]["Handler"].as_str() == Some(name)
        })
        .unwrap_or_else(|| panic!("template.yaml has no function with the Handler {name}"));
    let properties = &resource["Properties"];
    let mut settings = FunctionSettings::new(name);
    if let Some(memory) = properties["MemorySize"].as_u64() {
        settings.memory_mb = u32::try_from(memory).expect("a memory size in MB");
    }
    if let Some(timeout) = properties["Timeout"].as_u64() {
        settings.timeout = Duration::from_secs(timeout);
    }
    settings
}
