//! The client: one per container, cloned per invocation with that invocation's recorder and deadline.

mod rules;

use rules::{Repeat, classify, report_health, retry_decision};

use crate::error::api_error;
use crate::message::check_body;
use crate::{E164, Message, MessageSid, TwilioConfig, TwilioError};
use dewy_connector::{Backend, CallRecorder, CircuitBreaker, Deadline, RawResponse, record_call};
use reqwest::header::ACCEPT;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The Twilio Messages connector.
///
/// Build it once per container with [`Twilio::new`]; cloning is cheap (an `Arc`) and every clone
/// shares the HTTP client and the circuit breaker. Per invocation, [`Twilio::scoped`] makes a clone
/// that records its calls and respects the invocation's deadline.
///
/// # Retries
/// Creating a message is **not idempotent**: Twilio has no idempotency key, so a repeated create is
/// a second SMS. A duplicate text to a guest is worse than a missing one (which the tool reports),
/// so [`Twilio::send_sms`] is repeated only when the failure provably happened before the request
/// left this host ([`TwilioError::Connect`]: refused, DNS, TLS, connect timeout). A timeout, a
/// broken connection, a 429 or a 5xx on a send is returned as is. Reads ([`Twilio::fetch_message`])
/// are retried after any transient failure, honouring `Retry-After`. This is the only retry layer:
/// callers must not retry connector calls themselves.
#[derive(Clone)]
pub struct Twilio {
    inner: Arc<Inner>,
    recorder: Option<CallRecorder>,
    deadline: Option<Deadline>,
}

struct Inner {
    config: TwilioConfig,
    http: reqwest::Client,
    /// The container's Twilio breaker: every clone and every invocation counts into it.
    breaker: CircuitBreaker,
}

impl std::fmt::Debug for Twilio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Twilio")
            .field("base_url", &self.inner.config.base_url.as_str())
            .field("account_sid", &self.inner.config.account_sid)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// The message of a successful response, or the decoded error.
fn into_message(response: RawResponse) -> Result<Message, TwilioError> {
    if !response.is_success() {
        return Err(api_error(response.status, &response.body, response.retry_after()));
    }
    serde_json::from_slice(&response.body).map_err(|e| TwilioError::Decode(format!("message: {e}")))
}

impl Twilio {
    /// A client for `config`, sending through `http` (the container's shared client, see
    /// [`dewy_connector::http_client`]). No request is made until the first call.
    pub fn new(config: TwilioConfig, http: reqwest::Client) -> Self {
        Twilio {
            inner: Arc::new(Inner {
                breaker: CircuitBreaker::new(Backend::Twilio, config.breaker),
                config,
                http,
            }),
            recorder: None,
            deadline: None,
        }
    }

