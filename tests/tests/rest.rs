//! The local stack's REST API over real HTTP: routes derived from the registry, and bad requests
//! answered with the error body, never a panic or a 500.

use dewy_local::{LocalOptions, LocalStack};
use serde_json::{Value, json};

async fn start() -> LocalStack {
    LocalStack::start(LocalOptions::ephemeral()).await.unwrap()
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "every answer is JSON"
    );
    (status, response.json().await.unwrap())
}

/// `POST /api/check-in-guest` checks the seeded guest in, as the README shows.
#[tokio::test]
async fn the_readme_check_in_works_over_http() {
    let stack = start().await;
    let client = reqwest::Client::new();
    let token = stack.token("kay@example.com").unwrap();
    let (status, body) = send(
        client
            .post(format!("{}/api/check-in-guest", stack.api_url))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(r#"{"guest_email": "kay@example.com"}"#),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["success"].as_bool(), body["room_number"].as_str()),
        (Some(true), Some("105"))
    );

    // The same request again is answered from the idempotency store, and says so.
    let again = client
        .post(format!("{}/api/check-in-guest", stack.api_url))
        .bearer_auth(stack.token("kay@example.com").unwrap())
        .json(&json!({"guest_email": "kay@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.headers().get("idempotent-replayed").map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );
    assert_eq!(again.json::<Value>().await.unwrap(), body);
}

/// Missing and forged tokens, malformed JSON, wrong media type, oversized bodies, unknown routes and
/// wrong methods are 4xx with the error body.
#[tokio::test]
async fn bad_requests_get_the_error_body() {
    let stack = start().await;
    let token = stack.token("manager1@hotel.com").unwrap();
    let forged = format!("{}x", token);
    let client = reqwest::Client::builder()
        .default_headers(
            [(
                reqwest::header::AUTHORIZATION,
                format!("Bearer {token}").parse().unwrap(),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap();
    let anonymous = reqwest::Client::new();
    let url = format!("{}/api/check-in-guest", stack.api_url);
    let oversized = format!(
        r#"{{"guest_email": "kay@example.com", "payment_id": "{}"}}"#,
        "x".repeat(70_000)
    );
    let cases = [
        (
            anonymous
                .post(format!("{}/api/check-in-guest", stack.api_url))
                .json(&json!({})),
            401,
            "UNAUTHORIZED",
        ),
        (
            anonymous
                .post(format!("{}/api/check-in-guest", stack.api_url))
                .bearer_auth(&forged)
                .json(&json!({})),
            401,
            "UNAUTHORIZED",
        ),
        (
            client
                .post(&url)
                .header("content-type", "application/json")
                .body("{\"guest_email\":"),
            400,
            "VALIDATION_ERROR",
        ),
        (
            client.post(&url).header("content-type", "text/plain").body("{}"),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            client
                .post(&url)
                .header("content-type", "application/json")
                .body(oversized),
            413,
            "PAYLOAD_TOO_LARGE",
        ),
        (
            client.post(&url).json(&json!({"guest_email": 7})),
            400,
            "VALIDATION_ERROR",
        ),
        (
            client
                .post(&url)
                .json(&json!({"guest_email": "kay@example.com", "extra": true})),
            400,
            "VALIDATION_ERROR",
        ),
        (client.post(&url).json(&json!({})), 400, "REQUIRED_FIELDS_MISSING"),
        (
            client
                .post(format!("{}/api/no-such-tool", stack.api_url))
                .json(&json!({})),
            404,
            "NOT_FOUND",
        ),
        (client.get(format!("{}/", stack.api_url)), 404, "NOT_FOUND"),
        (client.get(&url), 405, "METHOD_NOT_ALLOWED"),
    ];
    for (request, status, code) in cases {
        let (got_status, body) = send(request).await;
        assert_eq!(
            (got_status, body["error_code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
        assert_eq!(body["success"], false);
    }
    assert_eq!(
        stack.salesforce.request_count(),
        0,
        "no bad request reached Salesforce"
    );
}
