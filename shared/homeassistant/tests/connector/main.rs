//! The connector against the in-process Home Assistant sandbox (one test binary, so it links once).

mod common;
mod reads;
mod resilience;
mod services;
mod timing;
