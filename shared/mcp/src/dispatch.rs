//! How a tool call leaves the MCP adapter: in-process locally, through Lambda Invoke in AWS.

use dewy_connector::Deadline;
use dewy_tool::dispatch::{BoxFuture, invoke_traced};
use dewy_tool::{Answer, Backends, CallMeta, Caller, DynTool};
use serde_json::Value;
use std::time::Duration;

/// Runs a tool on behalf of a verified caller. Object-safe so the router can hold any dispatcher.
pub trait Dispatch: Send + Sync + 'static {
    /// Runs `tool` for `caller` with `arguments`, in the caller's trace if the request carried
    /// one, standing as `meta` says on a person's confirmation: the tool's answer.
    fn call<'a>(
        &'a self,
        tool: &'static dyn DynTool,
        caller: Caller,
        arguments: Value,
        meta: CallMeta,
    ) -> BoxFuture<'a, Answer>;
}

/// Runs tools in this process through the one invoke path every transport shares, so personas are
/// checked again and guests are scoped to their own records whatever the MCP layer did.
#[derive(Clone)]
pub struct InProcess {
    backends: Backends,
    budget: Duration,
}

impl InProcess {
    /// A dispatcher using `backends`, giving each call `budget` before backend calls are cut off.
    pub fn new(backends: Backends, budget: Duration) -> Self {
        InProcess { backends, budget }
    }
}

impl Dispatch for InProcess {
    fn call<'a>(
        &'a self,
        tool: &'static dyn DynTool,
        caller: Caller,
        arguments: Value,
        meta: CallMeta,
    ) -> BoxFuture<'a, Answer> {
        Box::pin(async move {
            let deadline = Deadline::after(self.budget);
            invoke_traced(tool, &self.backends, caller, deadline, arguments, meta, None)
                .await
                .into_answer()
        })
    }
}
