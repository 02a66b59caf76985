//! Every tool, in one list. Transports (Lambda functions, REST routes, MCP listings) are derived
//! from it, so a tool added here is served everywhere without touching a transport.

use crate::check_in_guest::CheckInGuest;
use dewy_tool::DynTool;

/// All tools, in the order listings show them.
pub static TOOLS: &[&dyn DynTool] = &[&CheckInGuest];

/// The tool called `name`.
pub fn find(name: &str) -> Option<&'static dyn DynTool> {
    TOOLS.iter().copied().find(|tool| tool.spec().name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_valid_mcp_tool_names() {
        let mut names: Vec<&str> = TOOLS.iter().map(|t| t.spec().name).collect();
        for name in &names {
            assert!(
                name.len() <= 128
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
            );
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), TOOLS.len());
    }

    #[test]
    fn every_schema_is_an_object_schema() {
        for tool in TOOLS {
            assert_eq!(tool.input_schema()["type"], "object", "{}", tool.spec().name);
            assert_eq!(tool.output_schema()["type"], "object", "{}", tool.spec().name);
        }
    }
}
