//! The rmcp server handler: one per endpoint, created per request (stateless), listing and calling
//! the tools the caller's personas allow.

use crate::confirm::{Confirmations, MoneyCall, Step};
use crate::dispatch::Dispatch;
use crate::endpoint::Endpoint;
use crate::listing::Listing;
use axum::body::Bytes;
use dewy_tool::rate::retry_after_secs;
use dewy_tool::{Answer, CallMeta, Caller, Confirmation, DynTool, ToolError, TraceContext};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult, MetaObject,
    PaginatedRequestParams, ProtocolVersion, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};
use std::sync::{Arc, OnceLock};

/// The `_meta` key set to `true` on a result that replays an earlier, identical call (REST says the
/// same with the `Idempotent-Replayed` header).
pub const REPLAY_META_KEY: &str = "dewy-resort/idempotent-replay";

/// The JSON-RPC error code of a `tools/call` refused by the rate limit, answered with HTTP 429 and
/// `Retry-After`; its `data` has `retryAfterMs`, `limit` and `class`. Outside JSON-RPC's reserved
/// range (-32768..-32000), and not one MCP defines.
pub const RATE_LIMITED_CODE: i32 = -31029;

/// What every endpoint's handler shares.
pub(crate) struct Shared {
    pub dispatch: Arc<dyn Dispatch>,
    pub rate_limiter: Option<dewy_tool::RateLimiter>,
    pub confirmations: Option<Confirmations>,
    pub server_name: String,
    pub server_version: String,
}

/// The handler for one endpoint. Cheap to clone: rmcp builds one per request.
#[derive(Clone)]
pub(crate) struct PersonaServer {
    pub endpoint: Endpoint,
    pub shared: Arc<Shared>,
    /// The endpoint's tools and their descriptions, made once per process.
    pub listing: Arc<Listing>,
}

/// Where `list_tools` leaves the serialized `tools/list` result for the transport, which put it in
/// the HTTP request's extensions (rmcp hands the request's parts to the handler).
#[derive(Clone, Default)]
pub(crate) struct ListedTools(Arc<OnceLock<Bytes>>);

impl ListedTools {
    fn set(&self, result: Bytes) {
        let _ = self.0.set(result);
    }

    /// The result `list_tools` left, if it ran.
    pub fn get(&self) -> Option<&Bytes> {
        self.0.get()
    }
}

impl PersonaServer {
    /// The tool called `name` if this endpoint serves it to `caller`. A tool the caller may not use
    /// is answered exactly like an unknown one, so a guest cannot learn that a staff tool exists.
    fn find(&self, name: &str, caller: &Caller) -> Option<&'static dyn DynTool> {
        self.listing
            .entries()
            .map(|(tool, _)| tool)
            .find(|tool| tool.spec().name == name && self.endpoint.serves(tool.spec(), caller))
    }
}

/// The caller the auth middleware put in the HTTP request's extensions; rmcp hands the request's
/// `http::request::Parts` to handlers through the request context's extensions.
fn caller(context: &RequestContext<RoleServer>) -> Result<Caller, ErrorData> {
    context
        .extensions
        .get::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>())
        .cloned()
        .ok_or_else(|| {
            // Unreachable behind the router's middleware; refuse rather than act as nobody.
            tracing::error!("MCP request reached the handler without a verified caller");
            ErrorData::internal_error("The request carries no verified caller.", None)
        })
}

/// A call the rate limit refused: over the limit, a JSON-RPC error with HTTP 429 and `Retry-After`
/// (set by the transport from the request's [`Throttled`] slot); a payment refused because the
/// limit could not be checked, the tool error result (503) any tool failure is.
fn refused(refusal: ToolError, context: &RequestContext<RoleServer>) -> Result<CallToolResponse, ErrorData> {
    let Some(secs) = retry_after_secs(&refusal) else {
        let body = serde_json::to_value(refusal.body()).unwrap_or(Value::Null);
        return Ok(CallToolResult::structured_error(body).into());
    };
    if let Some(slot) = context
        .extensions
        .get::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Throttled>())
    {
        let _ = slot.0.set(secs);
    }
    let details = refusal.details.unwrap_or(Value::Null);
    let data = json!({
        "error_code": refusal.code.as_str(),
        "retryAfterMs": details["retry_after_ms"],
        "limit": details["limit"],
        "class": details["class"],
        "retryable": true,
    });
    Err(ErrorData::new(
        rmcp::model::ErrorCode(RATE_LIMITED_CODE),
        refusal.message,
        Some(data),
    ))
}

/// Set by the handler when the rate limit refused the call: the `Retry-After` seconds the
/// transport answers with, beside HTTP 429. One per HTTP request (a stateless request carries one
/// JSON-RPC message).
#[derive(Clone, Default)]
pub(crate) struct Throttled(pub Arc<OnceLock<u64>>);

