//! A backend's HTTP response, read whole before anything is made of it.

use reqwest::header::HeaderMap;
use std::time::Duration;

/// Why [`RawResponse::exchange`] has no response.
#[derive(Debug)]
pub enum ExchangeError {
    /// No whole answer within the timeout (the request may or may not have arrived).
    TimedOut,
    /// The request could not be sent, or the answer not read to the end.
    Transport(reqwest::Error),
}

/// An HTTP response read to the end, not yet decoded: what a connector's retry rule, circuit
/// breaker and error decoding all look at. The three connectors read their responses the same
/// way, so they share this one type and each decodes the body in its own API's terms.
///
/// The body is read inside the call's timeout (see [`RawResponse::read`]), so a response that
/// stalls half-way is a timed-out call, never a decode error afterwards.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The response's headers (`Retry-After`, and whatever else a backend says in them).
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Reads `response` to the end.
    pub async fn read(response: reqwest::Response) -> Result<RawResponse, reqwest::Error> {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await?.to_vec();
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }

    /// Sends `request` and reads the whole answer, both within `timeout`: one request of a
    /// connector's attempt, before the connector says in its own terms what a failure means.
    pub async fn exchange(
        request: reqwest::RequestBuilder,
        timeout: Duration,
    ) -> Result<RawResponse, ExchangeError> {
        let exchange = async { RawResponse::read(request.send().await?).await };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(error)) => Err(ExchangeError::Transport(error)),
            Err(_elapsed) => Err(ExchangeError::TimedOut),
        }
    }

    /// Whether the status is a 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The `Retry-After` header in whole seconds (a 429 or 503 says when to come back), if present.
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry_after(&self.headers)
    }

    /// A header's value, trimmed, if present and readable as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    }
}

/// At most 200 characters of a body, control characters replaced, for error messages about answers
/// that are not in the backend's own error shape (a proxy's HTML page, a plain-text status line).
pub fn body_excerpt(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .take(MAX)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(MAX).is_some() {
        out.push('…');
    }
    let out = out.trim();
    if out.is_empty() {
        "(empty body)".to_owned()
    } else {
        out.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_single_line_and_never_empty() {
        assert_eq!(body_excerpt(b"<h1>502</h1>\r\n"), "<h1>502</h1>");
        assert_eq!(body_excerpt(b"a\nb"), "a b");
        assert_eq!(body_excerpt(b" "), "(empty body)");
        assert_eq!(body_excerpt("é".repeat(500).as_bytes()).chars().count(), 201);
    }

    /// A server that accepts the connection but never answers is a timeout, not a hang.
    #[tokio::test]
    async fn an_exchange_without_an_answer_times_out() {
        let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/", silent.local_addr().expect("address"));
        let request = reqwest::Client::new().get(url);
        let outcome = RawResponse::exchange(request, Duration::from_millis(50)).await;
        assert!(matches!(outcome, Err(ExchangeError::TimedOut)), "{outcome:?}");
    }
}
