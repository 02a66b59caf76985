//! The local stack's REST API over real HTTP: routes derived from the registry, and bad requests
//! answered with the error body, never a panic or a 500.

use dewy_local::{LocalOptions, LocalStack};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
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

/// A client that keeps its connection alive, as a pooled client does: each request goes on the
/// connection of the previous one, unless that answer said `Connection: close`. Unlike reqwest's
/// pool it never retries a failed request on a new connection, so a connection the server dropped
/// without saying so shows as an error.
struct KeepAlive {
    addr: String,
    connection: Option<SendRequest<Full<Bytes>>>,
    connections: usize,
}

impl KeepAlive {
    fn new(api_url: &str) -> KeepAlive {
        KeepAlive {
            addr: api_url.trim_start_matches("http://").to_owned(),
            connection: None,
            connections: 0,
        }
    }

    /// Sends `method path` with `headers` and `body`; the status and whether the answer closes the
    /// connection, or the connection's error.
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: String,
    ) -> Result<(u16, bool), hyper::Error> {
        let mut connection = match self.connection.take() {
            Some(connection) => connection,
            None => {
                let stream = tokio::net::TcpStream::connect(&self.addr).await.unwrap();
                let io = hyper_util::rt::TokioIo::new(stream);
                let (sender, connection) = hyper::client::conn::http1::handshake(io).await?;
                tokio::spawn(connection);
                self.connections += 1;
                sender
            }
        };
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.addr);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = connection
            .send_request(request.body(Full::new(Bytes::from(body))).unwrap())
            .await?;
        let closes = response
            .headers()
            .get("connection")
            .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"close"));
        let status = response.status().as_u16();
        response.into_body().collect().await?;
        if !closes {
            self.connection = Some(connection);
        }
        Ok((status, closes))
    }
}

/// Answers given before the body is read (401 to a request without a valid token, 413 to an
/// oversized body, on REST and MCP alike) close the connection and say so, so a client reusing
/// connections sends its next request on a new one instead of on a dropped one. An answer after the
/// body was read keeps the connection.
#[tokio::test]
async fn early_answers_say_they_close_the_connection() {
    let stack = start().await;
    let token = format!("Bearer {}", stack.token("kay@example.com").unwrap());
    let json = ("content-type", "application/json");
    let accept = ("accept", "application/json, text/event-stream");
    // Larger than the body limit, and more than the server reads ahead before it answers.
    let oversized = format!(r#"{{"guest_email": "{}"}}"#, "x".repeat(256 * 1024));
    let early = [
        ("/api/check-in-guest", vec![json], oversized.clone(), 401),
        (
            "/api/check-in-guest",
            vec![json, ("authorization", "Bearer forged")],
            "{}".to_owned(),
            401,
        ),
        (
            "/api/check-in-guest",
            vec![json, ("authorization", token.as_str())],
            oversized.clone(),
            413,
        ),
        ("/mcp/guest", vec![json, accept], oversized.clone(), 401),
        (
            "/mcp/guest",
            vec![json, accept, ("authorization", token.as_str())],
            oversized.clone(),
            413,
        ),
    ];
    let mut client = KeepAlive::new(&stack.api_url);
    for (path, headers, body, status) in early {
        let answer = client.send("POST", path, &headers, body).await;
        let next = client.send("GET", "/openapi.json", &[], String::new()).await;
        let next = next.unwrap_or_else(|error| panic!("the request after POST {path}: {error:?}"));
        assert_eq!(next, (200, false), "the request after POST {path}");
        assert_eq!(answer.unwrap(), (status, true), "POST {path}");
    }

    // A read body leaves the connection open for the next request.
    let mut client = KeepAlive::new(&stack.api_url);
    let read = client
        .send(
            "POST",
            "/api/check-in-guest",
            &[json, ("authorization", token.as_str())],
            "{\"guest_email\":".to_owned(),
        )
        .await;
    assert_eq!(read.unwrap(), (400, false));
    let next = client.send("GET", "/openapi.json", &[], String::new()).await;
    assert_eq!(next.unwrap(), (200, false));
    assert_eq!(client.connections, 1, "the connection was reused");
}
