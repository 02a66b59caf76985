//! The MCP protocol on both eras: initialize, listing, calls, errors, `server/discover`.

use crate::common::start;
use serde_json::{Value, json};

fn initialize(version: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": version,
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    }})
}

/// `initialize` on 2025-06-18 and 2025-11-25: plain JSON, no session, our server identity.
#[tokio::test]
async fn initialize_is_stateless_json_with_our_identity() {
    let server = start().await;
    for version in ["2025-06-18", "2025-11-25"] {
        let answer = server
            .post("/mcp/guest", Some("guest-kay"), &[], &initialize(version))
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.header("mcp-session-id"), None);
        let result = &answer.body["result"];
        assert_eq!(result["protocolVersion"], version);
        assert_eq!(result["serverInfo"]["name"], "dewy-resort");
        assert_eq!(result["serverInfo"]["version"], "9.9.9");
        assert!(result["capabilities"]["tools"].is_object());
        assert!(result["instructions"].as_str().unwrap().contains("guest"));
    }
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let answer = server
        .post(
            "/mcp/staff",
            Some("staff"),
            &[("mcp-protocol-version", "2025-11-25")],
            &initialized,
        )
        .await;
    assert_eq!(answer.status, 202);
}

/// Each endpoint lists its tools from the definitions; the guest schema omits the guest's email.
#[tokio::test]
async fn tools_list_is_derived_and_persona_scoped() {
    let server = start().await;
    let guest = server
        .rpc("/mcp/guest", "guest-kay", "tools/list", json!({}))
        .await;
    let staff = server.rpc("/mcp/staff", "staff", "tools/list", json!({})).await;
    let tool = |answer: &crate::common::Answer| -> Value {
        let tools = answer.body["result"]["tools"].as_array().unwrap().clone();
        tools
            .into_iter()
            .find(|t| t["name"] == "check_in_guest")
            .unwrap_or_else(|| panic!("check_in_guest listed: {}", answer.body))
    };
    let (guest_tool, staff_tool) = (tool(&guest), tool(&staff));
    let guest_input = &guest_tool["inputSchema"];
    assert_eq!(guest_input["type"], "object");
    assert!(guest_input.get("$schema").is_none());
    assert!(guest_input["properties"].get("guest_email").is_none());
    assert!(
        !guest_input["required"]
            .as_array()
            .is_some_and(|r| r.contains(&json!("guest_email")))
    );
    assert!(guest_input["properties"]["booking_number"].is_object());
    let staff_input = &staff_tool["inputSchema"];
    assert!(staff_input["properties"]["guest_email"].is_object());
    assert!(
        staff_input["required"]
            .as_array()
            .unwrap()
            .contains(&json!("guest_email"))
    );
    let annotations = &staff_tool["annotations"];
    for hint in [
        "readOnlyHint",
        "destructiveHint",
        "idempotentHint",
        "openWorldHint",
    ] {
        assert!(annotations[hint].is_boolean(), "{hint}: {annotations}");
    }
    assert_eq!(annotations["title"], "Check in guest");
    assert_eq!(staff_tool["outputSchema"]["type"], "object");
    assert_eq!(staff_tool["description"], guest_tool["description"]);
}

/// A guest checks in without naming themselves; a repeat gets the first result back, marked as a
/// replay in `_meta`.
#[tokio::test]
async fn a_guest_checks_in_and_a_repeat_is_a_marked_replay() {
    let server = start().await;
    let call = json!({"name": "check_in_guest", "arguments": {}});
    let first = server
        .rpc("/mcp/guest", "guest-kay", "tools/call", call.clone())
        .await;
    let result = &first.body["result"];
    assert_eq!(result["isError"], false, "{}", first.body);
    assert_eq!(result["structuredContent"]["room_number"], "105");
    assert_eq!(result["structuredContent"]["already_checked_in"], false);
    let text: Value = serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(text, result["structuredContent"]);

    // No `arguments` at all is `{}`.
    let repeat = server
        .rpc(
            "/mcp/guest",
            "guest-kay",
            "tools/call",
            json!({"name": "check_in_guest"}),
        )
        .await;
    let replay = &repeat.body["result"];
    assert_eq!(replay["structuredContent"], result["structuredContent"]);
    assert_eq!(replay["_meta"][dewy_mcp::REPLAY_META_KEY], true, "{replay}");
    assert!(result.get("_meta").is_none(), "a first execution is not marked");
}

