//! The connector against a Home Assistant stand-in (one test binary, so it links once).

mod common;
mod fake;
mod reads;
mod resilience;
mod services;
mod timing;
