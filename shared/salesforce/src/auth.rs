//! The access token: obtained lazily, cached for every clone, renewed once however many callers need it.

use crate::Salesforce;
use crate::error::{SalesforceError, api_error};
use dewy_connector::Secret;
use reqwest::header::ACCEPT;
use serde::Deserialize;
use std::sync::{Arc, Mutex};

/// An access token and the instance it is valid for.
pub(crate) struct Session {
    pub access_token: Secret,
    /// `instance_url` of the token response, without a trailing slash.
    pub instance_url: String,
    /// Which token this is; a caller that saw it rejected asks to replace exactly this one.
    pub generation: u64,
}

/// The cached session, and the lock that makes renewing it single-flight.
#[derive(Default)]
pub(crate) struct TokenCache {
    // A std mutex: it is held only to copy an `Arc`, never across an await.
    current: Mutex<Option<Arc<Session>>>,
    // An async mutex held for the whole token request, so concurrent callers queue behind one request
    // and then find its result; it guards the generation counter.
    renewing: tokio::sync::Mutex<u64>,
}

impl TokenCache {
    fn current(&self) -> Option<Arc<Session>> {
        // Nothing can panic while the lock is held, but a poisoned Option<Arc> is still whole.
        self.current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn store(&self, session: Arc<Session>) {
        *self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(session);
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    instance_url: String,
}

#[derive(Deserialize)]
struct TokenError {
    error: String,
    #[serde(default)]
    error_description: String,
}

impl Salesforce {
    /// The cached session, or a new one.
    pub(crate) async fn session(&self) -> Result<Arc<Session>, SalesforceError> {
        match self.inner.tokens.current() {
            Some(session) => Ok(session),
            None => self.renew(None).await,
        }
    }

    /// A session other than generation `stale` (`None`: any session). Callers that arrive while a token
    /// request is under way wait for it and use its result instead of sending their own.
    pub(crate) async fn renew(&self, stale: Option<u64>) -> Result<Arc<Session>, SalesforceError> {
        let mut generation = self.within_deadline(self.inner.tokens.renewing.lock()).await?;
        if let Some(current) = self.inner.tokens.current()
            && Some(current.generation) != stale
        {
            return Ok(current);
        }
        let session = Arc::new(self.request_token(*generation + 1).await?);
        *generation = session.generation;
        self.inner.tokens.store(Arc::clone(&session));
        Ok(session)
    }

    async fn request_token(&self, generation: u64) -> Result<Session, SalesforceError> {
        let config = &self.inner.config;
        let url = config
            .login_url
            .join("/services/oauth2/token")
            .map_err(|e| SalesforceError::InvalidRequest(format!("bad login URL: {e}")))?;
        let form = config.credentials.token_form();
        let builder = self
            .inner
            .http
            .post(url)
            .header(ACCEPT, "application/json")
            .form(&form);
        let reply = self.send("token", builder).await?;
        if !reply.is_success() {
            return Err(match serde_json::from_slice::<TokenError>(&reply.body) {
                Ok(TokenError {
                    error,
                    error_description,
                }) => SalesforceError::Auth {
                    error,
                    description: error_description,
                },
                Err(_) => api_error(reply.status, &reply.body),
            });
        }
        // serde's message could quote a value of the body, and this body holds the token: say less.
        let token: TokenResponse = serde_json::from_slice(&reply.body).map_err(|_| {
            SalesforceError::Decode("the token response lacks access_token or instance_url".into())
        })?;
        let instance = url::Url::parse(&token.instance_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "https" | "http") && u.host().is_some())
            .ok_or_else(|| {
                SalesforceError::Decode("the token response's instance_url is not a URL".into())
            })?;
        tracing::info!(instance_url = %instance, generation, "Salesforce access token obtained");
        Ok(Session {
            access_token: Secret::new(token.access_token),
            instance_url: instance.as_str().trim_end_matches('/').to_owned(),
            generation,
        })
    }
}
