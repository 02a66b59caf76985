//! An MCP client at the wire, protocol 2026-07-28, stateless: each `tools/call` is one POST that
//! carries the protocol version, the client's info and capabilities in its `_meta` and the headers
//! the revision asks for. Tests use it where an SDK would hide what they check: the exact
//! `requestState` sent back, forged or replayed ones, two retries at once.

use serde_json::{Value, json};

/// The revision this client speaks.
pub const PROTOCOL: &str = "2026-07-28";

/// One user's client of one MCP endpoint.
pub struct McpWire {
    http: reqwest::Client,
    url: String,
    token: String,
    capabilities: Value,
}

impl McpWire {
    /// A client of `url` (e.g. `http://127.0.0.1:3000/mcp/guest`) with `token`, declaring
    /// `capabilities` (e.g. `{"elicitation": {}}`).
    pub fn new(url: impl Into<String>, token: impl Into<String>, capabilities: Value) -> McpWire {
        McpWire {
            http: reqwest::Client::new(),
            url: url.into(),
            token: token.into(),
            capabilities,
        }
    }

    /// `tools/call` of `tool` with `arguments` and, for a retry, `retry`'s members (`inputResponses`,
    /// `requestState`) beside them: the HTTP status and the JSON-RPC response.
    pub async fn call(&self, tool: &str, arguments: &Value, retry: Value) -> (u16, Value) {
        let mut params = json!({
            "name": tool,
            "arguments": arguments,
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": PROTOCOL,
                "io.modelcontextprotocol/clientInfo": {"name": "dewy-e2e", "version": "1"},
                "io.modelcontextprotocol/clientCapabilities": self.capabilities,
            },
        });
        if let (Some(params), Some(retry)) = (params.as_object_mut(), retry.as_object()) {
            params.extend(retry.clone());
        }
        let request = json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params });
        let response = self
            .http
            .post(&self.url)
            .bearer_auth(&self.token)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", PROTOCOL)
            .header("mcp-method", "tools/call")
            .header("mcp-name", tool)
            .json(&request)
            .send()
            .await
            .expect("the MCP endpoint answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// The input-required result of a response, if it is one.
pub fn input_required(response: &Value) -> Option<&Value> {
    let result = &response["result"];
    (result["resultType"] == "input_required").then_some(result)
}

/// The retry members answering the money-move question of `asked` (an input-required result) with
/// `action` (`accept`, `decline` or `cancel`).
pub fn answer(asked: &Value, action: &str) -> Value {
    let mut responses = serde_json::Map::new();
    responses.insert(
        dewy_mcp::confirm::INPUT_KEY.to_owned(),
        json!({ "action": action, "content": {} }),
    );
    json!({ "inputResponses": responses, "requestState": asked["requestState"] })
}