/// The caller's W3C trace context: from the request's `_meta` (`traceparent`, `tracestate`), else
/// from the HTTP request's headers. An invalid `traceparent` counts as none.
fn trace(context: &RequestContext<RoleServer>) -> Option<TraceContext> {
    TraceContext::parse(context.meta.get_traceparent(), context.meta.get_tracestate()).or_else(|| {
        context
            .extensions
            .get::<http::request::Parts>()
            .and_then(|parts| TraceContext::from_headers(&parts.headers))
    })
}

/// A tool's answer as the `tools/call` result: its output, or its failure as a result the agent
/// reads and acts on (not a protocol error); marked when it replays an earlier, identical call.
fn answer(outcome: Answer) -> CallToolResponse {
    let mut result = match outcome.result {
        Ok(output) => CallToolResult::structured(output),
        Err(error) => error_result(&error),
    };
    if outcome.replayed {
        let mut meta = serde_json::Map::new();
        meta.insert(REPLAY_META_KEY.to_owned(), Value::Bool(true));
        result.meta = Some(MetaObject(meta));
    }
    result.into()
}

/// A tool's failure as the result an agent reads: `isError` with the error body.
fn error_result(error: &ToolError) -> CallToolResult {
    CallToolResult::structured_error(serde_json::to_value(error.body()).unwrap_or(Value::Null))
}

/// Whether the client can put a question to its person within the call: a multi round-trip
/// request needs protocol 2026-07-28 or later, and the client must have declared elicitation.
fn can_elicit(context: &RequestContext<RoleServer>) -> bool {
    let version = context.protocol_version();
    version.is_some_and(|v| v.as_str() >= ProtocolVersion::V_2026_07_28.as_str())
        && context
            .client_capabilities()
            .is_some_and(|capabilities| capabilities.elicitation.is_some())
}

impl ServerHandler for PersonaServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                self.shared.server_name.clone(),
                self.shared.server_version.clone(),
            ))
            .with_instructions(self.endpoint.instructions())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let caller = caller(&context)?;
        // Registry order, filtered by the caller's personas: deterministic, and varying only with
        // the authorization on the request, as the 2026-07-28 spec allows.
        let listed = context
            .extensions
            .get::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<ListedTools>());
        if let Some(listed) = listed {
            // The transport answers with the serialized list; rmcp's own answer only carries the id.
            listed.set(
                self.listing
                    .result(&caller.personas, context.protocol_version().as_ref()),
            );
            return Ok(ListToolsResult::with_all_items(Vec::new()));
        }
        Ok(ListToolsResult::with_all_items(
            self.listing.tools_for(&caller.personas),
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let caller = caller(&context)?;
        let Some(tool) = self.find(&request.name, &caller) else {
            return Err(ErrorData::invalid_params(
                format!("Unknown tool: {}", request.name),
                None,
            ));
        };
        if let Some(limiter) = &self.shared.rate_limiter
            && let Err(refusal) = limiter.admit(tool.spec(), &caller).await
        {
            return refused(refusal, &context);
        }
        let arguments = request.arguments.map_or_else(|| json!({}), Value::Object);
        let trace = trace(&context);
        let dispatch = &self.shared.dispatch;
        let confirmations = self.shared.confirmations.as_ref();
        let Some(confirmations) = confirmations.filter(|_| tool.spec().effect.moves_money()) else {
            let meta = CallMeta {
                trace,
                confirmation: Confirmation::NotAsked,
            };
            return Ok(answer(dispatch.call(tool, caller, arguments, meta).await));
        };
        // A charge or refund: a person confirms it first (docs/confirmations.md).
        let money = MoneyCall {
            caller: &caller,
            tool: tool.spec().name,
            arguments: &arguments,
            request_state: request.request_state.as_deref(),
            input_responses: request.input_responses.as_ref(),
            can_elicit: can_elicit(&context),
        };
        let confirmation = match confirmations.before(&money).await? {
            Step::Run(confirmation) => confirmation,
            Step::Refuse(error) => return Ok(error_result(&error).into()),
        };
        let meta = CallMeta { trace, confirmation };
        let outcome = dispatch.call(tool, caller.clone(), arguments.clone(), meta).await;
        if let Err(error) = &outcome.result
            && let Some(question) = confirmations.ask(&money, error)
        {
            return Ok(question.into());
        }
        Ok(answer(outcome))
    }

    /// Used by rmcp only to check `Mcp-Param-*` headers against the input schema, before any
    /// caller is known; it offers the endpoint's schema, never another endpoint's tools.
    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.listing
            .entries()
            .find(|(tool, _)| tool.spec().name == name)
            .map(|(_, listed)| listed.clone())
    }
}
