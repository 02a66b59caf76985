//! The sandbox over HTTP with a plain client: the wire format, idempotency and the knobs (one test
//! binary, so it links once).

mod common;
mod faults;
mod idempotency;
mod redirect;
mod wire;
