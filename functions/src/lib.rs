//! The one program every Lambda function runs. Each tool's function, the MCP adapter and the SMS
//! notifier are deployed from the same binary, `dewy` (`src/main.rs`), and each function picks its
//! role when it starts: the function's `Handler`, which Lambda passes a custom runtime as
//! `_HANDLER`. One artifact links once (a fat-LTO link per function was most of the release build),
//! while each function keeps its own IAM role, memory, timeout and log group in `template.yaml`.
//!
//! `cargo lambda watch` starts a function by running `cargo run --bin <function>` and names it in
//! `AWS_LAMBDA_FUNCTION_NAME`, without a `_HANDLER`: the `watch` feature's binaries
//! (`src/watch/`, one per function, each only this crate's [`main`]) give it those names, and the
//! role then comes from the function's name.

use dewy_tool::DynTool;

/// The MCP adapter's role (and function name).
pub const MCP_ADAPTER: &str = "mcp_adapter";

/// The SMS notifier's role (and function name).
pub const SMS_NOTIFIER: &str = "sms_notifier";

/// The handler of a custom runtime that names nothing: Lambda's own convention for `provided`
/// runtimes, and what an emulator sets when it is told nothing else.
const NO_HANDLER: &str = "bootstrap";

/// What a function serves.
#[derive(Clone, Copy)]
pub enum Role {
    /// One tool, behind API Gateway and the adapter's Lambda Invoke.
    Tool(&'static dyn DynTool),
    /// The persona MCP servers, reaching each tool through its own function.
    McpAdapter,
    /// The SMS outbox's sender, invoked by SQS.
    SmsNotifier,
}

impl Role {
    /// The role called `name`: a registered tool, [`MCP_ADAPTER`] or [`SMS_NOTIFIER`].
    pub fn named(name: &str) -> Option<Role> {
        match name {
            MCP_ADAPTER => Some(Role::McpAdapter),
            SMS_NOTIFIER => Some(Role::SmsNotifier),
            _ => dewy_tools::find(name).map(Role::Tool),
        }
    }

    /// The role of this process, from its environment: see [`role_name`].
    pub fn from_env() -> Result<Role, String> {
        let var = |name| std::env::var(name).ok();
        let (name, source) = role_name(var("_HANDLER"), var("AWS_LAMBDA_FUNCTION_NAME"))?;
        Role::named(&name).ok_or_else(|| {
            format!(
                "{source} is '{name}', which is no role of this binary: set the function's Handler \
                 to a tool's name, {MCP_ADAPTER} or {SMS_NOTIFIER}"
            )
        })
    }
}

/// Every function's name, which is also its role and its `Handler`: the tools in the registry's
/// order, then the adapter and the notifier.
pub fn functions() -> Vec<&'static str> {
    dewy_tools::TOOLS
        .iter()
        .map(|tool| tool.spec().name)
        .chain([MCP_ADAPTER, SMS_NOTIFIER])
        .collect()
}

/// The role's name and where it came from: `_HANDLER` (Lambda sets it from the function's
/// `Handler`), or, when that is unset, empty or `bootstrap`, `AWS_LAMBDA_FUNCTION_NAME`, which is
/// how `cargo lambda watch` names the function it starts. A deployed function is named
/// `dewy-<stage>-<role>`, which is no role, so a function deployed without its `Handler` fails at
/// start instead of guessing.
pub fn role_name(
    handler: Option<String>,
    function_name: Option<String>,
) -> Result<(String, &'static str), String> {
    let set = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    match (set(handler), set(function_name)) {
        (Some(handler), _) if handler != NO_HANDLER => Ok((handler, "_HANDLER")),
        (_, Some(name)) => Ok((name, "AWS_LAMBDA_FUNCTION_NAME")),
        _ => Err(format!(
            "no role: set the function's Handler (_HANDLER) to a tool's name, {MCP_ADAPTER} or \
             {SMS_NOTIFIER}"
        )),
    }
}

/// Runs this process's role as a Lambda function: what every binary of this crate calls.
pub async fn main() -> Result<(), lambda_http::Error> {
    match Role::from_env()? {
        Role::Tool(tool) => dewy_runtime::lambda::run(tool).await,
        Role::McpAdapter => dewy_runtime::adapter::run(dewy_tools::TOOLS).await,
        Role::SmsNotifier => dewy_runtime::notifier::run().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(handler: Option<&str>, function: Option<&str>) -> Result<(String, &'static str), String> {
        role_name(handler.map(str::to_owned), function.map(str::to_owned))
    }

    #[test]
    fn the_handler_names_the_role_and_the_function_name_stands_in_locally() {
        let handler = name(Some("check_in_guest"), Some("dewy-dev-check_in_guest"));
        assert_eq!(handler.unwrap(), ("check_in_guest".to_owned(), "_HANDLER"));
        for unset in [None, Some(""), Some("bootstrap")] {
            let watch = name(unset, Some("sms_notifier")).unwrap();
            assert_eq!(watch, ("sms_notifier".to_owned(), "AWS_LAMBDA_FUNCTION_NAME"));
        }
        assert!(name(Some("bootstrap"), None).is_err());
    }

    #[test]
    fn every_function_has_its_role() {
        let names = functions();
        assert_eq!(names.len(), dewy_tools::TOOLS.len() + 2);
        for function in &names {
            assert!(Role::named(function).is_some(), "{function}");
        }
        assert!(Role::named("dewy-dev-check_in_guest").is_none());
        assert!(matches!(Role::named(MCP_ADAPTER), Some(Role::McpAdapter)));
        assert!(matches!(Role::named(SMS_NOTIFIER), Some(Role::SmsNotifier)));
        assert!(
            matches!(Role::named("search_rooms"), Some(Role::Tool(t)) if t.spec().name == "search_rooms")
        );
    }
}
