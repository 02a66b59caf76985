//! The web portal on the local stack, over real HTTP as a browser meets it: its files and
//! `/config.json` on the API's port, then the sign-in it performs with those settings (the
//! authorization code flow with PKCE, the scope `/config.json` names) and the API calls its token
//! makes.

use dewy_local::portal::Portal;
use dewy_local::{LocalOptions, LocalStack};
use dewy_local_issuer::DEMO_PASSWORD;
use serde_json::{Value, json};

/// RFC 7636's example pair.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const INDEX: &str = "<!doctype html><div id=root></div><script src=/assets/index-1a2b3c.js></script>";

/// The JSON answer of a request that must get one.
async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

async fn stack_with_portal() -> LocalStack {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dist = std::env::temp_dir().join(format!("dewy-portal-e2e-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    std::fs::write(dist.join("assets/index-1a2b3c.js"), "console.log('portal')").unwrap();
    let options = LocalOptions {
        portal: Some(Portal::new(dist)),
        ..LocalOptions::ephemeral()
    };
    LocalStack::start(options).await.unwrap()
}

#[tokio::test]
async fn the_portal_signs_in_with_its_config_and_calls_the_api_but_not_mcp() {
    let stack = stack_with_portal().await;
    let base = &stack.api_url;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: &str| http.get(format!("{base}{path}")).send();

    let page = get("/guest/stay").await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.text().await.unwrap(), INDEX);
    let asset = get("/assets/index-1a2b3c.js").await.unwrap();
    assert_eq!(asset.status(), 200);
    let config = json_of(http.get(format!("{base}/config.json"))).await;
    let authority = format!("{base}/auth");
    assert_eq!(
        config,
        json!({
            "apiUrl": "",
            "authority": authority,
            "clientId": dewy_local::LOCAL_CLIENT_ID,
            "scope": "openid email",
            "logoutUrl": format!("{authority}/logout"),
        })
    );

    // What oidc-client-ts does with those settings: discovery, then the code flow.
    let discovery = json_of(http.get(format!("{authority}/.well-known/openid-configuration"))).await;
    assert_eq!(discovery["issuer"], authority);
    let callback = format!("{base}/");
    let client_id = config["clientId"].as_str().unwrap();
    let signed_in = http
        .post(format!("{authority}/login"))
        .form(&[
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", &callback),
            ("scope", config["scope"].as_str().unwrap()),
            ("state", "s-1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("email", "manager1@hotel.com"),
            ("password", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 302);
    let location = reqwest::Url::parse(signed_in.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(&callback), "{location}");
    let code = location
        .query_pairs()
        .find(|(name, _)| name == "code")
        .unwrap()
        .1
        .into_owned();
    let token_endpoint = discovery["token_endpoint"].as_str().unwrap();
    let tokens = json_of(http.post(token_endpoint).form(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", &callback),
        ("code_verifier", VERIFIER),
        ("client_id", client_id),
    ]))
    .await;
    let access_token = tokens["access_token"].as_str().unwrap();
    assert!(tokens["refresh_token"].is_string(), "{tokens}");

    // The REST API takes it, as API Gateway's JWT authorizer does (issuer and client, no scope).
    let called = http
        .post(format!("{base}/api/search-rooms"))
        .bearer_auth(access_token)
        .json(&json!({"floor": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(called.status(), 200, "{}", called.text().await.unwrap());
    // The MCP servers need the dewy-resort/mcp scope, which the portal does not ask for.
    let mcp = http
        .post(format!("{base}/mcp/staff"))
        .bearer_auth(access_token)
        .header("accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
        .send()
        .await
        .unwrap();
    assert_eq!(mcp.status(), 403);

    // Signing out returns to the portal.
    let signed_out = http
        .get(config["logoutUrl"].as_str().unwrap())
        .query(&[("client_id", client_id), ("logout_uri", &callback)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 302);
    assert_eq!(signed_out.headers()["location"], callback.as_str());
}