    /// A clone whose calls are recorded in `recorder` and bounded by `deadline`: each call's timeout is
    /// `deadline.call_timeout(request_timeout)`, and once the deadline has passed calls fail with
    /// [`TwilioError::DeadlineExceeded`] without a request.
    pub fn scoped(&self, recorder: CallRecorder, deadline: Deadline) -> Twilio {
        Twilio {
            inner: Arc::clone(&self.inner),
            recorder: Some(recorder),
            deadline: Some(deadline),
        }
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &TwilioConfig {
        &self.inner.config
    }

    /// Sends `body` to `to` from the configured sender; returns the message as Twilio accepted it
    /// (normally `queued`, or `accepted` through a Messaging Service). Delivery happens later.
    ///
    /// An empty body or one over [`MAX_BODY_CHARS`](crate::MAX_BODY_CHARS) fails before any request.
    /// See the type's docs for why a failed send is not retried; on failure,
    /// [`TwilioError::may_have_been_sent`] says whether the SMS may have gone out anyway.
    pub async fn send_sms(&self, to: &E164, body: &str) -> Result<Message, TwilioError> {
        check_body(body)?;
        let url = self.endpoint(&["Messages.json"])?;
        let config = &self.inner.config;
        let (sender_field, sender) = config.from.form_field();
        let mut form = vec![("To", to.as_str()), (sender_field, sender), ("Body", body)];
        if let Some(callback) = &config.status_callback {
            form.push(("StatusCallback", callback.as_str()));
        }
        let request = || self.inner.http.post(url.clone()).form(&form);
        let result = self.execute("send sms", Repeat::OnlyIfUnsent, request).await;
        // The sid and status only: the body and the number are personal data.
        match &result {
            Ok(message) => tracing::info!(
                sid = %message.sid,
                status = %message.status,
                segments = message.num_segments,
                "SMS handed to Twilio"
            ),
            Err(error) => {
                tracing::warn!(
                    code = error.code(),
                    status = error.status(),
                    may_have_been_sent = error.may_have_been_sent(),
                    "SMS not sent"
                );
                tracing::debug!(%error, "SMS send failure");
            }
        }
        result
    }

    /// Reads a message, e.g. to learn whether it was delivered.
    pub async fn fetch_message(&self, sid: &MessageSid) -> Result<Message, TwilioError> {
        let file = format!("{sid}.json");
        let url = self.endpoint(&["Messages", &file])?;
        let request = || self.inner.http.get(url.clone());
        self.execute("fetch message", Repeat::Safe, request).await
    }

    /// `{base_url}/2010-04-01/Accounts/{AccountSid}/{tail…}`. Segments are SIDs checked when parsed,
    /// so nothing here can escape the path.
    fn endpoint(&self, tail: &[&str]) -> Result<url::Url, TwilioError> {
        let config = &self.inner.config;
        let mut url = config.base_url.clone();
        url.set_query(None);
        url.set_fragment(None);
        url.path_segments_mut()
            .map_err(|()| TwilioError::InvalidConfig("the base URL cannot carry a path".into()))?
            .pop_if_empty()
            .extend(["2010-04-01", "Accounts", config.account_sid.as_str()])
            .extend(tail);
        Ok(url)
    }

    /// Sends a request under the retry policy, as far as `repeat` allows.
    async fn execute(
        &self,
        operation: &'static str,
        repeat: Repeat,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Message, TwilioError> {
        self.inner
            .config
            .retry
            .run(
                self.deadline,
                |_| self.attempt(operation, &request),
                |result| retry_decision(repeat, result),
            )
            .await
    }

    /// Sends one HTTP request under the call timeout, reads the whole answer and records the call;
    /// the outcome counts into the breaker. While the breaker is open, or once the deadline has
    /// passed, fails without a request (and without recording a call).
    async fn attempt(
        &self,
        operation: &'static str,
        request: &impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Message, TwilioError> {
        let timeout = self.call_timeout()?;
        let permit = self.inner.breaker.permit().map_err(|open| {
            tracing::warn!(operation, error = %open, "Twilio call refused by the circuit breaker");
            TwilioError::CircuitOpen
        })?;
        let (user, password) = self.inner.config.auth.basic();
        let builder = request()
            .basic_auth(user, Some(password))
            .header(ACCEPT, "application/json");
        let started = Instant::now();
        let exchange = async { RawResponse::read(builder.send().await?).await };
        let call = async {
            let reply = match tokio::time::timeout(timeout, exchange).await {
                Ok(Ok(reply)) => Ok(reply),
                Ok(Err(error)) => Err(classify(&error)),
                Err(_elapsed) => Err(self.timeout_error()),
            };
            report_health(permit, &reply);
            tracing::debug!(
                operation,
                status = reply.as_ref().ok().map(|r| r.status),
                elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                "twilio call"
            );
            reply.and_then(into_message)
        };
        record_call(self.recorder.as_ref(), Backend::Twilio, operation, call).await
    }

    /// The timeout for the next call, or `DeadlineExceeded` if the deadline has passed.
    fn call_timeout(&self) -> Result<Duration, TwilioError> {
        Deadline::timeout_for(self.deadline, self.inner.config.request_timeout)
            .ok_or(TwilioError::DeadlineExceeded)
    }

    /// A timed-out call is `DeadlineExceeded` when it was the deadline, not the per-call cap, that ran out.
    fn timeout_error(&self) -> TwilioError {
        if Deadline::ran_out(self.deadline) {
            TwilioError::DeadlineExceeded
        } else {
            TwilioError::Timeout
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AccountSid, Credentials, SenderId};
    use dewy_connector::Secret;

    fn assert_send<T: Send + 'static>(_: &T) {}
    fn assert_send_sync<T: Send + Sync>() {}

    fn twilio(base: &str) -> Twilio {
        let account = AccountSid::parse("AC0123456789abcdef0123456789abcdef").expect("sid");
        let auth = Credentials::AuthToken {
            account_sid: account.clone(),
            auth_token: Secret::new("token"),
        };
        let from = SenderId::Number(E164::parse("+15005550006").expect("number"));
        let url = url::Url::parse(base).expect("url");
        Twilio::new(
            TwilioConfig::new(url, account, auth, from),
            reqwest::Client::new(),
        )
    }

    /// The client and its calls can move between threads: tools spawn the send off the critical path.
    #[test]
    fn the_client_and_its_futures_are_send() {
        assert_send_sync::<Twilio>();
        let client = twilio("https://api.twilio.com");
        let to = E164::parse("+15558675310").expect("number");
        assert_send(&async move { client.send_sms(&to, "hi").await });
    }

    /// Paths go under the base URL, whether it has a path prefix or a trailing slash.
    #[test]
    fn endpoints_are_built_under_the_base_url() {
        let path = "2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
        for (base, expected) in [
            ("https://api.twilio.com", format!("https://api.twilio.com/{path}")),
            (
                "http://127.0.0.1:9/twilio/",
                format!("http://127.0.0.1:9/twilio/{path}"),
            ),
            (
                "http://127.0.0.1:9/twilio?x=1",
                format!("http://127.0.0.1:9/twilio/{path}"),
            ),
        ] {
            let url = twilio(base).endpoint(&["Messages.json"]).expect("url");
            assert_eq!(url.as_str(), expected);
        }
    }
}
