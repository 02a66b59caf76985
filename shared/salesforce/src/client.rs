//! The client: one per container, cloned per invocation with that invocation's recorder and deadline.

use crate::SalesforceConfig;
use crate::auth::{Session, TokenCache};
use crate::error::{SalesforceError, api_error, decode_errors};
use dewy_connector::{
    Backend, CallRecord, CallRecorder, CircuitBreaker, Deadline, Permit, RawResponse, RetryDecision,
    RetryPolicy,
};
use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The Salesforce REST connector.
///
/// Build it once per container with [`Salesforce::new`]; cloning is cheap (an `Arc`) and every clone
/// shares the HTTP client and the access token. Per invocation, [`Salesforce::scoped`] makes a clone
/// that records its calls and respects the invocation's deadline.
#[derive(Clone)]
pub struct Salesforce {
    pub(crate) inner: Arc<Inner>,
    recorder: Option<CallRecorder>,
    deadline: Option<Deadline>,
}

pub(crate) struct Inner {
    pub(crate) config: SalesforceConfig,
    pub(crate) http: reqwest::Client,
    pub(crate) tokens: TokenCache,
    /// The container's Salesforce breaker: every clone and every invocation counts into it.
    pub(crate) breaker: CircuitBreaker,
}

impl std::fmt::Debug for Salesforce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Salesforce")
            .field("login_url", &self.inner.config.login_url.as_str())
            .field("api_version", &self.inner.config.api_version)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// Where a request goes.
pub(crate) enum Target<'a> {
    /// A path under the versioned base `/services/data/vXX.X/`, already encoded (e.g. `sobjects/Contact`).
    Api(String),
    /// A path on the instance given by Salesforce itself (a `nextRecordsUrl`).
    InstancePath(&'a str),
}

/// Query-string parameters (names are fixed in code; values are encoded by reqwest).
pub(crate) type Params = Vec<(&'static str, String)>;

/// One data request, kept whole so it can be repeated after re-authenticating.
pub(crate) struct Request<'a> {
    /// The label recorded for the call, e.g. `query Booking__c`.
    pub operation: String,
    pub method: Method,
    pub target: Target<'a>,
    pub query: Params,
    /// A JSON body, already serialized.
    pub body: Option<Vec<u8>>,
}

/// How a Salesforce response is decoded: a success, or the API error its body names. A trait so
/// that a request reads as one chain (`execute(..).await?.success()?.json(..)`) on the connectors'
/// shared [`RawResponse`].
pub(crate) trait DecodeResponse: Sized {
    /// The response if its status is a success, else the decoded API error.
    fn success(self) -> Result<Self, SalesforceError>;

    /// The body decoded as `T`; `what` names it in the error.
    fn json<T: DeserializeOwned>(&self, what: &str) -> Result<T, SalesforceError>;
}

impl DecodeResponse for RawResponse {
    fn success(self) -> Result<RawResponse, SalesforceError> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(api_error(self.status, &self.body))
        }
    }

    fn json<T: DeserializeOwned>(&self, what: &str) -> Result<T, SalesforceError> {
        serde_json::from_slice(&self.body).map_err(|e| SalesforceError::Decode(format!("{what}: {e}")))
    }
}

impl Salesforce {
    /// A client for `config`, sending through `http` (the container's shared client, see
    /// [`dewy_connector::http_client`]). No request is made until the first call.
    pub fn new(config: SalesforceConfig, http: reqwest::Client) -> Self {
        Salesforce {
            inner: Arc::new(Inner {
                breaker: CircuitBreaker::new(Backend::Salesforce, config.breaker),
                config,
                http,
                tokens: TokenCache::default(),
            }),
            recorder: None,
            deadline: None,
        }
    }

