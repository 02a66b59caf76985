//! A Home Assistant sandbox: an HTTP server speaking the part of Home Assistant's REST API the
//! connector uses (states and service calls), with its bearer-token auth, JSON state objects,
//! status codes and messages, over the hotel's in-room devices.
//!
//! Used in-process by tests and the local stack ([`HomeAssistantSandbox::start`] on an ephemeral
//! port) and standalone as the `homeassistant-sandbox` binary. No real device is ever touched.
//!
//! # What it serves
//! Every `/api/*` route needs `Authorization: Bearer <token>`; without it, aiohttp's plain-text
//! `401: Unauthorized`.
//! - `GET /api/`: `{"message": "API running."}`.
//! - `GET /api/config`: a subset of the configuration (the hotel's name, °F, the version).
//! - `GET /api/states`: every state object; `GET /api/states/<entity_id>`: one, or 404
//!   `{"message": "Entity not found."}`.
//! - `POST /api/services/<domain>/<service>`, the service data a JSON object: 200 with the state
//!   objects the call changed (`[]` when none did). An unknown service, data its schema refuses,
//!   or an entity that cannot do what is asked: 400 `{"message": …}`, nothing changed. A body that
//!   is not a JSON object: 400 `{"message": "Data should be valid JSON."}`.
//! - `/__sandbox/*`: the knobs over HTTP (stats, latency, faults, reset).
//!
//! State objects are `{entity_id, state, attributes, last_changed, last_updated, context}`, times
//! in UTC with microseconds (`2026-12-06T16:00:00.000000+00:00`), context ids ULID-shaped.
//! `last_changed` moves only when the state string changes, `last_updated` when the state or an
//! attribute does; a call that changes nothing moves neither.
//!
//! # The devices
//! 22 rooms, 100-110 and 200-210; a device belongs to room N by its name alone (`room_<N>_…`,
//! the thermostat `climate.room_<N>`). Each room has a colour main light (`light.room_<N>_main`),
//! a dimmable bedside lamp (`light.room_<N>_bedside`), a thermostat (heat / cool / off, 60-85 °F)
//! and blinds (`cover.room_<N>_blinds`, position 0-100). The main lights of 105-110 and 205-210
//! are Govee lights whose effects are a separate select, `select.room_<N>_main_music` (11 music
//! modes). 100 entities in all. Rooms 100-104 and 200-204 have a guest: main light on (brightness
//! 180, hs 30/60), heating at 70, blinds open; the others are off, at 68, closed.
//!
//! # Services
//! `light.turn_on` (`brightness`, `brightness_pct`, `hs_color`, `rgb_color`, `effect`;
//! brightness 0 turns off; what is not given is kept, or restored from when the light was last
//! on), `light.turn_off`, `light.toggle`; `climate.set_temperature` (clamped to the thermostat's
//! range, optionally with `hvac_mode`), `climate.set_hvac_mode`, `climate.turn_on` (heat),
//! `climate.turn_off`; `cover.open_cover`, `cover.close_cover`, `cover.set_cover_position`,
//! `cover.stop_cover` (moves are instant); `select.select_option`. Ids that do not exist are
//! ignored, as Home Assistant ignores them.
//!
//! # Example
//! ```no_run
//! use dewy_homeassistant_sandbox::{Fault, FaultRule, HomeAssistantConfig, HomeAssistantSandbox};
//!
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = HomeAssistantSandbox::start(HomeAssistantConfig::default()).await?;
//! let (base, token) = (sandbox.base_url(), sandbox.token().to_owned());
//! sandbox.add_fault(FaultRule::new(Fault::ServerError).path("/api/services/").times(1));
//! // … dim room 101 through the connector pointed at `base` with `token` …
//! let light = sandbox.state("light.room_101_main");
//! # let _ = (base, token, light);
//! # Ok(())
//! # }
//! ```
//!
//! # Knobs
//! Latency ([`Latency`]), fault rules ([`FaultRule`]: 500, 429 with `Retry-After`, a hang, a
//! dropped connection; before or after the call is applied; by path, method, rate and count), a
//! request log ([`LoggedRequest`]), counters, [`HomeAssistantSandbox::reset`], and direct access
//! to the devices ([`HomeAssistantSandbox::state`], [`HomeAssistantSandbox::set_state`]), all on
//! [`HomeAssistantSandbox`]. The latency, the fault rules and the request log are the sandbox
//! kit's (`dewy-sandbox-kit`), shared with the other sandboxes.
//!
//! # Layout
//! - `api`: the HTTP routes (`status`, `states`, `service_calls`, `auth`, `admin`); `server`:
//!   Home Assistant's wording of the kit's answers (admin JSON, the injected 500 and 429).
//! - `services`: what each service does to an entity, its data read by `schema`.
//! - `store`: the entities and the rule for changing one; `entity`: one entity and its JSON
//!   state object; `seed`: the hotel's devices; `context`: context ids.
//! - `config`, `state`, `sandbox`: the configuration, the shared state, the handle.

mod api;
mod config;
mod context;
mod entity;
mod sandbox;
mod seed;
mod server;
mod services;
mod state;
mod store;

pub use config::HomeAssistantConfig;
pub use dewy_sandbox_kit::{Fault, FaultPhase, FaultRule, Latency, LoggedRequest};
pub use sandbox::{HomeAssistantSandbox, SetStateError};
