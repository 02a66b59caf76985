//! A backend's HTTP response, read whole before anything is made of it.

use reqwest::header::HeaderMap;
use std::time::Duration;

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
