//! The connector against the in-process Twilio sandbox (one test binary, so it links once).

mod common;
mod fetch;
mod resilience;
mod send;
mod timing;
