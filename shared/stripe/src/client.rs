//! The client: one per container, cloned per invocation with that invocation's recorder and deadline.

use crate::StripeConfig;
use crate::error::{StripeError, api_error};
use crate::form::Form;
use crate::idempotency_key::StripeIdempotencyKey;
use dewy_connector::{
    Backend, CallRecord, CallRecorder, CircuitBreaker, Deadline, Permit, RawResponse, RetryDecision,
    RetryPolicy,
};
use reqwest::Method;
use reqwest::header::ACCEPT;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The Stripe connector.
///
/// Build it once per container with [`Stripe::new`]; cloning is cheap (an `Arc`) and every clone
/// shares the HTTP client and the circuit breaker. Per invocation, [`Stripe::scoped`] makes a clone
/// that records its calls and respects the invocation's deadline.
#[derive(Clone)]
pub struct Stripe {
    inner: Arc<Inner>,
    recorder: Option<CallRecorder>,
    deadline: Option<Deadline>,
}

struct Inner {
    config: StripeConfig,
    http: reqwest::Client,
    /// The container's Stripe breaker: every clone and every invocation counts into it.
    breaker: CircuitBreaker,
}

impl std::fmt::Debug for Stripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stripe")
            .field("base_url", &self.inner.config.base_url.as_str())
            .field("api_version", &self.inner.config.api_version)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// One API request, kept whole so that it can be sent again unchanged: a retried POST must carry
/// the same parameters and key, or Stripe would refuse it as a different request.
pub(crate) struct Request<'a> {
    /// The label recorded for the call, e.g. `create payment_intent`.
    pub operation: &'static str,
    pub method: Method,
    /// The path under the base URL, ids already checked (see [`checked_id`]).
    pub path: String,
    /// The query string of a GET, the form body of a POST.
    pub params: Form,
    /// Required on every POST (see [`Request::post`]).
    pub idempotency_key: Option<&'a StripeIdempotencyKey>,
}

impl<'a> Request<'a> {
    /// A read.
    pub fn get(operation: &'static str, path: String, params: Form) -> Self {
        Request {
            operation,
            method: Method::GET,
            path,
            params,
            idempotency_key: None,
        }
    }

    /// A write. The key is not optional: it is what makes the write safe to retry.
    pub fn post(operation: &'static str, path: String, params: Form, key: &'a StripeIdempotencyKey) -> Self {
        Request {
            operation,
            method: Method::POST,
            path,
            params,
            idempotency_key: Some(key),
        }
    }
}

/// Checks an object id before it goes into a URL path: Stripe ids are letters, digits and `_`, so
/// anything else (a `/`, `?`, `..`) is refused without a request rather than sent somewhere else.
pub(crate) fn checked_id<'i>(id: &'i str, what: &str) -> Result<&'i str, StripeError> {
    let valid =
        !id.is_empty() && id.len() <= 255 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if valid {
        Ok(id)
    } else {
        Err(StripeError::InvalidInput(format!("not a {what} id: {id:?}")))
    }
}

impl Stripe {
    /// A client for `config`, sending through `http` (the container's shared client, see
    /// [`dewy_connector::http_client`]). No request is made until the first call.
    pub fn new(config: StripeConfig, http: reqwest::Client) -> Self {
        Stripe {
            inner: Arc::new(Inner {
                breaker: CircuitBreaker::new(Backend::Stripe, config.breaker),
                config,
                http,
            }),
            recorder: None,
            deadline: None,
        }
    }

