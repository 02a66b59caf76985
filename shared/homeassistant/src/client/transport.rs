//! One request under the retry policy, the breaker, the deadline and the call recorder.

use super::HomeAssistant;
use super::rules::{Failure, classify, report_health, retry_decision};
use crate::HomeAssistantError;
use crate::error::api_error;
use dewy_connector::{Backend, Deadline, ExchangeError, RawResponse, record_call};
use reqwest::header::ACCEPT;
use serde::de::DeserializeOwned;
use std::time::{Duration, Instant};

impl HomeAssistant {
    /// `{base_url}/{segments…}`. Segments are constants or checked entity ids, so nothing here can
    /// escape the path.
    pub(super) fn endpoint(&self, segments: &[&str]) -> Result<url::Url, HomeAssistantError> {
        let mut url = self.inner.config.base_url.clone();
        url.set_query(None);
        url.set_fragment(None);
        url.path_segments_mut()
            .map_err(|()| HomeAssistantError::InvalidConfig("the base URL cannot carry a path".into()))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// Sends a request under the retry policy and decodes a success answer as `T`.
    pub(super) async fn execute<T: DeserializeOwned>(
        &self,
        operation: &str,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<T, HomeAssistantError> {
        self.inner
            .config
            .retry
            .run(
                self.deadline,
                |_| self.attempt(operation, &request),
                retry_decision,
            )
            .await
            .map_err(|failure| failure.error)
    }

    /// Sends one HTTP request under the call timeout, reads the whole answer and records the call;
    /// the outcome counts into the breaker. While the breaker is open, or once the deadline has
    /// passed, fails without a request (and without recording a call).
    async fn attempt<T: DeserializeOwned>(
        &self,
        operation: &str,
        request: &impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<T, Failure> {
        let timeout = self.call_timeout()?;
        let permit = self.inner.breaker.permit().map_err(|open| {
            tracing::warn!(operation, error = %open, "Home Assistant call refused by the circuit breaker");
            HomeAssistantError::CircuitOpen
        })?;
        let builder = request()
            .bearer_auth(self.inner.config.token.expose())
            .header(ACCEPT, "application/json");
        let started = Instant::now();
        let call = async {
            let reply = RawResponse::exchange(builder, timeout)
                .await
                .map_err(|failure| match failure {
                    ExchangeError::Transport(error) => classify(&error),
                    ExchangeError::TimedOut => self.timeout_error(timeout),
                });
            report_health(permit, &reply);
            tracing::debug!(
                operation,
                status = reply.as_ref().ok().map(|r| r.status),
                elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                "home assistant call"
            );
            decode(operation, reply?)
        };
        record_call(self.recorder.as_ref(), Backend::HomeAssistant, operation, call).await
    }

    /// The timeout for the next call, or `DeadlineExceeded` if the deadline has passed.
    fn call_timeout(&self) -> Result<Duration, HomeAssistantError> {
        Deadline::timeout_for(self.deadline, self.inner.config.request_timeout)
            .ok_or(HomeAssistantError::DeadlineExceeded)
    }

    /// A timed-out call is `DeadlineExceeded` when it was the deadline, not the per-call cap, that
    /// ran out; otherwise HA is too slow to count as available.
    fn timeout_error(&self, timeout: Duration) -> HomeAssistantError {
        if Deadline::ran_out(self.deadline) {
            HomeAssistantError::DeadlineExceeded
        } else {
            HomeAssistantError::Unavailable {
                status: None,
                message: format!("no answer within {} ms", timeout.as_millis()),
            }
        }
    }
}

/// A success answer decoded as `T`, or the error an error answer means.
fn decode<T: DeserializeOwned>(operation: &str, response: RawResponse) -> Result<T, Failure> {
    if !response.is_success() {
        return Err(Failure {
            error: api_error(response.status, &response.body),
            retry_after: response.retry_after(),
        });
    }
    serde_json::from_slice(&response.body)
        .map_err(|error| HomeAssistantError::Decode(format!("{operation}: {error}")).into())
}
