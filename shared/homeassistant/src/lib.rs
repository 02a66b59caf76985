//! The Home Assistant connector: the rooms' lights, thermostats, blinds and light effects through
//! HA's REST API, authenticated with a long-lived access token, JSON both ways.
//!
//! ```no_run
//! use dewy_connector::{CallRecorder, Deadline, Secret, http_client};
//! use dewy_homeassistant::{EntityId, HomeAssistant, HomeAssistantConfig, ServiceCall};
//! use std::time::Duration;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! // Once per container.
//! let base = url::Url::parse("http://homeassistant.local:8123")?;
//! let ha = HomeAssistant::new(HomeAssistantConfig::new(base, Secret::new("…")), http_client());
//! // Per invocation.
//! let ha = ha.scoped(CallRecorder::new(), Deadline::after(Duration::from_secs(5)));
//! let lamp = EntityId::parse("light.room_101_bedside")?;
//! ha.call(&ServiceCall::LightOn { entity_id: lamp.clone(), brightness: Some(120), hs_color: None, effect: None })
//!     .await?;
//! let light = ha.state(&lamp).await?.light();
//! println!("{:?}", light.map(|l| (l.on, l.brightness)));
//! # Ok(())
//! # }
//! ```
//!
//! # Retried: reads and every service call
//! Reads and service calls are repeated after a connect failure, a timeout, a 5xx or a 429, within
//! the deadline: every [`ServiceCall`] sets an absolute state, so a repeat is harmless. A 4xx is
//! never repeated; repeated unavailability opens a circuit breaker. See [`HomeAssistant`].
//!
//! # Layout
//! - [`HomeAssistant`] (`client`): the client, built once per container, scoped per invocation
//!   with a [`CallRecorder`](dewy_connector::CallRecorder) and a
//!   [`Deadline`](dewy_connector::Deadline); `client::transport` sends one request under the retry
//!   policy, breaker and deadline, and `client::rules` says what is retried and what counts against
//!   the breaker.
//! - [`HomeAssistantConfig`] (`config`): base URL, token, timeouts.
//! - [`EntityId`] (`entity_id`): `<domain>.<object_id>`, checked before reaching a URL.
//! - [`EntityState`] (`state`): an entity's state object; `domains` reads it as a [`Light`],
//!   [`Climate`], [`Cover`] or [`Select`].
//! - [`ServiceCall`] (`service`): the calls the hotel makes, and their JSON bodies.
//! - [`InstanceConfig`] (`instance`): the instance's name, version and temperature unit.
//! - [`HomeAssistantError`] (`error`): HA's answers decoded by status, and transport failures.

mod client;
mod config;
mod domains;
mod entity_id;
mod error;
mod instance;
mod service;
mod state;

pub use client::HomeAssistant;
pub use config::HomeAssistantConfig;
pub use domains::{Climate, Cover, CoverState, HvacMode, Light, Select};
pub use entity_id::{EntityId, ParseError};
pub use error::HomeAssistantError;
pub use instance::{InstanceConfig, UnitSystem};
pub use service::ServiceCall;
pub use state::{EntityState, STATE_UNAVAILABLE};
