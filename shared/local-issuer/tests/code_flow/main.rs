//! The authorization code flow with PKCE, driven over HTTP as a browser and the portal drive it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod authorize;
mod discovery_and_logout;
mod exchange;
mod harness;
mod refresh;
mod sign_in;
