//! Authentication for the Dewy Resort hub.
//!
//! - [`Verifier`] checks RS256 bearer JWTs (Cognito access tokens in AWS, moto's in CI, the
//!   local issuer's locally, `dewy-local-issuer`) and turns them into a [`VerifiedToken`] and a
//!   [`dewy_tool::Caller`].
//! - [`AuthError`] says why a token was refused and renders the RFC 6750 / RFC 9728 challenge.

mod authenticate;
mod config;
mod error;
mod jwks;
pub mod verify;

pub use authenticate::failure;
pub use error::AuthError;
pub use verify::{Audience, DEFAULT_LEEWAY, VerifiedToken, Verifier, VerifierConfig};
