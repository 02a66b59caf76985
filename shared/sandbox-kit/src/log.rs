//! The request counter and log.

use std::collections::VecDeque;
use std::time::Instant;

use http::Method;

/// One API request as the sandbox saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path, without the query string.
    pub path: String,
    /// The `Idempotency-Key` header, if any, in a sandbox whose API has idempotency keys (see
    /// [`Api::logs_idempotency`](crate::Api::logs_idempotency)); always `None` in the others.
    pub idempotency_key: Option<String>,
    /// Whether the response was a replay of a saved idempotent response (always `false` in a
    /// sandbox without idempotency keys).
    pub replayed: bool,
    /// When the request arrived.
    pub started: Instant,
    /// When the response was sent; for a dropped or held (timeout) request, when the sandbox
    /// decided not to answer; for a request whose client went away first, when it went away.
    pub finished: Instant,
    /// The status sent, or `None` if no response was sent.
    pub status: Option<u16>,
}

/// How many requests are kept in the log; the count keeps going past it.
const MAX_LOG: usize = 1_000_000;

/// The request counter and log.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub count: u64,
    pub log: VecDeque<LoggedRequest>,
}

impl Stats {
    pub fn record(&mut self, entry: LoggedRequest) {
        if self.log.len() >= MAX_LOG {
            self.log.pop_front();
        }
        self.log.push_back(entry);
    }
}
