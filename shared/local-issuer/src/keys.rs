//! The local issuer's RSA signing key, made fresh at start.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{KeyPair as _, RsaKeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::Rng as _;

use super::IssuerError;

/// An RS256 signing key with its random `kid` and its public half as a JWK.
pub(crate) struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    jwk: serde_json::Value,
}

impl SigningKey {
    /// Generates an RSA-2048 key pair with aws-lc-rs.
    pub(crate) fn generate() -> Result<Self, IssuerError> {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| IssuerError::KeyGeneration)?;
        let pkcs8 = pair.as_der().map_err(|_| IssuerError::KeyGeneration)?;
        // jsonwebtoken's `from_rsa_der` wants PKCS#1 (aws-lc-rs `RsaKeyPair::from_der`), but aws-lc-rs
        // exports only PKCS#8; its PEM reader unwraps PKCS#8 to PKCS#1 for us.
        let pem = pkcs8_pem(pkcs8.as_ref());
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|_| IssuerError::KeyGeneration)?;
        let public = pair.public_key();
        let jwk_n = URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero());
        let jwk_e = URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero());
        let kid_bytes: [u8; 16] = rand::rng().random();
        let kid = URL_SAFE_NO_PAD.encode(kid_bytes);
        let jwk = serde_json::json!({
            "kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": jwk_n, "e": jwk_e,
        });
        Ok(SigningKey { kid, encoding, jwk })
    }

    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    pub(crate) fn jwk(&self) -> &serde_json::Value {
        &self.jwk
    }

    /// Signs `claims` as an RS256 JWT whose header names `kid`.
    pub(crate) fn sign(&self, claims: &serde_json::Value, kid: &str) -> Result<String, IssuerError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding).map_err(|_| IssuerError::Signing)
    }
}

fn pkcs8_pem(der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
    // PEM lines are 64 characters; base64 output is ASCII, so byte chunks are whole characters.
    for line in body.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END PRIVATE KEY-----\n");
    pem
}