/// Tool failures are results with the error body, so an agent can act on the code.
#[tokio::test]
async fn tool_failures_are_error_results_with_the_error_body() {
    let server = start().await;
    let unknown_guest = json!({"name": "check_in_guest", "arguments": {"guest_email": "nobody@example.com"}});
    let answer = server
        .rpc("/mcp/staff", "staff", "tools/call", unknown_guest)
        .await;
    let result = &answer.body["result"];
    assert_eq!(result["isError"], true, "{}", answer.body);
    assert_eq!(result["structuredContent"]["error_code"], "GUEST_NOT_FOUND");
    assert_eq!(result["structuredContent"]["success"], false);
    let text: Value = serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(text, result["structuredContent"]);

    let other_guest = json!({"name": "check_in_guest", "arguments": {"guest_email": "carl@example.com"}});
    let answer = server
        .rpc("/mcp/guest", "guest-kay", "tools/call", other_guest)
        .await;
    assert_eq!(answer.body["result"]["isError"], true);
    assert_eq!(
        answer.body["result"]["structuredContent"]["error_code"],
        "FORBIDDEN"
    );
}

/// An unknown tool is a JSON-RPC invalid-params error.
#[tokio::test]
async fn an_unknown_tool_is_a_json_rpc_error() {
    let server = start().await;
    let answer = server
        .rpc(
            "/mcp/guest",
            "guest-kay",
            "tools/call",
            json!({"name": "refund_everything"}),
        )
        .await;
    assert_eq!(answer.body["error"]["code"], -32602, "{}", answer.body);
    assert!(answer.body.get("result").is_none());
}

fn meta() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    })
}

/// 2026-07-28: `server/discover`, then a call with the per-request headers and `_meta`; a
/// mismatched `Mcp-Name` header is refused.
#[tokio::test]
async fn the_2026_era_discovers_and_calls_with_standard_headers() {
    let server = start().await;
    let discover =
        json!({"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {"_meta": meta()}});
    let headers = [
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", "server/discover"),
    ];
    let answer = server
        .post("/mcp/guest", Some("guest-kay"), &headers, &discover)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let versions = answer.body["result"]["supportedVersions"].to_string();
    for version in ["2025-06-18", "2025-11-25", "2026-07-28"] {
        assert!(versions.contains(version), "{}", answer.body);
    }
    // 2026-07-28 moves serverInfo into the result's `_meta`.
    let server_info = &answer.body["result"]["_meta"]["io.modelcontextprotocol/serverInfo"];
    assert_eq!(server_info["name"], "dewy-resort");

    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
        "name": "check_in_guest", "arguments": {}, "_meta": meta(),
    }});
    let headers = |name| {
        [
            ("mcp-protocol-version", "2026-07-28"),
            ("mcp-method", "tools/call"),
            ("mcp-name", name),
        ]
    };
    let answer = server
        .post("/mcp/guest", Some("guest-kay"), &headers("check_in_guest"), &call)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["result"]["resultType"], "complete");
    assert_eq!(answer.body["result"]["structuredContent"]["room_number"], "105");

    let mismatched = server
        .post("/mcp/guest", Some("guest-kay"), &headers("other_tool"), &call)
        .await;
    assert_eq!(mismatched.status, 400, "{}", mismatched.body);
    assert_eq!(mismatched.body["error"]["code"], -32020);
}
