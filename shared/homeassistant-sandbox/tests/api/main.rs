//! The sandbox over HTTP, with a plain client: the wire format the connector relies on.

mod auth;
mod climate;
mod common;
mod covers_and_selects;
mod handle;
mod knobs;
mod lights;
mod states;