    /// A clone whose calls are recorded in `recorder` and bounded by `deadline`: each call's timeout is
    /// `deadline.call_timeout(request_timeout)`, and once the deadline has passed calls fail with
    /// [`StripeError::DeadlineExceeded`] without a request.
    pub fn scoped(&self, recorder: CallRecorder, deadline: Deadline) -> Stripe {
        Stripe {
            inner: Arc::clone(&self.inner),
            recorder: Some(recorder),
            deadline: Some(deadline),
        }
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &StripeConfig {
        &self.inner.config
    }

    /// Sends `request`, retrying under the configured [`RetryPolicy`] (see [`retry_decision`]), and decodes
    /// a success as `T`. Every request is safe to repeat: GETs read, and POSTs carry an
    /// `Idempotency-Key`, so a repeat of one that had landed is replayed by Stripe, not re-run.
    /// This is the only retry layer: tools must not retry connector calls themselves.
    pub(crate) async fn execute<T: DeserializeOwned>(&self, request: &Request<'_>) -> Result<T, StripeError> {
        let policy: RetryPolicy = self.inner.config.retry;
        let reply = policy
            .run(self.deadline, |_| self.send(request), retry_decision)
            .await?;
        if !reply.is_success() {
            return Err(api_error(reply.status, &reply.body));
        }
        serde_json::from_slice(&reply.body)
            .map_err(|e| StripeError::Decode(format!("{}: {e}", request.operation)))
    }

    /// Sends one HTTP request under the call timeout, reads the whole body, and records the call; the
    /// outcome counts into the breaker. While the breaker is open, fails with
    /// [`StripeError::CircuitOpen`] without a request (and without recording a call).
    async fn send(&self, request: &Request<'_>) -> Result<RawResponse, StripeError> {
        let timeout = self.call_timeout()?;
        let operation = request.operation;
        let permit = self.inner.breaker.permit().map_err(|open| {
            tracing::warn!(operation, error = %open, "Stripe call refused by the circuit breaker");
            StripeError::CircuitOpen
        })?;
        let builder = self.builder(request)?;
        let started = Instant::now();
        let exchange = async { RawResponse::read(builder.send().await?).await };
        let result = match tokio::time::timeout(timeout, exchange).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(error)) => Err(classify(&error)),
            Err(_elapsed) => Err(self.timeout_error()),
        };
        let finished = Instant::now();
        let request_id = result.as_ref().ok().and_then(|r| r.header("request-id"));
        report_health(permit, &result);
        // Never the secret key, the parameters or the body: they may hold a customer's email or
        // phone. Stripe's request id is what its support and dashboard logs are searched by.
        tracing::debug!(
            operation,
            status = result.as_ref().ok().map(|r| r.status),
            request_id,
            elapsed_ms = u64::try_from((finished - started).as_millis()).unwrap_or(u64::MAX),
            "stripe call"
        );
        if let Some(recorder) = &self.recorder {
            recorder.record(CallRecord {
                backend: Backend::Stripe,
                operation: operation.to_owned(),
                started,
                finished,
                ok: result.as_ref().is_ok_and(RawResponse::is_success),
            });
        }
        result
    }

    fn builder(&self, request: &Request<'_>) -> Result<reqwest::RequestBuilder, StripeError> {
        let config = &self.inner.config;
        let url = format!(
            "{}{}",
            config.base_url.as_str().trim_end_matches('/'),
            request.path
        );
        let url =
            url::Url::parse(&url).map_err(|e| StripeError::Connection(format!("invalid Stripe URL: {e}")))?;
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .bearer_auth(config.api_key.expose())
            .header("Stripe-Version", &config.api_version)
            .header(ACCEPT, "application/json");
        builder = if request.method == Method::GET {
            builder.query(request.params.pairs())
        } else {
            builder.form(request.params.pairs())
        };
        if let Some(key) = request.idempotency_key {
            builder = builder.header("Idempotency-Key", key.as_str());
        }
        Ok(builder)
    }

    /// The timeout for the next call, or `DeadlineExceeded` if the deadline has passed.
    fn call_timeout(&self) -> Result<Duration, StripeError> {
        Deadline::timeout_for(self.deadline, self.inner.config.request_timeout)
            .ok_or(StripeError::DeadlineExceeded)
    }

    /// A timed-out call is `DeadlineExceeded` when it was the deadline, not the per-call cap, that ran out.
    fn timeout_error(&self) -> StripeError {
        if Deadline::ran_out(self.deadline) {
            StripeError::DeadlineExceeded
        } else {
            StripeError::Timeout
        }
    }
}

