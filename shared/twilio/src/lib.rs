//! The Twilio connector: SMS through the Messages API (`2010-04-01`), HTTP basic auth, form-encoded
//! requests, JSON answers.
//!
//! ```no_run
//! use dewy_connector::{CallRecorder, Deadline, Secret, http_client};
//! use dewy_twilio::{AccountSid, Credentials, E164, SenderId, Twilio, TwilioConfig};
//! use std::time::Duration;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! // Once per container.
//! let account = AccountSid::parse("AC0123456789abcdef0123456789abcdef")?;
//! let auth = Credentials::AuthToken { account_sid: account.clone(), auth_token: Secret::new("…") };
//! let from = SenderId::Number(E164::parse("+15005550006")?);
//! let base = url::Url::parse(TwilioConfig::DEFAULT_BASE_URL)?;
//! let twilio = Twilio::new(TwilioConfig::new(base, account, auth, from), http_client());
//! // Per invocation.
//! let twilio = twilio.scoped(CallRecorder::new(), Deadline::after(Duration::from_secs(5)));
//! let message = twilio.send_sms(&E164::parse("+1 (555) 867-5310")?, "Your room is ready").await?;
//! println!("{} {}", message.sid, message.status);
//! # Ok(())
//! # }
//! ```
//!
//! # Not retried: sends
//! Twilio has no idempotency key, so a repeated create is a second SMS. A send is repeated only when
//! it provably never left this host (a connect failure); see [`Twilio`]. Reads are retried normally.
//!
//! # Layout
//! - [`Twilio`] (`client`): the client, built once per container, scoped per invocation with a
//!   [`CallRecorder`](dewy_connector::CallRecorder) and a [`Deadline`](dewy_connector::Deadline);
//!   `client::rules` says what is retried, what counts against the circuit breaker, and what a
//!   transport error means.
//! - [`TwilioConfig`] (`config`): base URL, account, [`Credentials`], [`SenderId`], timeouts.
//! - [`E164`] (`phone`): phone numbers, parsed (formatting dropped) before anything is sent.
//! - `ids`: the SID newtypes ([`AccountSid`], [`MessageSid`], …), checked before reaching a URL.
//! - [`Message`] (`message`): Twilio's message resource, the fields the hub uses, and the body checks.
//! - [`TwilioError`] (`error`): Twilio's error bodies decoded by status, transport failures, and
//!   [`codes`] for the error codes the hub tells apart.

mod client;
mod config;
mod error;
mod ids;
mod message;
mod phone;

pub use client::Twilio;
pub use config::{Credentials, SenderId, TwilioConfig};
pub use error::{TwilioError, codes};
pub use ids::{AccountSid, ApiKeySid, MessageSid, MessagingServiceSid, ParseError};
pub use message::{MAX_BODY_CHARS, Message, MessageStatus};
pub use phone::E164;
