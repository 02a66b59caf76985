//! HTTP-level behaviour: auth challenges, metadata, methods, hosts, origins, sizes, bad JSON.

use crate::common::{Answer, MAX_BODY, answer, start};
use serde_json::{Value, json};

fn list() -> serde_json::Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}})
}

/// No token → 401 naming the metadata; a bad one adds `invalid_token`; the wrong persona → 403.
#[tokio::test]
async fn refusals_carry_oauth_challenges() {
    let server = start().await;
    let metadata = format!(
        "resource_metadata=\"{}/.well-known/oauth-protected-resource/mcp/guest\"",
        server.base
    );
    let none = server.post("/mcp/guest", None, &[], &list()).await;
    assert_eq!(none.status, 401);
    let challenge = none.header("www-authenticate").unwrap();
    assert!(
        challenge.starts_with("Bearer ") && challenge.contains(&metadata),
        "{challenge}"
    );
    assert!(!challenge.contains("error="), "{challenge}");

    let bad = server.post("/mcp/guest", Some("forged"), &[], &list()).await;
    assert_eq!(bad.status, 401);
    assert!(
        bad.header("www-authenticate")
            .unwrap()
            .contains("error=\"invalid_token\"")
    );

    let guest_on_staff = server.post("/mcp/staff", Some("guest-kay"), &[], &list()).await;
    assert_eq!(guest_on_staff.status, 403);
    let challenge = guest_on_staff.header("www-authenticate").unwrap();
    assert!(challenge.contains("error=\"insufficient_scope\""), "{challenge}");
    assert!(
        challenge.contains("/.well-known/oauth-protected-resource/mcp/staff"),
        "{challenge}"
    );
}

/// The RFC 9728 document needs no token.
#[tokio::test]
async fn protected_resource_metadata_is_served() {
    let server = start().await;
    let response = server
        .client
        .get(format!(
            "{}/.well-known/oauth-protected-resource/mcp/staff",
            server.base
        ))
        .send()
        .await
        .unwrap();
    let document = answer(response).await;
    assert_eq!(document.status, 200);
    assert_eq!(document.body["resource"], format!("{}/mcp/staff", server.base));
    assert_eq!(
        document.body["authorization_servers"],
        json!(["https://issuer.example.com/pool"])
    );
    assert_eq!(document.body["bearer_methods_supported"], json!(["header"]));
    assert_eq!(document.body["scopes_supported"], json!(["openid", "email"]));
}

/// A transport refusal as MCP clients read it: the status, and a JSON-RPC error (server-error code
/// -32000) answering the request's `id`.
fn assert_refused(answer: &Answer, status: u16, id: Value) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.body["jsonrpc"], "2.0", "{}", answer.body);
    assert_eq!(answer.body["id"], id, "{}", answer.body);
    assert_eq!(answer.body["error"]["code"], -32000, "{}", answer.body);
    assert!(
        answer.body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        answer.body
    );
}

/// GET and DELETE are 405 with `Allow: POST` and a JSON-RPC error without an id (none was sent).
#[tokio::test]
async fn only_post_is_allowed() {
    let server = start().await;
    for method in [reqwest::Method::GET, reqwest::Method::DELETE] {
        let response = server
            .client
            .request(method, format!("{}/mcp/guest", server.base))
            .header("authorization", "Bearer guest-kay")
            .send()
            .await
            .unwrap();
        let refused = answer(response).await;
        assert_refused(&refused, 405, Value::Null);
        assert_eq!(refused.header("allow"), Some("POST"));
    }
}

/// DNS-rebinding and cross-origin protection: foreign Host or Origin → 403; a listed origin and the
/// server's own pass.
#[tokio::test]
async fn foreign_hosts_and_origins_are_refused() {
    let server = start().await;
    let host = server
        .post(
            "/mcp/guest",
            Some("guest-kay"),
            &[("host", "evil.example.com")],
            &list(),
        )
        .await;
    assert_refused(&host, 403, json!(1));
    let origin = server
        .post(
            "/mcp/guest",
            Some("guest-kay"),
            &[("origin", "https://evil.example.com")],
            &list(),
        )
        .await;
    assert_refused(&origin, 403, json!(1));
    assert!(
        origin.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Origin"),
        "{}",
        origin.body
    );
    let string_id = json!({"jsonrpc": "2.0", "id": "list-1", "method": "tools/list"});
    let origin = server
        .post("/mcp/staff", Some("staff"), &[("origin", "null")], &string_id)
        .await;
    assert_refused(&origin, 403, json!("list-1"));
    let listed = server
        .post(
            "/mcp/guest",
            Some("guest-kay"),
            &[
                ("origin", "https://app.example.com"),
                ("mcp-protocol-version", "2025-11-25"),
            ],
            &list(),
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    // The server's own origin (its resource base URL) is same-origin, never a rebinding attempt.
    let own = server
        .post(
            "/mcp/guest",
            Some("guest-kay"),
            &[
                ("origin", server.base.as_str()),
                ("mcp-protocol-version", "2025-11-25"),
            ],
            &list(),
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
}

/// Oversized bodies are 413; bad JSON and non-JSON-RPC bodies get JSON-RPC errors.
#[tokio::test]
async fn oversized_and_malformed_bodies_are_refused() {
    let server = start().await;
    let huge = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"ping","params":{{"x":"{}"}}}}"#,
        "x".repeat(MAX_BODY)
    );
    let oversized = server.post_raw("/mcp/guest", Some("guest-kay"), &[], huge).await;
    assert_eq!(oversized.status, 413);

    let broken = server
        .post_raw("/mcp/guest", Some("guest-kay"), &[], "{\"jsonrpc\":".to_owned())
        .await;
    assert_eq!(broken.status, 400);
    assert_eq!(broken.body["error"]["code"], -32700, "{}", broken.body);

    let not_rpc = server
        .post_raw("/mcp/guest", Some("guest-kay"), &[], "{\"hello\": 1}".to_owned())
        .await;
    assert_eq!(not_rpc.status, 400);
    assert_eq!(not_rpc.body["error"]["code"], -32600, "{}", not_rpc.body);
}
