//! Authentication for the Dewy Resort hub.
//!
//! - [`Verifier`] checks RS256 bearer JWTs (Cognito access tokens in AWS, moto's in CI, the
//!   [`LocalIssuer`]'s locally) and turns them into a [`VerifiedToken`] and a [`dewy_tool::Caller`].
//! - [`AuthError`] says why a token was refused and renders the RFC 6750 / RFC 9728 challenge.
//! - [`LocalIssuer`] stands in for a Cognito user pool in the local stack, with [`demo_users`].

mod authenticate;
mod config;
mod error;
mod jwks;
pub mod local_issuer;
pub mod verify;

pub use authenticate::failure;
pub use error::AuthError;
pub use local_issuer::{DEMO_PASSWORD, DemoUser, IssuerError, LocalIssuer, Tokens, demo_users};
pub use verify::{Audience, VerifiedToken, Verifier, VerifierConfig};
