//! Tokens issued by Cognito, emulated by moto (user pool, groups, USER_PASSWORD_AUTH), verified through
//! moto's JWKS: the production verifier against a real HTTP AWS emulator.
//!
//! `tests/run` starts moto and sets `MOTO_URL`; without it this test is skipped, unless
//! `DEWY_REQUIRE_MOTO` says it must run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dewy_auth::{Audience, AuthError, Verifier, VerifierConfig};
use dewy_tool::Persona;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The pool, clients and tokens the set-up script made in moto.
fn cognito(moto: &str) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/moto/cognito_setup.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(moto)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "set-up failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the set-up prints JSON")
}

fn verifier(moto: &str, setup: &Value, adjust: impl FnOnce(&mut VerifierConfig)) -> Verifier {
    let pool = setup["pool_id"].as_str().unwrap();
    let client = setup["client_id"].as_str().unwrap().to_owned();
    let mut config = VerifierConfig::cognito("us-east-1", pool, vec![client], None).unwrap();
    // The issuer stays the AWS form moto writes into its tokens; the keys come from moto itself.
    config.jwks_url = format!("{moto}/{pool}/.well-known/jwks.json").parse().unwrap();
    adjust(&mut config);
    Verifier::new(config, dewy_connector::http_client())
}

/// The same token with its claims changed but its signature kept.
fn tampered(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["cognito:groups"] = serde_json::json!(["manager"]);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    format!("{}.{payload}.{}", parts[0], parts[2])
}

#[tokio::test]
async fn cognito_tokens_from_moto_verify_and_bad_ones_are_refused() {
    let Ok(moto) = std::env::var("MOTO_URL") else {
        assert!(
            std::env::var_os("DEWY_REQUIRE_MOTO").is_none(),
            "moto is required but MOTO_URL is unset"
        );
        eprintln!("skipped: MOTO_URL is unset (tests/run starts moto)");
        return;
    };
    let setup = cognito(&moto);
    let kay = setup["tokens"]["kay@example.com"]["access"].as_str().unwrap();
    let manager = setup["tokens"]["manager1@hotel.com"]["access"].as_str().unwrap();
    let kay_id_token = setup["tokens"]["kay@example.com"]["id"].as_str().unwrap();
    let good = verifier(&moto, &setup, |_| {});

    // Valid access tokens map to their personas.
    assert_eq!(
        good.verify(kay).await.unwrap().caller().personas,
        vec![Persona::Guest]
    );
    assert_eq!(
        good.verify(manager).await.unwrap().caller().personas,
        vec![
            Persona::Staff,
            Persona::Housekeeping,
            Persona::Maintenance,
            Persona::Manager
        ]
    );

    // Tampered, an id token where an access token is needed, another issuer, another client, no scope.
    assert!(matches!(
        good.verify(&tampered(kay)).await,
        Err(AuthError::BadSignature)
    ));
    assert!(matches!(
        good.verify(kay_id_token).await,
        Err(AuthError::WrongTokenUse)
    ));
    let other_issuer = verifier(&moto, &setup, |c| c.issuer.push_str("-elsewhere"));
    assert!(matches!(
        other_issuer.verify(kay).await,
        Err(AuthError::WrongIssuer)
    ));
    let other_client = setup["other_client_id"].as_str().unwrap().to_owned();
    let wrong_client = verifier(&moto, &setup, |c| {
        c.audience = Audience::ClientId(vec![other_client])
    });
    assert!(matches!(
        wrong_client.verify(kay).await,
        Err(AuthError::WrongAudience)
    ));
    let needs_scope = verifier(&moto, &setup, |c| {
        c.required_scope = Some("dewy-resort/mcp".into())
    });
    let missing_scope = needs_scope.verify(kay).await.unwrap_err();
    assert!(matches!(missing_scope, AuthError::InsufficientScope { .. }));
    assert_eq!(missing_scope.status(), 403);
}