    /// A clone whose calls are recorded in `recorder` and bounded by `deadline`: each call's timeout is
    /// `deadline.call_timeout(request_timeout)`, and once the deadline has passed calls fail with
    /// [`SalesforceError::DeadlineExceeded`] without a request.
    pub fn scoped(&self, recorder: CallRecorder, deadline: Deadline) -> Salesforce {
        Salesforce {
            inner: Arc::clone(&self.inner),
            recorder: Some(recorder),
            deadline: Some(deadline),
        }
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &SalesforceConfig {
        &self.inner.config
    }

    /// Sends a data request, retrying transient failures (5xx, 429, timeout, connection) under the
    /// configured [`RetryPolicy`] if the request is safe to repeat (see [`is_safe_to_repeat`]). This is
    /// the only retry layer: tools must not retry connector calls themselves. Any status is returned;
    /// callers decide what is a success.
    pub(crate) async fn execute(&self, request: &Request<'_>) -> Result<RawResponse, SalesforceError> {
        let policy = if is_safe_to_repeat(request) {
            self.inner.config.retry
        } else {
            RetryPolicy::none()
        };
        policy
            .run(self.deadline, |_| self.execute_once(request), retry_decision)
            .await
    }

    /// Sends a data request once with the cached token. If Salesforce answers 401 `INVALID_SESSION_ID`
    /// (the session expired or was revoked), re-authenticates once and repeats the request once; that
    /// repeat answers a rejected token, not a failure, so it is not a retry.
    async fn execute_once(&self, request: &Request<'_>) -> Result<RawResponse, SalesforceError> {
        self.call_timeout()?;
        let session = self.session().await?;
        let reply = self.attempt(&session, request).await?;
        if reply.status != 401
            || !decode_errors(&reply.body)
                .iter()
                .any(|e| e.error_code == "INVALID_SESSION_ID")
        {
            return Ok(reply);
        }
        tracing::info!(operation = %request.operation, "Salesforce session expired; re-authenticating");
        let session = self.renew(Some(session.generation)).await?;
        self.attempt(&session, request).await
    }

    async fn attempt(
        &self,
        session: &Session,
        request: &Request<'_>,
    ) -> Result<RawResponse, SalesforceError> {
        let url = match &request.target {
            Target::Api(path) => {
                format!(
                    "{}/services/data/v{}/{path}",
                    session.instance_url, self.inner.config.api_version
                )
            }
            Target::InstancePath(path) => format!("{}{path}", session.instance_url),
        };
        let url =
            url::Url::parse(&url).map_err(|e| SalesforceError::InvalidRequest(format!("bad URL: {e}")))?;
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .bearer_auth(session.access_token.expose())
            .header(ACCEPT, "application/json");
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some(body) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        self.send(&request.operation, builder).await
    }

    /// Sends one HTTP request under the call timeout, reads the whole body, and records the call; the
    /// outcome counts into the breaker. While the breaker is open, fails with
    /// [`SalesforceError::CircuitOpen`] without a request (and without recording a call).
    pub(crate) async fn send(
        &self,
        operation: &str,
        builder: reqwest::RequestBuilder,
    ) -> Result<RawResponse, SalesforceError> {
        let timeout = self.call_timeout()?;
        let permit = self.inner.breaker.permit().map_err(|open| {
            tracing::warn!(operation, error = %open, "Salesforce call refused by the circuit breaker");
            SalesforceError::CircuitOpen
        })?;
        let started = Instant::now();
        let exchange = async { RawResponse::read(builder.send().await?).await };
        let result = match tokio::time::timeout(timeout, exchange).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(error)) => Err(classify(&error)),
            Err(_elapsed) => Err(self.timeout_error()),
        };
        let finished = Instant::now();
        report_health(permit, &result);
        let ok = result.as_ref().is_ok_and(RawResponse::is_success);
        tracing::debug!(
            operation,
            status = result.as_ref().ok().map(|r| r.status),
            elapsed_ms = u64::try_from((finished - started).as_millis()).unwrap_or(u64::MAX),
            "salesforce call"
        );
        if let Some(recorder) = &self.recorder {
            recorder.record(CallRecord {
                backend: Backend::Salesforce,
                operation: operation.to_owned(),
                started,
                finished,
                ok,
            });
        }
        result
    }

    /// The timeout for the next call, or `DeadlineExceeded` if the deadline has passed.
    fn call_timeout(&self) -> Result<Duration, SalesforceError> {
        Deadline::timeout_for(self.deadline, self.inner.config.request_timeout)
            .ok_or(SalesforceError::DeadlineExceeded)
    }

    /// A timed-out call is `DeadlineExceeded` when it was the deadline, not the per-call cap, that ran out.
    fn timeout_error(&self) -> SalesforceError {
        if Deadline::ran_out(self.deadline) {
            SalesforceError::DeadlineExceeded
        } else {
            SalesforceError::Timeout
        }
    }

    /// Awaits `future` no longer than the deadline allows (used for waits that send nothing).
    pub(crate) async fn within_deadline<T>(
        &self,
        future: impl Future<Output = T>,
    ) -> Result<T, SalesforceError> {
        match self.deadline {
            Some(deadline) => tokio::time::timeout(deadline.remaining(), future)
                .await
                .map_err(|_elapsed| SalesforceError::DeadlineExceeded),
            None => Ok(future.await),
        }
    }
}