/// `Stripe-Should-Retry`: Stripe's own word on whether repeating the request may help, if it said.
fn should_retry(response: &RawResponse) -> Option<bool> {
    match response.header("stripe-should-retry") {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

/// Whether to try again, as Stripe's own libraries decide: `Stripe-Should-Retry` when Stripe sends
/// it (`false` even overrides a 5xx, `true` a status that is not normally retried); otherwise 409
/// (an idempotency key still in use by a concurrent request), 429 and 5xx. Timeouts and dropped
/// connections are retried too: the request may have landed, and the key makes its repeat a
/// replay. 4xx answers (card declines above all) are final.
fn retry_decision(result: &Result<RawResponse, StripeError>) -> RetryDecision {
    match result {
        Ok(reply) if reply.is_success() => RetryDecision::Done,
        Ok(reply) => {
            let retry =
                should_retry(reply).unwrap_or(matches!(reply.status, 409 | 429) || reply.status >= 500);
            if retry {
                RetryDecision::Retry {
                    retry_after: reply.retry_after(),
                }
            } else {
                RetryDecision::Done
            }
        }
        Err(StripeError::Timeout | StripeError::Connection(_)) => RetryDecision::Retry { retry_after: None },
        Err(_) => RetryDecision::Done,
    }
}

/// Tells the breaker how the exchange went. Only transient failures (5xx, 429, timeout, connection)
/// count against Stripe; any other answer, a card decline included, shows it is alive. An expired
/// deadline says nothing about Stripe (the caller's budget ran out), so the permit is dropped.
fn report_health(permit: Permit, result: &Result<RawResponse, StripeError>) {
    match result {
        Ok(reply) if reply.status == 429 || reply.status >= 500 => permit.failure(),
        Ok(_) => permit.success(),
        Err(StripeError::Timeout | StripeError::Connection(_)) => permit.failure(),
        Err(_) => drop(permit),
    }
}

/// Maps a transport error. The URL is left out: a list query holds the customer's email.
fn classify(error: &reqwest::Error) -> StripeError {
    if error.is_timeout() {
        return StripeError::Timeout;
    }
    if error.is_decode() {
        return StripeError::Decode(dewy_connector::error_chain(error));
    }
    StripeError::Connection(dewy_connector::error_chain(error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn reply_with(status: u16, should_retry: Option<bool>) -> Result<RawResponse, StripeError> {
        let mut headers = HeaderMap::new();
        if let Some(should_retry) = should_retry {
            let value = if should_retry { "true" } else { "false" };
            headers.insert("stripe-should-retry", HeaderValue::from_static(value));
        }
        Ok(RawResponse {
            status,
            headers,
            body: Vec::new(),
        })
    }

    fn retried(result: &Result<RawResponse, StripeError>) -> bool {
        matches!(retry_decision(result), RetryDecision::Retry { .. })
    }

    /// Stripe-Should-Retry overrides the status; without it 409, 429 and 5xx are retried and other
    /// 4xx are final.
    #[test]
    fn the_retry_verdict_follows_stripes_rules() {
        assert!(retried(&reply_with(500, None)));
        assert!(!retried(&reply_with(500, Some(false))));
        assert!(retried(&reply_with(400, Some(true))));
        assert!(retried(&reply_with(429, None)) && retried(&reply_with(409, None)));
        assert!(!retried(&reply_with(402, None)) && !retried(&reply_with(400, None)));
        assert!(!retried(&reply_with(200, Some(true))));
        assert!(retried(&Err(StripeError::Timeout)));
        assert!(!retried(&Err(StripeError::CircuitOpen)));
        assert!(!retried(&Err(StripeError::DeadlineExceeded)));
    }

    /// Ids that could change the URL are refused before any request.
    #[test]
    fn ids_are_checked_before_they_reach_a_path() {
        assert!(checked_id("pi_3MtwBwLkdIwHu7ix28a3tqPa", "PaymentIntent").is_ok());
        for bad in ["", "pi_1/../../v1/refunds", "pi_1?expand[]=x", "pi 1", "pi_é"] {
            assert!(
                matches!(
                    checked_id(bad, "PaymentIntent"),
                    Err(StripeError::InvalidInput(_))
                ),
                "{bad}"
            );
        }
    }

    fn assert_send<T: Send + 'static>(_: &T) {}
    fn assert_send_sync<T: Send + Sync>() {}

    /// The client and its calls can move between threads: Lambda handlers run on a multi-threaded
    /// runtime and tools run Stripe calls in parallel with Salesforce reads.
    #[test]
    fn the_client_and_its_futures_are_send() {
        assert_send_sync::<Stripe>();
        let stripe = Stripe::new(StripeConfig::stripe("sk_test_x"), reqwest::Client::new());
        let s = stripe.clone();
        assert_send(&async move { s.search_customers_by_email("a@b.c").await });
        let s = stripe.clone();
        assert_send(&async move { s.retrieve_payment_intent("pi_1").await });
    }
}