/// Whether `request` may be sent again after a failure that leaves its effect unknown.
///
/// Every POST is excluded: `sobjects/X` creates (a repeat could create a duplicate) and `composite`
/// may contain creates. The rest are safe: GET reads (queries, `queryMore`, sObject reads); a PATCH
/// to `sobjects/X/Field/value` is an upsert by external id, which converges on one record; a PATCH by
/// id writes the same values again, and a DELETE by id leaves the record deleted either way (a repeat
/// of a delete that had landed answers NOT_FOUND, which the caller sees rather than a wrong state).
fn is_safe_to_repeat(request: &Request<'_>) -> bool {
    request.method != Method::POST
}

/// Retry transient failures, except those where waiting cannot help: the deadline has passed, or
/// the breaker is open (retrying against it would only be refused again).
fn retry_decision(result: &Result<RawResponse, SalesforceError>) -> RetryDecision {
    match result {
        Ok(reply) if reply.is_success() => RetryDecision::Done,
        Ok(reply) if api_error(reply.status, &reply.body).is_retry_safe() => RetryDecision::Retry {
            retry_after: reply.retry_after(),
        },
        Ok(_) => RetryDecision::Done,
        Err(SalesforceError::CircuitOpen | SalesforceError::DeadlineExceeded) => RetryDecision::Done,
        Err(error) if error.is_retry_safe() => RetryDecision::Retry { retry_after: None },
        Err(_) => RetryDecision::Done,
    }
}

/// Tells the breaker how the exchange went. Only transient failures (5xx, 429, timeout, connection)
/// count against Salesforce; any other answer, a 4xx included, shows it is alive. An expired
/// deadline says nothing about Salesforce (the caller's budget ran out), so the permit is dropped.
fn report_health(permit: Permit, result: &Result<RawResponse, SalesforceError>) {
    match result {
        Ok(reply) if reply.status == 429 || reply.status >= 500 => permit.failure(),
        Ok(_) => permit.success(),
        Err(SalesforceError::Timeout | SalesforceError::Connection(_)) => permit.failure(),
        Err(_) => drop(permit),
    }
}

/// Maps a transport error. The URL is left out: it may hold an external id value (an email).
fn classify(error: &reqwest::Error) -> SalesforceError {
    if error.is_timeout() {
        return SalesforceError::Timeout;
    }
    if error.is_decode() {
        return SalesforceError::Decode(dewy_connector::error_chain(error));
    }
    if error.is_builder() {
        return SalesforceError::InvalidRequest(dewy_connector::error_chain(error));
    }
    SalesforceError::Connection(dewy_connector::error_chain(error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soql::Soql;
    use crate::{CompositeRequest, Credentials};

    fn assert_send<T: Send + 'static>(_: &T) {}
    fn assert_send_sync<T: Send + Sync>() {}

    /// The client and its calls can move between threads: Lambda handlers run on a multi-threaded
    /// runtime and tools spawn parallel reads.
    #[test]
    fn the_client_and_its_futures_are_send() {
        assert_send_sync::<Salesforce>();
        let url = url::Url::parse("https://login.salesforce.com").expect("valid url");
        let credentials = Credentials::ClientCredentials {
            client_id: "id".into(),
            client_secret: "secret".into(),
        };
        let salesforce = Salesforce::new(SalesforceConfig::new(url, credentials), reqwest::Client::new());
        let soql = Soql::select(&["Id"]).from("Contact");
        let sf = salesforce.clone();
        assert_send(&async move { sf.query::<serde_json::Value>(&soql).await });
        let sf = salesforce.clone();
        assert_send(&async move { sf.composite(&CompositeRequest::new(true)).await });
        assert_send(&async move {
            salesforce
                .upsert("Contact", "Unique_Email__c", "a@b.c", &())
                .await
        });
    }
}
